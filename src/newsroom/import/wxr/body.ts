// WordPress post content → our body HTML. Classic content gets WordPress's own paragraphs
// (wpautop); block content (<!-- wp:… --> comments) is already HTML and loses its delimiters,
// with galleries, embeds and pull quotes turned into our figures and quotes. [caption] and
// [gallery] become figures; any other shortcode stays as text and is reported. The result
// still goes through sanitizeBody when the article is saved: that allowlist decides.
import { decodeHTML } from 'entities';

export interface AttachmentInfo {
  url: string;
  alt: string;
  caption: string;
}

export interface BodyContext {
  /** The WordPress id of the post, for [gallery] without ids. */
  postId: string;
  attachment(id: string): AttachmentInfo | undefined;
  /** Ids of the attachments whose parent is this post, in menu order. */
  childAttachments(postId: string): string[];
}

export interface ConvertedBody {
  html: string;
  /** What could not be carried over, for the import's report. */
  notes: string[];
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function convertBody(content: string, context: BodyContext): ConvertedBody {
  const notes: string[] = [];
  let html = content.replace(/\r\n?/g, '\n');
  const blocks = /<!--\s+wp:[a-z]/.test(html);
  if (blocks) html = convertBlocks(html, notes);
  html = convertShortcodes(html, context, notes);
  // WordPress stops adding paragraphs to content made of blocks.
  if (!blocks) html = wpautop(html);
  // <!--more--> and <!--nextpage--> have no meaning here (comments are dropped anyway).
  html = html.replace(/<!--\s*(?:more|nextpage|noteaser)\b[^>]*-->/g, '');
  return { html: html.trim(), notes: [...new Set(notes)] };
}

// ---- Blocks ----

/** Dynamic blocks (self-closing, rendered by PHP at view time) we cannot render from the export. */
const HARMLESS_SELF_CLOSING = new Set(['more', 'nextpage', 'spacer', 'separator']);

function convertBlocks(html: string, notes: string[]): string {
  let out = html;
  // Embeds: the figure holds the URL as text; we keep it as a link in an embed figure.
  out = out.replace(/<!--\s+wp:(?:core-embed\/[\w-]+|embed)\s+(\{[\s\S]*?\})\s+-->([\s\S]*?)<!--\s+\/wp:(?:core-embed\/[\w-]+|embed)\s+-->/g, (_m, json: string, inner: string) => {
    const url = jsonField(json, 'url') ?? inner.replace(/<[^>]*>/g, ' ').trim().split(/\s+/)[0] ?? '';
    if (!/^https?:\/\//.test(url)) return inner;
    return `<figure class="embed"><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></figure>`;
  });
  // A gallery is a figure of figures: keep the inner image figures, drop the wrapper.
  out = out.replace(/<!--\s+wp:gallery\b[^>]*?-->([\s\S]*?)<!--\s+\/wp:gallery\s+-->/g, (_m, inner: string) => {
    const trimmed = inner.trim();
    if (/^<figure\b[^>]*>/.test(trimmed) && trimmed.endsWith('</figure>') && /<figure\b[\s\S]*<figure\b/.test(trimmed)) {
      const body = trimmed.replace(/^<figure\b[^>]*>/, '').replace(/<\/figure>$/, '');
      // A gallery caption (figcaption directly in the wrapper) follows the images.
      return body.replace(/<figcaption\b[^>]*class="[^"]*blocks-gallery-caption[^"]*"[^>]*>([\s\S]*?)<\/figcaption>/, '<p>$1</p>');
    }
    return inner;
  });
  // Pull quotes: <figure class="wp-block-pullquote"><blockquote>…</blockquote></figure>.
  out = out.replace(/<!--\s+wp:pullquote\b[^>]*?-->([\s\S]*?)<!--\s+\/wp:pullquote\s+-->/g, (_m, inner: string) =>
    inner
      .replace(/<figure\b[^>]*>\s*<blockquote\b[^>]*>/, '<blockquote class="pullquote">')
      .replace(/<\/blockquote>\s*<\/figure>/, '</blockquote>'),
  );
  // Image figures carry WordPress's classes; ours is "image".
  out = out.replace(/<figure\b[^>]*class="[^"]*wp-block-image[^"]*"[^>]*>/g, '<figure class="image">');
  // Self-closing blocks are rendered by WordPress at view time: nothing of them is in the export.
  out = out.replace(/<!--\s+wp:([a-z][\w/-]*)(\s+\{[\s\S]*?\})?\s+\/-->/g, (_m, name: string, json: string | undefined) => {
    if (!HARMLESS_SELF_CLOSING.has(name)) {
      const ref = name === 'block' && json ? jsonField(json, 'ref') : undefined;
      notes.push(ref ? `reusable block ${ref} dropped (its content is not in the post)` : `dynamic block wp:${name} dropped (WordPress renders it at view time)`);
    }
    return '';
  });
  // What remains are delimiters around plain HTML.
  out = out.replace(/<!--\s+\/?wp:[a-z][\w/-]*(?:\s+\{[\s\S]*?\})?\s+-->\n?/g, '');
  return out;
}

function jsonField(json: string, key: string): string | undefined {
  try {
    const value = (JSON.parse(json) as Record<string, unknown>)[key];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  } catch {
    return undefined;
  }
}

// ---- Shortcodes ----

/** WordPress's shortcode grammar (get_shortcode_regex) for any tag name. */
const SHORTCODE =
  /\[(\[?)([A-Za-z0-9_-]+)(?![\w-])([^\]/]*(?:\/(?!\])[^\]/]*)*?)(?:(\/)\]|\](?:([^[]*(?:\[(?!\/\2\])[^[]*)*)\[\/\2\])?)(\]?)/g;

