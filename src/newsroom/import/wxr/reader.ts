// Reads a WordPress export (WXR 1.0–1.2) as a stream of records: the channel's facts, authors,
// terms and items, one at a time, so a file of any size needs only the memory of its largest
// item. The XML parser (saxes) is strict: a file that is not well-formed stops the read with
// the line where it broke.
import type { Readable } from 'node:stream';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { lookupTable } from '../../lookup.ts';

export const WXR_VERSIONS = ['1.0', '1.1', '1.2'] as const;

/** A file this importer will not read; the message names the line. */
export class WxrError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'WxrError';
  }
}

export interface WxrChannel {
  title: string;
  link: string;
  description: string;
  language: string;
  version: string;
  baseSiteUrl: string;
  baseBlogUrl: string;
}

export interface WxrAuthor {
  id: string;
  login: string;
  email: string;
  displayName: string;
  firstName: string;
  lastName: string;
}

/** A category, tag or other term as the channel declares it. */
export interface WxrTerm {
  taxonomy: string;
  termId: string;
  slug: string;
  parent: string;
  name: string;
  description: string;
}

export interface WxrItemTerm {
  domain: string;
  nicename: string;
  name: string;
}

export interface WxrItem {
  /** Line of the item's opening tag. */
  line: number;
  title: string;
  link: string;
  pubDate: string;
  creator: string;
  guid: string;
  content: string;
  excerpt: string;
  postId: string;
  postDate: string;
  postDateGmt: string;
  postName: string;
  status: string;
  postParent: string;
  menuOrder: string;
  postType: string;
  postPassword: string;
  isSticky: string;
  attachmentUrl: string;
  terms: WxrItemTerm[];
  meta: Map<string, string>;
}

export type WxrRecord =
  | { type: 'channel'; channel: WxrChannel }
  | { type: 'author'; author: WxrAuthor }
  | { type: 'term'; term: WxrTerm }
  | { type: 'item'; item: WxrItem };

export interface ReadStats {
  /** Characters XML does not allow (C0 controls) that were dropped from the file. */
  controlCharacters: number;
  /** "]]>" inside a CDATA section, as some WordPress versions write it, kept as text. */
  nestedCdataEnds: number;
}

const CHANNEL_FIELDS = lookupTable<keyof WxrChannel>({
  title: 'title',
  link: 'link',
  description: 'description',
  language: 'language',
  'wp:wxr_version': 'version',
  'wp:base_site_url': 'baseSiteUrl',
  'wp:base_blog_url': 'baseBlogUrl',
});

const AUTHOR_FIELDS = lookupTable<keyof WxrAuthor>({
  'wp:author_id': 'id',
  'wp:author_login': 'login',
  'wp:author_email': 'email',
  'wp:author_display_name': 'displayName',
  'wp:author_first_name': 'firstName',
  'wp:author_last_name': 'lastName',
});

type ItemText = Exclude<keyof WxrItem, 'line' | 'terms' | 'meta'>;

const ITEM_FIELDS = lookupTable<ItemText>({
  title: 'title',
  link: 'link',
  pubDate: 'pubDate',
  'dc:creator': 'creator',
  guid: 'guid',
  'content:encoded': 'content',
  'excerpt:encoded': 'excerpt',
  'wp:post_id': 'postId',
  'wp:post_date': 'postDate',
  'wp:post_date_gmt': 'postDateGmt',
  'wp:post_name': 'postName',
  'wp:status': 'status',
  'wp:post_parent': 'postParent',
  'wp:menu_order': 'menuOrder',
  'wp:post_type': 'postType',
  'wp:post_password': 'postPassword',
  'wp:is_sticky': 'isSticky',
  'wp:attachment_url': 'attachmentUrl',
});

