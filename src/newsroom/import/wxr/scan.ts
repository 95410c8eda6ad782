// The first of an import's two reads: the whole file is parsed (so a broken file is refused
// before anything is written) and what later items refer to is gathered: authors, terms,
// attachments, the page tree and the site's time zone offset. Items themselves are not kept.
import type { Readable } from 'node:stream';
import { plainText } from './body.ts';
import { readWxr, type ReadStats, type WxrAuthor, type WxrChannel, type WxrItem, type WxrTerm } from './reader.ts';

export type DesksFrom = 'categories' | 'tags';

export interface AttachmentRecord {
  id: string;
  line: number;
  url: string;
  /** Path under wp-content/uploads (the _wp_attached_file meta). */
  file: string;
  alt: string;
  caption: string;
  title: string;
  description: string;
  parent: string;
}

export interface PageNode {
  parent: string;
  postName: string;
  link: string;
}

export interface Scan {
  channel: WxrChannel;
  /** "wordpress:<site url>": the import keys of this site. */
  source: string;
  authors: WxrAuthor[];
  /** Declared categories and tags, by slug. */
  categories: Map<string, WxrTerm>;
  tags: Map<string, WxrTerm>;
  attachments: Map<string, AttachmentRecord>;
  /** Attachment ids by parent post id, in file order. */
  children: Map<string, string[]>;
  pages: Map<string, PageNode>;
  items: number;
  byType: Map<string, number>;
  /** Slugs of the terms that become desks (primary term of some post). */
  deskTerms: Map<string, { name: string; parent: string }>;
  /** Logins of dc:creator not declared as wp:author (WXR 1.0 declares none). */
  creators: Set<string>;
  /** Logins of Co-Authors Plus guest authors (bylines without an account), among `authors`. */
  guests: Set<string>;
  /** post_date − post_date_gmt most items agree on, in minutes; undefined when none tell. */
  offsetMinutes: number | undefined;
  stats: ReadStats;
}

/**
 * A copy of a short string that does not keep the parser's text alive: V8 may hand out a
 * slice of a whole chunk of the file, and the scan keeps these for the whole import.
 */
const own = (s: string): string => (s === '' ? '' : Buffer.from(s, 'utf8').toString('utf8'));

export const termsOf = (item: WxrItem, domain: string) => item.terms.filter((t) => t.domain === domain);

/** The term of a post that names its desk: Yoast's primary category, else the first real one. */
export function primaryTerm(item: WxrItem, desksFrom: DesksFrom, categories: Map<string, WxrTerm>): { slug: string; name: string } | undefined {
  if (desksFrom === 'tags') {
    const tag = termsOf(item, 'post_tag')[0];
    return tag && { slug: tag.nicename || tag.name, name: tag.name };
  }
  const cats = termsOf(item, 'category');
  const yoast = item.meta.get('_yoast_wpseo_primary_category') ?? item.meta.get('rank_math_primary_category');
  if (yoast) {
    for (const term of categories.values()) {
      const chosen = cats.find((c) => c.nicename === term.slug);
      if (term.termId === yoast.trim() && chosen) return { slug: chosen.nicename, name: chosen.name };
    }
  }
  const real = cats.find((c) => c.nicename !== 'uncategorized') ?? cats[0];
  return real && { slug: real.nicename || real.name, name: real.name };
}

/** Post types that become something here; every other one is skipped with its type named. */
export const IMPORTED_TYPES = new Set(['post', 'page']);

