// The few reads the sitemaps need that the articles repository has no function for yet: URLs and
// times only (no bodies, no bylines), for up to 50,000 stories at once. Every query applies
// onlyPublic. These belong in newsroom/articles/repository.ts; they live here until its owner
// takes them in.
import { sql } from 'kysely';
import type { Queryable } from '../../newsroom/db.ts';
import { newestFirst } from '../../newsroom/articles/repository.ts';
import { onlyPublic } from '../../newsroom/articles/visibility.ts';
import { iso } from '../../newsroom/time.ts';

/** What a sitemap says about one story. */
export interface StoryUrl {
  slug: string;
  deskSlug: string;
  headline: string;
  language: string;
  publishedAt: string;
  updatedAt: string | null;
  embargoUntil: string | null;
}

/** The sitemaps protocol's limit of URLs per file. */
export const SITEMAP_MAX_URLS = 50_000;
/** Google News reads at most this many stories from a news sitemap. */
export const NEWS_MAX_URLS = 1_000;

const storyColumns = [
  'articles.slug',
  'desks.slug as desk_slug',
  'articles.headline',
  'articles.language',
  'articles.published_at',
  'articles.updated_at',
  'articles.embargo_until',
] as const;

type StoryRow = { slug: string; desk_slug: string; headline: string; language: string; published_at: string | null; updated_at: string | null; embargo_until: string | null };

const toStoryUrl = (r: StoryRow): StoryUrl => ({
  slug: r.slug,
  deskSlug: r.desk_slug,
  headline: r.headline,
  language: r.language,
  publishedAt: r.published_at ?? '',
  updatedAt: r.updated_at,
  embargoUntil: r.embargo_until,
});

/** The publication time of the oldest story a reader can see. */
export async function oldestPublicAt(db: Queryable, now: Date): Promise<string | null> {
  const row = await db
    .selectFrom('articles')
    .select('articles.published_at')
    .where((eb) => onlyPublic(eb, now))
    .orderBy('articles.published_at')
    .limit(1)
    .executeTakeFirst();
  return row?.published_at ?? null;
}

/** What the sitemap index says of one month: whether it has public stories, and its newest times. */
export interface SpanStats {
  from: Date;
  count: number;
  lastPublished: string | null;
  lastUpdated: string | null;
}

/**
 * For each span [from, to) (the months of the archive, in the newsroom's time zone), how many
 * public stories were published in it and the newest publication and update times among them: in
 * one statement, the spans given as a VALUES list and each read as a window of the covering
 * index articles_sitemap (status, published_at, embargo_until, updated_at). That reads every
 * public story's index entry once, not its row: 36 ms at 100,000 stories on SQLite, where a
 * statement per month that read each story's row for its update time took 530 ms.
 */
export async function publicSpansStats(db: Queryable, spans: Array<{ from: Date; to: Date }>, now: Date): Promise<SpanStats[]> {
  if (spans.length === 0) return [];
  const values = sql.join(spans.map((span) => sql`(${iso(span.from)}, ${iso(span.to)})`));
  const rows = await db
    .with('spans(from_at, to_at)', () => sql<{ from_at: string; to_at: string }>`(VALUES ${values})`)
    .selectFrom('spans')
    .crossJoin('articles')
    .select((eb) => [
      'spans.from_at',
      eb.fn.countAll<number | string | bigint>().as('count'),
      eb.fn.max('articles.published_at').as('last_published'),
      eb.fn.max('articles.updated_at').as('last_updated'),
    ])
    .whereRef('articles.published_at', '>=', 'spans.from_at')
    .whereRef('articles.published_at', '<', 'spans.to_at')
    .where((eb) => onlyPublic(eb, now))
    .groupBy('spans.from_at')
    .execute();
  const byStart = new Map(rows.map((r) => [r.from_at, r]));
  return spans.map(({ from }) => {
    const row = byStart.get(iso(from));
    return { from, count: Number(row?.count ?? 0), lastPublished: row?.last_published ?? null, lastUpdated: row?.last_updated ?? null };
  });
}