/** The three kinds of term element and the names of their fields. */
const TERM_ELEMENTS = lookupTable<{ taxonomy?: string; fields: Readonly<Partial<Record<string, keyof WxrTerm>>> }>({
  'wp:category': {
    taxonomy: 'category',
    fields: lookupTable({ 'wp:term_id': 'termId', 'wp:category_nicename': 'slug', 'wp:category_parent': 'parent', 'wp:cat_name': 'name', 'wp:category_description': 'description' }),
  },
  'wp:tag': {
    taxonomy: 'post_tag',
    fields: lookupTable({ 'wp:term_id': 'termId', 'wp:tag_slug': 'slug', 'wp:tag_name': 'name', 'wp:tag_description': 'description' }),
  },
  'wp:term': {
    fields: lookupTable({
      'wp:term_id': 'termId',
      'wp:term_taxonomy': 'taxonomy',
      'wp:term_slug': 'slug',
      'wp:term_parent': 'parent',
      'wp:term_name': 'name',
      'wp:term_description': 'description',
    }),
  },
});

const newItem = (line: number): WxrItem => ({
  line,
  title: '',
  link: '',
  pubDate: '',
  creator: '',
  guid: '',
  content: '',
  excerpt: '',
  postId: '',
  postDate: '',
  postDateGmt: '',
  postName: '',
  status: '',
  postParent: '',
  menuOrder: '',
  postType: '',
  postPassword: '',
  isSticky: '',
  attachmentUrl: '',
  terms: [],
  meta: new Map(),
});

/**
 * Reads the records of a WXR file in document order. The channel record comes once, before the
 * first item (WordPress writes its facts first) or at the end when there is no item. Throws
 * WxrError for a file that is not well-formed XML, not an RSS channel, or of an unknown WXR
 * version.
 */
