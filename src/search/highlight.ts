// Highlighted text as data, never as HTML: the engines wrap matches in two control characters
// (which cleanInput keeps out of queries and which no reader-visible text needs), and this turns
// that into segments a view renders with <mark>, escaping every character on the way out.
import { decodeHTML } from 'entities';

export interface Segment {
  text: string;
  mark: boolean;
}

/** A piece of text with the words that matched marked. */
export type Highlighted = Segment[];

export const MARK_START = '\u0002';
export const MARK_END = '\u0003';
export const ELLIPSIS = '…';

/** Block elements whose edges separate words in running text. */
const BLOCK_TAG = /^\/?(p|div|h[1-6]|li|ul|ol|blockquote|figure|figcaption|br|hr|tr|td|th|table|caption|pre|aside)\b/i;

/**
 * Segments of a text marked by the engine. With `html`, the text is stored body HTML, maybe cut
 * anywhere (inside a tag, inside an entity): tags are dropped (with any mark inside them) and
 * entities decoded, so what remains is the text a reader sees in the story.
 */
export function toSegments(marked: string, { html = false }: { html?: boolean } = {}): Highlighted {
  const out: Segment[] = [];
  let text = '';
  let mark = false;
  const flush = () => {
    if (text) out.push({ text: html ? decodeHTML(text) : text, mark });
    text = '';
  };
  let source = marked;
  if (html) {
    // A fragment may end inside an entity ("&am…"); the half entity is not text.
    source = source.replace(/&#?[a-z0-9]{0,10}(?=…?$)/i, '');
  }
  let inTag = html && startsInsideTag(source);
  let tag = '';
  for (const c of source) {
    if (inTag) {
      if (c === '>') {
        inTag = false;
        if (BLOCK_TAG.test(tag)) text += ' ';
      } else if (c !== MARK_START && c !== MARK_END) {
        tag += c;
      }
      continue;
    }
    if (html && c === '<') {
      inTag = true;
      tag = '';
    } else if (c === MARK_START || c === MARK_END) {
      flush();
      mark = c === MARK_START;
    } else {
      text += c;
    }
  }
  flush();
  return tidy(out);
}

/** Before the first '<', a '>' means the fragment began inside a tag (stored HTML escapes text '>'). */
function startsInsideTag(html: string): boolean {
  const close = html.indexOf('>');
  if (close === -1) return false;
  const open = html.indexOf('<');
  return open === -1 || close < open;
}

/** Collapses white space across segments, trims the ends and joins neighbours alike. */
function tidy(segments: Segment[]): Highlighted {
  const out: Segment[] = [];
  for (const s of segments) {
    let text = s.text.replace(/\s+/gu, ' ');
    const previous = out[out.length - 1];
    if (previous && /\s$/u.test(previous.text) && text.startsWith(' ')) text = text.slice(1);
    if (!previous && !s.mark) text = text.trimStart();
    if (!text) continue;
    if (s.mark && !text.trim()) {
      // A mark around nothing visible is not a mark.
      if (previous && !previous.mark) previous.text += text;
      else out.push({ text, mark: false });
      continue;
    }
    if (previous && previous.mark === s.mark) previous.text += text;
    else out.push({ text, mark: s.mark });
  }
  const last = out[out.length - 1];
  if (last) {
    last.text = last.text.trimEnd();
    if (!last.text) out.pop();
  }
  return out;
}

export const hasMark = (text: Highlighted): boolean => text.some((s) => s.mark);

export const plain = (text: string): Highlighted => (text ? [{ text, mark: false }] : []);

export const textOf = (text: Highlighted): string => text.map((s) => s.text).join('');
