// How Dateline's concepts become WordPress's: statuses, times, and one id space. Kept apart from
// the writer so the importer's side of the same mapping (meta keys, statuses) is one file away.
import type { Status } from '../../articles/types.ts';
import { DATELINE_META, YOAST_META } from '../../import/wxr/meta.ts';
import { dateTimeFormat } from '../../intl.ts';

/** Post meta for what WordPress has no field for; `dateline import wxr` reads the same keys. */
export const META = {
  ...DATELINE_META,
  seoTitle: YOAST_META.title,
  seoDescription: YOAST_META.description,
  primaryCategory: '_yoast_wpseo_primary_category',
  thumbnail: '_thumbnail_id',
  imageAlt: '_wp_attachment_image_alt',
} as const;

/**
 * Our workflow in WordPress's five statuses. WordPress has no review states beyond "pending",
 * and "private" is the nearest to a story taken down (readers cannot see it, editors can).
 */
export const WP_STATUS: Record<Status, 'draft' | 'pending' | 'future' | 'publish' | 'private'> = {
  draft: 'draft',
  changes_requested: 'draft',
  submitted: 'pending',
  approved: 'pending',
  scheduled: 'future',
  published: 'publish',
  unpublished: 'private',
};

/** WordPress's "no date yet" (an unpublished draft's post_date_gmt). */
export const NO_DATE = '0000-00-00 00:00:00';

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-11-20 08:30:00" in UTC. */
export function wpGmt(at: Date): string {
  return `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
}

/** "2026-11-20 12:00:00": the wall-clock time in the site's zone, as WordPress stores post_date. */
export function wpLocal(at: Date, timeZone: string): string {
  const parts = dateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/** RSS's date, as WordPress writes an item's pubDate ("Fri, 20 Nov 2026 08:30:00 +0000"). */
export const rssDate = (at: Date): string => at.toUTCString().replace(/GMT$/, '+0000');

/**
 * WordPress keeps posts, pages and attachments in one table with one id sequence; ours are
 * three tables. Stories keep their ids (so "/?p=ID" stays meaningful), pages and media follow
 * in blocks after them, and an image that is a story's own lead image comes last.
 */
export interface IdSpace {
  article(id: number): number;
  page(id: number): number;
  media(id: number): number;
  leadImage(articleId: number): number;
}

export function idSpace(max: { articles: number; pages: number; media: number }): IdSpace {
  const pages = max.articles;
  const media = pages + max.pages;
  const leads = media + max.media;
  return { article: (id) => id, page: (id) => pages + id, media: (id) => media + id, leadImage: (id) => leads + id };
}

/** Term ids are one sequence in WordPress too: desks, then tags, then co-author terms. */
export interface TermIds {
  desk(id: number): number;
  tag(id: number): number;
  author(personId: number): number;
}

export function termIds(max: { desks: number; tags: number }): TermIds {
  return { desk: (id) => id, tag: (id) => max.desks + id, author: (id) => max.desks + max.tags + id };
}

/** Co-Authors Plus names its author terms "cap-<login>". */
export const coAuthorSlug = (login: string) => `cap-${login}`;

/** A slug as WordPress stores it: percent-encoded UTF-8, lower-case hex ("%d8%aa…"). */
export const wpSlug = (slug: string) => encodeURIComponent(slug).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());

/**
 * A person's WordPress login: the slug when WordPress would keep it as it is (logins are plain
 * ASCII), else "person-<id>"; the importer then leads /author/<login> to the person's page.
 */
export const loginOf = (person: { id: number; slug: string }) => (/^[a-z0-9_.@-]+$/.test(person.slug) ? person.slug : `person-${person.id}`);