const ATTRIBUTE =
  /([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)/g;

export function shortcodeAttributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const clean = text.replace(/[\u00a0\u200b]/g, ' ');
  for (const m of clean.matchAll(ATTRIBUTE)) {
    if (m[1] !== undefined) out[m[1].toLowerCase()] = m[2] ?? '';
    else if (m[3] !== undefined) out[m[3].toLowerCase()] = m[4] ?? '';
    else if (m[5] !== undefined) out[m[5].toLowerCase()] = m[6] ?? '';
  }
  return out;
}

/** Bracketed words that are editorial, not shortcodes: "[sic]", "[1]", "[update]". */
const looksLikeShortcode = (tag: string, attrs: string, closed: boolean, selfClosed: boolean) =>
  closed || selfClosed || /=/.test(attrs) || /[_-]/.test(tag);

function convertShortcodes(html: string, context: BodyContext, notes: string[]): string {
  return html.replace(SHORTCODE, (match, open: string, tag: string, attrs: string, selfClose: string | undefined, inner: string | undefined, close: string) => {
    // [[caption]] is WordPress's way to write the text "[caption]".
    if (open === '[' && close === ']') return match.slice(1, -1);
    const name = tag.toLowerCase();
    if (name === 'caption' || name === 'wp_caption') return captionFigure(shortcodeAttributes(attrs), inner ?? '');
    if (name === 'gallery') return gallery(shortcodeAttributes(attrs), context, notes);
    if (name === 'embed' && inner && /^\s*https?:\/\/\S+\s*$/.test(inner)) {
      const url = inner.trim();
      return `<figure class="embed"><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></figure>`;
    }
    if (looksLikeShortcode(name, attrs, inner !== undefined, selfClose === '/')) notes.push(`unknown shortcode [${tag}] kept as text`);
    // Unknown: left as it was, including its content (which may hold known shortcodes).
    return inner === undefined ? match : match.replace(inner, convertShortcodes(inner, context, notes));
  });
}

/** [caption id="attachment_5" width="300"]<a><img …></a> The caption[/caption]. */
function captionFigure(attrs: Record<string, string>, inner: string): string {
  let image = inner.trim();
  let caption = attrs.caption ?? '';
  if (!caption) {
    const m = /^((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*<\/a>)?)([\s\S]*)$/i.exec(image);
    if (m) {
      image = m[1] ?? '';
      caption = (m[2] ?? '').trim();
    }
  }
  const figcaption = caption ? `<figcaption>${caption.replace(/\s*\n\s*/g, ' ')}</figcaption>` : '';
  return `\n\n<figure class="image">${image.replace(/\s*\n\s*/g, ' ')}${figcaption}</figure>\n\n`;
}

function gallery(attrs: Record<string, string>, context: BodyContext, notes: string[]): string {
  const listed = attrs.ids ?? attrs.include;
  let ids = listed ? listed.split(',').map((s) => s.trim()).filter((s) => /^\d+$/.test(s)) : context.childAttachments(context.postId);
  const excluded = new Set((attrs.exclude ?? '').split(',').map((s) => s.trim()));
  ids = ids.filter((id) => !excluded.has(id));
  if (ids.length === 0) {
    notes.push('a [gallery] with no images in the export was dropped');
    return '';
  }
  const figures: string[] = [];
  for (const id of ids) {
    const image = context.attachment(id);
    if (!image) {
      notes.push(`gallery image ${id} is not in the export`);
      continue;
    }
    const caption = image.caption ? `<figcaption>${escapeHtml(image.caption)}</figcaption>` : '';
    figures.push(`<figure class="image"><img src="${escapeHtml(image.url)}" alt="${escapeHtml(image.alt)}">${caption}</figure>`);
  }
  return `\n\n${figures.join('\n\n')}\n\n`;
}