export async function scanWxr(open: () => Readable, desksFrom: DesksFrom, onItem?: (count: number) => void): Promise<Scan> {
  const stats: ReadStats = { controlCharacters: 0, nestedCdataEnds: 0 };
  const scan: Omit<Scan, 'channel' | 'source' | 'offsetMinutes'> & { channel?: WxrChannel } = {
    authors: [],
    categories: new Map(),
    tags: new Map(),
    attachments: new Map(),
    children: new Map(),
    pages: new Map(),
    items: 0,
    byType: new Map(),
    deskTerms: new Map(),
    creators: new Set(),
    guests: new Set(),
    stats,
  };
  const offsets = new Map<number, number>();
  const usedCreators = new Set<string>();
  const guests: WxrAuthor[] = [];
  for await (const record of readWxr(open(), stats)) {
    if (record.type === 'channel') scan.channel = record.channel;
    else if (record.type === 'author') scan.authors.push(ownAll(record.author));
    else if (record.type === 'term') {
      const term = ownAll(record.term);
      if (term.taxonomy === 'category') scan.categories.set(term.slug, term);
      else if (term.taxonomy === 'post_tag') scan.tags.set(term.slug, term);
    } else {
      const item = record.item;
      scan.items++;
      onItem?.(scan.items);
      const type = item.postType || 'post';
      scan.byType.set(type, (scan.byType.get(type) ?? 0) + 1);
      const offset = offsetOf(item);
      if (offset !== undefined) offsets.set(offset, (offsets.get(offset) ?? 0) + 1);
      if (type === 'attachment') {
        const record: AttachmentRecord = ownAll({
          id: item.postId,
          line: item.line,
          url: item.attachmentUrl || item.guid,
          file: item.meta.get('_wp_attached_file') ?? '',
          alt: plainText(item.meta.get('_wp_attachment_image_alt') ?? ''),
          caption: plainText(item.excerpt),
          title: plainText(item.title),
          description: plainText(item.content).slice(0, 500),
          parent: item.postParent,
        });
        scan.attachments.set(record.id, record);
        if (record.parent && record.parent !== '0') {
          const list = scan.children.get(record.parent) ?? [];
          list.push(record.id);
          scan.children.set(record.parent, list);
        }
      } else if (type === GUEST_AUTHOR) {
        const guest = guestAuthor(item);
        if (guest) guests.push(ownAll(guest));
      } else if (type === 'page') {
        scan.pages.set(own(item.postId), ownAll({ parent: item.postParent, postName: item.postName, link: item.link }));
      }
      if (IMPORTED_TYPES.has(type) && item.creator && !usedCreators.has(item.creator)) usedCreators.add(own(item.creator));
      if (type === 'post') {
        const term = primaryTerm(item, desksFrom, scan.categories);
        if (term && !scan.deskTerms.has(term.slug)) {
          const declared = desksFrom === 'categories' ? scan.categories.get(term.slug) : scan.tags.get(term.slug);
          scan.deskTerms.set(own(term.slug), ownAll({ name: declared?.name || term.name, parent: declared?.parent ?? '' }));
        }
      }
    }
  }
  // The reader refuses a file without a channel, so there is one here.
  const channel = scan.channel as WxrChannel;
  const declared = new Set(scan.authors.map((a) => a.login));
  // A guest author with the login of a real account is that account's profile already.
  for (const guest of guests) {
    if (declared.has(guest.login)) continue;
    declared.add(guest.login);
    scan.authors.push(guest);
    scan.guests.add(guest.login);
  }
  for (const login of usedCreators) if (!declared.has(login)) scan.creators.add(login);
  let offsetMinutes: number | undefined;
  let best = 0;
  for (const [offset, count] of offsets) {
    if (count > best) {
      best = count;
      offsetMinutes = offset;
    }
  }
  // Categories declared after the posts that use them: their names win over the item's.
  for (const [slug, term] of scan.deskTerms) {
    const declaredTerm = desksFrom === 'categories' ? scan.categories.get(slug) : scan.tags.get(slug);
    if (declaredTerm) scan.deskTerms.set(slug, { name: declaredTerm.name || term.name, parent: declaredTerm.parent });
  }
  return { ...scan, channel, source: sourceOf(channel), offsetMinutes };
}

/** Co-Authors Plus keeps bylines without an account as posts of this type. */
export const GUEST_AUTHOR = 'guest-author';

/** A guest author's profile, from the meta Co-Authors Plus gives it; undefined without a login. */
function guestAuthor(item: WxrItem): WxrAuthor | undefined {
  const meta = (key: string) => (item.meta.get(`cap-${key}`) ?? '').trim();
  const login = meta('user_login') || item.postName.replace(/^cap-/, '');
  if (!login) return undefined;
  return {
    id: item.postId,
    login,
    email: meta('user_email'),
    displayName: meta('display_name') || plainText(item.title),
    firstName: meta('first_name'),
    lastName: meta('last_name'),
  };
}

/** Every string field of a record, owned (see `own`). */
function ownAll<T extends object>(record: T): T {
  const out = { ...record } as Record<string, unknown>;
  for (const [k, v] of Object.entries(out)) if (typeof v === 'string') out[k] = own(v);
  return out as T;
}

export function sourceOf(channel: WxrChannel): string {
  const site = (channel.baseSiteUrl || channel.baseBlogUrl || channel.link || 'unknown').trim().replace(/\/+$/, '').toLowerCase();
  return `wordpress:${site}`;
}

/** A WordPress time "2011-01-18 07:40:14" as its parts; undefined for "0000-00-00 00:00:00". */
export function wpTime(value: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  if (y === 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return undefined;
  return { y, mo, d, h, mi, s: s || 0 };
}

export const utcOf = (t: NonNullable<ReturnType<typeof wpTime>>) => Date.UTC(t.y, t.mo - 1, t.d, t.h, t.mi, t.s);

function offsetOf(item: WxrItem): number | undefined {
  const local = wpTime(item.postDate);
  const gmt = wpTime(item.postDateGmt);
  if (!local || !gmt) return undefined;
  const minutes = Math.round((utcOf(local) - utcOf(gmt)) / 60_000);
  // Real offsets run from −12:00 to +14:00, in quarter hours.
  return Math.abs(minutes) <= 14 * 60 && minutes % 15 === 0 ? minutes : undefined;
}