/** Public stories published in [from, to), newest first. */
export async function listPublicStoryUrls(db: Queryable, from: Date, to: Date, now: Date, limit = SITEMAP_MAX_URLS): Promise<StoryUrl[]> {
  const rows = await db
    .selectFrom('articles')
    .innerJoin('desks', 'desks.id', 'articles.desk_id')
    .select(storyColumns)
    .where((eb) => onlyPublic(eb, now))
    .where('articles.published_at', '>=', iso(from))
    .where('articles.published_at', '<', iso(to))
    .orderBy('articles.published_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toStoryUrl);
}

/**
 * Public stories that reached readers since `since`: published since then, or published earlier
 * under an embargo that lifted since then. Newest first. Two reads, each a time window on its
 * own index: as one OR, SQLite walked every public story newest first looking for `limit` of
 * them (a second at 1,000,000 stories, where the last 48 hours hold fewer than 1,000).
 */
export async function listRecentPublicStoryUrls(db: Queryable, since: Date, now: Date, limit = NEWS_MAX_URLS): Promise<StoryUrl[]> {
  // Both bounds spelled out: with only the lower one, SQLite took the ORDER BY's index and walked
  // the archive for the embargo window too.
  const reached = (column: 'articles.published_at' | 'articles.embargo_until') =>
    db
      .selectFrom('articles')
      .innerJoin('desks', 'desks.id', 'articles.desk_id')
      .select([...storyColumns, 'articles.id'])
      .where((eb) => onlyPublic(eb, now))
      .where(column, '>=', iso(since))
      .where(column, '<=', iso(now))
      .orderBy('articles.published_at', 'desc')
      .orderBy('articles.id', 'desc')
      .limit(limit)
      .execute();
  const [published, lifted] = await Promise.all([reached('articles.published_at'), reached('articles.embargo_until')]);
  const byId = new Map([...published, ...lifted].map((r) => [r.id, r]));
  return newestFirst([...byId.values()]).slice(0, limit).map(toStoryUrl);
}

/**
 * Newest public publication time of each desk: per desk, its newest stories walked until the
 * first one public, through the (desk, status, time) index. (Grouping every public story by desk
 * read the whole archive.) Desks are few, so one query each.
 */
export async function lastPublishedByDesk(db: Queryable, deskIds: number[], now: Date): Promise<Map<number, string>> {
  const newest = await Promise.all(
    deskIds.map(async (deskId) => {
      const row = await db
        .selectFrom('articles')
        .select('articles.published_at')
        .where('articles.desk_id', '=', deskId)
        .where((eb) => onlyPublic(eb, now))
        .orderBy('articles.published_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return [deskId, row?.published_at] as const;
    }),
  );
  return new Map(newest.filter((entry): entry is readonly [number, string] => !!entry[1]));
}

/** Tags on at least one public story, with the newest such story's publication time. */
export async function publicTagPages(db: Queryable, now: Date): Promise<Array<{ slug: string; last: string }>> {
  const rows = await db
    .selectFrom('tags')
    .innerJoin('article_tags', 'article_tags.tag_id', 'tags.id')
    .innerJoin('articles', 'articles.id', 'article_tags.article_id')
    .select(['tags.slug', (eb) => eb.fn.max('articles.published_at').as('last')])
    .where((eb) => onlyPublic(eb, now))
    .groupBy('tags.slug')
    .orderBy('tags.slug')
    .execute();
  return rows.map((r) => ({ slug: r.slug, last: r.last ?? '' }));
}

/** People and collectives with a byline on at least one public story, with its newest publication time. */
export async function publicAuthorPages(db: Queryable, now: Date): Promise<Array<{ slug: string; last: string }>> {
  const rows = await db
    .selectFrom('people')
    .innerJoin('article_bylines', 'article_bylines.person_id', 'people.id')
    .innerJoin('articles', 'articles.id', 'article_bylines.article_id')
    .select(['people.slug', (eb) => eb.fn.max('articles.published_at').as('last')])
    .where((eb) => onlyPublic(eb, now))
    .groupBy('people.slug')
    .orderBy('people.slug')
    .execute();
  return rows.map((r) => ({ slug: r.slug, last: r.last ?? '' }));
}