export async function* readWxr(input: Readable | AsyncIterable<string | Buffer>, stats?: ReadStats): AsyncGenerator<WxrRecord> {
  const parser = new SaxesParser<{ position: true; xmlns: false }>({ position: true, xmlns: false });
  const queue: WxrRecord[] = [];
  const fixer = new CdataFixer(stats);
  const decoder = new TextDecoder('utf-8', { fatal: true });

  // Where we are: element names from the root.
  const stack: string[] = [];
  let text = '';
  const channel: WxrChannel = { title: '', link: '', description: '', language: '', version: '', baseSiteUrl: '', baseBlogUrl: '' };
  let versionLine = 0;
  let channelSent = false;
  let sawChannel = false;
  let author: WxrAuthor | undefined;
  let term: WxrTerm | undefined;
  let item: WxrItem | undefined;
  let itemTerm: WxrItemTerm | undefined;
  let metaKey = '';
  let metaValue = '';

  const fail = (message: string): never => {
    throw new WxrError(message, parser.line);
  };

  const sendChannel = () => {
    if (channelSent) return;
    if (!channel.version) fail('this is not a WordPress export: the channel has no <wp:wxr_version>');
    if (!(WXR_VERSIONS as readonly string[]).includes(channel.version)) {
      throw new WxrError(`unknown WXR version "${channel.version.slice(0, 20)}"; this importer reads WXR ${WXR_VERSIONS.join(', ')}`, versionLine);
    }
    channelSent = true;
    queue.push({ type: 'channel', channel: { ...channel } });
  };

  parser.on('xmldecl', (decl) => {
    if (decl.encoding && !/^utf-?8$/i.test(decl.encoding)) fail(`the file is encoded as ${decl.encoding}; WordPress exports are UTF-8 (convert it first, e.g. with iconv)`);
  });
  parser.on('doctype', () => fail('a WordPress export has no DOCTYPE; this file is something else'));
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const depth = stack.length;
    const name = tag.name;
    if (depth === 0 && name !== 'rss') fail(`this is not a WordPress export: the document is <${name}>, not an RSS feed`);
    if (depth === 1 && name === 'channel') sawChannel = true;
    if (depth === 1 && name !== 'channel') fail(`this is not a WordPress export: <rss> holds <${name}> where <channel> should be`);
    stack.push(name);
    text = '';
    if (depth === 2) {
      if (name === 'item') {
        sendChannel();
        item = newItem(parser.line);
      } else if (name === 'wp:author') {
        author = { id: '', login: '', email: '', displayName: '', firstName: '', lastName: '' };
      } else if (TERM_ELEMENTS[name]) {
        term = { taxonomy: TERM_ELEMENTS[name].taxonomy ?? '', termId: '', slug: '', parent: '', name: '', description: '' };
      }
    } else if (depth === 3 && item) {
      if (name === 'category') {
        const attr = (key: string) => (typeof tag.attributes[key] === 'string' ? (tag.attributes[key] as string) : '');
        itemTerm = { domain: attr('domain') || 'category', nicename: attr('nicename'), name: '' };
      } else if (name === 'wp:postmeta') {
        metaKey = '';
        metaValue = '';
      }
    }
  });
  const addText = (t: string) => {
    // Text matters only in leaves of interest; deeper text (a comment's body) is skipped.
    if (stack.length >= 3 && stack.length <= 5) text += t;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', (tag) => {
    const depth = stack.length;
    const name = tag.name;
    stack.pop();
    if (depth === 3) {
      const field = CHANNEL_FIELDS[name];
      if (field && !channelSent) {
        channel[field] = text.trim();
        if (field === 'version') versionLine = parser.line;
      } else if (name === 'item' && item) {
        queue.push({ type: 'item', item });
        item = undefined;
      } else if (name === 'wp:author' && author) {
        queue.push({ type: 'author', author });
        author = undefined;
      } else if (TERM_ELEMENTS[name] && term) {
        queue.push({ type: 'term', term });
        term = undefined;
      }
    } else if (depth === 4) {
      const parent = stack[2];
      if (parent === 'item' && item) {
        const field = ITEM_FIELDS[name];
        if (field) item[field] = field === 'content' || field === 'excerpt' || field === 'title' ? text : text.trim();
        else if (name === 'category' && itemTerm) {
          itemTerm.name = text.trim();
          item.terms.push(itemTerm);
          itemTerm = undefined;
        } else if (name === 'wp:postmeta') {
          if (metaKey) item.meta.set(metaKey, metaValue);
        }
      } else if (parent === 'wp:author' && author) {
        const field = AUTHOR_FIELDS[name];
        if (field) author[field] = text.trim();
      } else if (parent && TERM_ELEMENTS[parent] && term) {
        const field = TERM_ELEMENTS[parent].fields[name];
        if (field) term[field] = text.trim();
      }
    } else if (depth === 5 && stack[2] === 'item' && stack[3] === 'wp:postmeta') {
      if (name === 'wp:meta_key') metaKey = text.trim();
      else if (name === 'wp:meta_value') metaValue = text;
    }
    if (depth === 5) text = '';
  });
  parser.on('error', (error) => {
    throw new WxrError(`the XML is not well-formed: ${describeSaxError(error.message)}`, parser.line);
  });

  let sawBytes = false;
  for await (const chunk of input) {
    let str: string;
    if (typeof chunk === 'string') str = chunk;
    else {
      try {
        str = decoder.decode(chunk, { stream: true });
      } catch {
        throw new WxrError('the file is not valid UTF-8 (WordPress exports are UTF-8)', parser.line);
      }
    }
    if (!sawBytes && str.trim().length > 0) {
      sawBytes = true;
      str = str.replace(/^\uFEFF/, '');
      const first = str.trimStart()[0];
      if (first !== '<') throw new WxrError(`this is not a WordPress export: it is not XML (it starts with "${first}")`, 1 + (str.length - str.trimStart().length > 0 ? (str.slice(0, str.length - str.trimStart().length).match(/\n/g)?.length ?? 0) : 0));
    }
    parser.write(fixer.push(str));
    while (queue.length > 0) yield queue.shift() as WxrRecord;
  }
  try {
    decoder.decode();
  } catch {
    throw new WxrError('the file is not valid UTF-8 (it ends in the middle of a character)', parser.line);
  }
  parser.write(fixer.end());
  if (!sawBytes) throw new WxrError('the file is empty');
  parser.close();
  if (!sawChannel) throw new WxrError('this is not a WordPress export: there is no <channel>');
  sendChannel();
  while (queue.length > 0) yield queue.shift() as WxrRecord;
}