// ---- wpautop ----

const ALL_BLOCKS =
  '(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)';

/**
 * WordPress's wpautop (wp-includes/formatting.php), ported: text separated by blank lines
 * becomes paragraphs, single line breaks become <br />, and block elements are left alone.
 */
export function wpautop(input: string, br = true): string {
  if (input.trim() === '') return '';
  let text = `${input}\n`;
  const pres: string[] = [];
  if (text.includes('<pre')) {
    const parts = text.split('</pre>');
    const last = parts.pop() ?? '';
    text = '';
    for (const part of parts) {
      const start = part.indexOf('<pre');
      if (start === -1) {
        text += part;
        continue;
      }
      const name = `<pre wp-pre-tag-${pres.length}></pre>`;
      pres.push(`${part.slice(start)}</pre>`);
      text += part.slice(0, start) + name;
    }
    text += last;
  }
  text = text.replace(/<br\s*\/?>\s*<br\s*\/?>/g, '\n\n');
  text = text.replace(new RegExp(`(<${ALL_BLOCKS}[\\s/>])`, 'g'), '\n\n$1');
  text = text.replace(new RegExp(`(</${ALL_BLOCKS}>)`, 'g'), '$1\n\n');
  text = text.replace(/(<hr\s*?\/?>)/g, '$1\n\n');
  text = text.replace(/\r\n|\r/g, '\n');
  // Line breaks inside tags (and comments) are not paragraph breaks.
  text = text.replace(/<!--[\s\S]*?-->|<[^>]*>/g, (tag) => tag.replace(/\n/g, ' <!-- wpnl --> '));
  if (text.includes('<figcaption')) {
    text = text.replace(/\s*(<figcaption[^>]*>)/g, '$1');
    text = text.replace(/<\/figcaption>\s*/g, '</figcaption>');
  }
  text = text.replace(/\n\n+/g, '\n\n');
  const paragraphs = text.split(/\n\s*\n/).filter((p) => p !== '');
  text = paragraphs.map((p) => `<p>${p.replace(/^\n+|\n+$/g, '')}</p>\n`).join('');
  text = text.replace(/<p>\s*<\/p>/g, '');
  text = text.replace(/<p>([^<]+)<\/(div|address|form)>/g, '<p>$1</p></$2>');
  text = text.replace(new RegExp(`<p>\\s*(</?${ALL_BLOCKS}[^>]*>)\\s*</p>`, 'g'), '$1');
  text = text.replace(/<p>(<li.+?)<\/p>/g, '$1');
  text = text.replace(/<p><blockquote([^>]*)>/gi, '<blockquote$1><p>');
  text = text.replace(/<\/blockquote><\/p>/g, '</p></blockquote>');
  text = text.replace(new RegExp(`<p>\\s*(</?${ALL_BLOCKS}[^>]*>)`, 'g'), '$1');
  text = text.replace(new RegExp(`(</?${ALL_BLOCKS}[^>]*>)\\s*</p>`, 'g'), '$1');
  if (br) {
    text = text.replace(/<(script|style|svg|math)[\s\S]*?<\/\1>/g, (m) => m.replace(/\n/g, '<WPPreserveNewline />'));
    text = text.replace(/<br>|<br\/>/g, '<br />');
    text = text.replace(/(?<!<br \/>)\s*\n/g, '<br />\n');
    text = text.replace(/<WPPreserveNewline \/>/g, '\n');
  }
  text = text.replace(new RegExp(`(</?${ALL_BLOCKS}[^>]*>)\\s*<br />`, 'g'), '$1');
  text = text.replace(/<br \/>(\s*<\/?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)/g, '$1');
  text = text.replace(/\n<\/p>$/g, '</p>');
  pres.forEach((pre, i) => {
    text = text.replace(`<pre wp-pre-tag-${i}></pre>`, pre);
  });
  if (text.includes('<!-- wpnl -->')) text = text.replace(/ <!-- wpnl --> |<!-- wpnl -->/g, '\n');
  return text;
}

/** Plain text of an excerpt or title as WordPress stores it (entities and tags possible). */
export function plainText(html: string): string {
  return decodeHTML(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}