/** saxes says "1:2: disallowed character."; the line is ours to add. */
function describeSaxError(message: string): string {
  return message.replace(/^(?:[^:\s]*:)?\d+:\d+: /, '').replace(/\.$/, '');
}

const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';
/** How far past a "]]>" we may look for what follows it before deciding. */
const LOOKAHEAD = 4096;

/**
 * Repairs two things WordPress writes that XML does not allow, before the parser sees them:
 *
 * - "]]>" inside a CDATA section (a post whose text holds "]]>", written without WordPress's
 *   own "]]]]><![CDATA[>" split). A "]]>" ends the section only when the next thing after it
 *   (past white space) is a closing tag or another CDATA section; any other "]]>" is text, and
 *   is rewritten as "]]]]><![CDATA[>" so the parser reads it as such.
 * - C0 control characters (form feeds and the like pasted from word processors), which XML 1.0
 *   forbids anywhere: they are dropped and counted.
 *
 * It works on a stream, so it holds back the few characters that could start a marker at the
 * end of a chunk. Line numbers are unchanged (no line break is added or removed).
 */
export class CdataFixer {
  private inCdata = false;
  private pending = '';

  constructor(private readonly stats?: ReadStats) {}

  push(chunk: string): string {
    this.pending += this.dropControls(chunk);
    return this.drain(false);
  }

  end(): string {
    return this.drain(true);
  }

  private dropControls(s: string): string {
    // eslint-disable-next-line no-control-regex
    return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, () => {
      if (this.stats) this.stats.controlCharacters++;
      return '';
    });
  }

  private drain(final: boolean): string {
    let out = '';
    let s = this.pending;
    for (;;) {
      if (!this.inCdata) {
        const open = s.indexOf(CDATA_OPEN);
        if (open === -1) {
          // Keep back what could be the start of "<![CDATA[".
          const keep = final ? 0 : partialSuffix(s, CDATA_OPEN);
          out += s.slice(0, s.length - keep);
          s = s.slice(s.length - keep);
          break;
        }
        out += s.slice(0, open + CDATA_OPEN.length);
        s = s.slice(open + CDATA_OPEN.length);
        this.inCdata = true;
        continue;
      }
      const close = s.indexOf(CDATA_CLOSE);
      if (close === -1) {
        const keep = final ? 0 : partialSuffix(s, CDATA_CLOSE);
        out += s.slice(0, s.length - keep);
        s = s.slice(s.length - keep);
        break;
      }
      const after = s.slice(close + CDATA_CLOSE.length);
      const next = after.trimStart();
      const ends = next.startsWith('</') || next.startsWith(CDATA_OPEN);
      const undecided = !final && !ends && next.length < CDATA_OPEN.length && (next === '' || next.startsWith('<')) && after.length < LOOKAHEAD;
      if (undecided) {
        // Not enough text after "]]>" to tell: wait for the next chunk.
        out += s.slice(0, close);
        s = s.slice(close);
        break;
      }
      out += s.slice(0, close);
      if (ends || (final && next === '')) {
        out += CDATA_CLOSE;
        this.inCdata = false;
      } else {
        out += ']]]]><![CDATA[>';
        if (this.stats) this.stats.nestedCdataEnds++;
      }
      s = after;
    }
    this.pending = s;
    return out;
  }
}

/** The length of the longest suffix of `s` that is a proper prefix of `marker`. */
function partialSuffix(s: string, marker: string): number {
  for (let n = Math.min(marker.length - 1, s.length); n > 0; n--) {
    if (s.endsWith(marker.slice(0, n))) return n;
  }
  return 0;
}
