// Reads of articles. Public reads apply onlyPublic; newsroom reads say so in their name.
import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import type { ArticlesTable } from '../../db/schema.ts';
import type { Database, Queryable } from '../db.ts';
import { toPerson } from '../people/repository.ts';
import { excerpt, textFromHtml } from '../text.ts';
import { iso } from '../time.ts';
import type { Tag } from '../tags/repository.ts';
import type { Article, ArticleSummary, BylineRef, LeadImage } from './types.ts';
import { onlyPublic } from './visibility.ts';

const summaryColumns = [
  'articles.id',
  'articles.slug',
  'articles.kicker',
  'articles.headline',
  'articles.dek',
  'articles.excerpt',
  'articles.lead_image_url',
  'articles.lead_image_alt',
  'articles.lead_image_caption',
  'articles.lead_image_credit',
  'articles.published_at',
  'articles.updated_at',
  'desks.id as desk_id',
  'desks.slug as desk_slug',
  'desks.name as desk_name',
] as const;

/**
 * A summary needs the body only to make an excerpt when the story has none (stored excerpts are
 * trimmed on write): reading every listed story's whole body was most of a listing's cost.
 */
const teaserBody = (eb: ExpressionBuilder<Database, 'articles'>) =>
  eb.case().when('articles.excerpt', '=', '').then(eb.ref('articles.body_html')).else(sql.lit('')).end().as('body_html');

type SummaryRow = Pick<
  Selectable<ArticlesTable>,
  | 'id' | 'slug' | 'kicker' | 'headline' | 'dek' | 'excerpt' | 'body_html' | 'lead_image_url' | 'lead_image_alt'
  | 'lead_image_caption' | 'lead_image_credit' | 'published_at' | 'updated_at'
> & { desk_id: number; desk_slug: string; desk_name: string };

const leadImage = (row: Pick<SummaryRow, 'lead_image_url' | 'lead_image_alt' | 'lead_image_caption' | 'lead_image_credit'>): LeadImage | null =>
  row.lead_image_url
    ? { url: row.lead_image_url, alt: row.lead_image_alt, caption: row.lead_image_caption, credit: row.lead_image_credit }
    : null;

/**
 * The editor's excerpt when there is one, else the body's text; either way cut at a word to
 * teaser length, so an imported excerpt that stops mid-word still reads cleanly.
 */
export const excerptOf = (row: { excerpt: string; body_html: string }): string =>
  excerpt(row.excerpt.trim() ? row.excerpt : textFromHtml(row.body_html));

function toSummary(row: SummaryRow, bylines: BylineRef[]): ArticleSummary {
  return {
    id: row.id,
    slug: row.slug,
    desk: { id: row.desk_id, slug: row.desk_slug, name: row.desk_name },
    kicker: row.kicker,
    headline: row.headline,
    dek: row.dek,
    excerpt: excerptOf(row),
    leadImage: leadImage(row),
    publishedAt: row.published_at ?? '',
    updatedAt: row.updated_at,
    bylines,
  };
}

/** Bylines of many articles in one query, in byline order. */
async function bylineRefs(db: Queryable, ids: number[]): Promise<Map<number, BylineRef[]>> {
  const out = new Map<number, BylineRef[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('article_bylines')
    .innerJoin('people', 'people.id', 'article_bylines.person_id')
    .select(['article_bylines.article_id', 'people.slug', 'people.name', 'people.kind'])
    .where('article_bylines.article_id', 'in', ids)
    .orderBy('article_bylines.article_id')
    .orderBy('article_bylines.position')
    .execute();
  for (const r of rows) {
    const list = out.get(r.article_id) ?? [];
    list.push({ slug: r.slug, name: r.name, kind: r.kind });
    out.set(r.article_id, list);
  }
  return out;
}

/** The tags of many articles in one query, each list in the article's order. */
export async function tagsByArticle(db: Queryable, ids: number[]): Promise<Map<number, Tag[]>> {
  const out = new Map<number, Tag[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select(['article_tags.article_id', 'tags.id', 'tags.slug', 'tags.name'])
    .where('article_tags.article_id', 'in', ids)
    .orderBy('article_tags.article_id')
    .orderBy('article_tags.position')
    .execute();
  for (const { article_id: articleId, ...tag } of rows) out.set(articleId, [...(out.get(articleId) ?? []), tag]);
  return out;
}

/** Body and language of each of these stories readers may still see (one unpublished meanwhile is left out). */
export async function publicBodies(db: Queryable, ids: number[], now: Date): Promise<Map<number, { bodyHtml: string; language: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('articles')
    .select(['articles.id', 'articles.body_html', 'articles.language'])
    .where('articles.id', 'in', ids)
    .where((eb) => onlyPublic(eb, now))
    .execute();
  return new Map(rows.map((r) => [r.id, { bodyHtml: r.body_html, language: r.language }]));
}

export interface PublicListQuery {
  /** Only these stories (still only the public ones). */
  ids?: number[];
  deskId?: number;
  tagId?: number;
  personId?: number;
  /** Inclusive lower and exclusive upper bound on the publication time. */
  from?: Date;
  to?: Date;
  excludeIds?: number[];
  limit: number;
  offset?: number;
}

/** Published stories, newest first. Asks for one more than `limit` to tell whether more exist. */
export async function listPublic(db: Queryable, q: PublicListQuery, now = new Date()): Promise<{ items: ArticleSummary[]; more: boolean }> {
  if (q.ids === undefined && (q.tagId !== undefined || q.personId !== undefined)) {
    // A tag's or an author's stories: found by walking the links newest first, then read whole.
    const found = await linkedPublicIds(db, { ...q, limit: q.limit + 1 }, now);
    const { items } = await listPublic(db, { ids: found.slice(0, q.limit).map((r) => r.id), limit: q.limit }, now);
    return { items, more: found.length > q.limit };
  }
  // CROSS JOIN keeps articles the outer loop on SQLite (PostgreSQL plans it as the inner join it
  // is): started from the few desks, SQLite walked each desk's stories and sorted them all.
  let query = db
    .selectFrom('articles')
    .crossJoin('desks')
    .whereRef('desks.id', '=', 'articles.desk_id')
    .select(summaryColumns)
    .select(teaserBody)
    .where((eb) => onlyPublic(eb, now));
  if (q.ids !== undefined) query = query.where('articles.id', 'in', q.ids.length ? q.ids : [-1]);
  if (q.deskId !== undefined) query = query.where('articles.desk_id', '=', q.deskId);
  if (q.tagId !== undefined) {
    const tagId = q.tagId;
    query = query.where('articles.id', 'in', (eb) => eb.selectFrom('article_tags').select('article_id').where('tag_id', '=', tagId));
  }
  if (q.personId !== undefined) {
    const personId = q.personId;
    query = query.where('articles.id', 'in', (eb) =>
      eb.selectFrom('article_bylines').select('article_id').where('person_id', '=', personId),
    );
  }
  if (q.from) query = query.where('articles.published_at', '>=', iso(q.from));
  if (q.to) query = query.where('articles.published_at', '<', iso(q.to));
  if (q.excludeIds?.length) query = query.where('articles.id', 'not in', q.excludeIds);
  const rows =
    q.ids === undefined
      ? await query.orderBy('articles.published_at', 'desc').orderBy('articles.id', 'desc').limit(q.limit + 1).offset(q.offset ?? 0).execute()
      : // Given ids, ordered here: asked to order them, a planner without statistics walks every
        // public story by date to find the few, where a lookup by id is all they need.
        newestFirst(await query.execute()).slice(q.offset ?? 0, (q.offset ?? 0) + q.limit + 1);
  const page = rows.slice(0, q.limit);
  const bylines = await bylineRefs(db, page.map((r) => r.id));
  return { items: page.map((r) => toSummary(r, bylines.get(r.id) ?? [])), more: rows.length > q.limit };
}

/** What linkedPublicIds selects by: a tag or an author (both: the tag's links, checked for the byline), and where to start. */
export interface LinkedQuery extends Omit<PublicListQuery, 'ids'> {
  /** Only stories after this one in (published_at desc, id desc) order: the API's cursor. */
  after?: { publishedAt: string; id: number };
}

/** A link table (article_tags, article_bylines) as listings read it. */
interface LinkRow {
  article_id: number;
  published_at: string | null;
}

/**
 * Ids and times of a tag's or an author's public stories, newest first, at most `limit` after
 * `offset`. Walks the link table's (tag or person, published_at, article_id) index backwards
 * from now, checking each story's visibility by its primary key, and stops at the LIMIT: a
 * page costs the same for a tag of ten stories and one of a hundred thousand. (Filtering the
 * stories by "id IN (the tag's links)" read every link of the tag and sorted the stories.)
 */
export async function linkedPublicIds(db: Queryable, q: LinkedQuery, now = new Date()): Promise<Array<{ id: number; published_at: string }>> {
  const [table, column, key] =
    q.tagId !== undefined ? (['article_tags', 'tag_id', q.tagId] as const) : (['article_bylines', 'person_id', q.personId ?? -1] as const);
  // CROSS JOIN keeps the link the outer loop on SQLite: its index gives the order.
  let query = db
    .selectFrom(sql<LinkRow>`${sql.table(table)}`.as('link'))
    .crossJoin('articles')
    .whereRef('articles.id', '=', 'link.article_id')
    .select(['articles.id', 'link.published_at'])
    .where(sql.ref(`link.${column}`), '=', key)
    .where('link.published_at', '<=', iso(now))
    .where((eb) => onlyPublic(eb, now));
  if (q.tagId !== undefined && q.personId !== undefined) {
    const personId = q.personId;
    query = query.where(({ exists, selectFrom }) =>
      exists(selectFrom('article_bylines').select('article_bylines.article_id').whereRef('article_bylines.article_id', '=', 'link.article_id').where('article_bylines.person_id', '=', personId)),
    );
  }
  if (q.deskId !== undefined) query = query.where('articles.desk_id', '=', q.deskId);
  if (q.from) query = query.where('link.published_at', '>=', iso(q.from));
  if (q.to) query = query.where('link.published_at', '<', iso(q.to));
  if (q.excludeIds?.length) query = query.where('link.article_id', 'not in', q.excludeIds);
  if (q.after) {
    // (published_at, id) < (x, y), spelled out so that both dialects (and their planners) take it.
    const { publishedAt, id } = q.after;
    query = query.where((eb) => eb.or([eb('link.published_at', '<', publishedAt), eb.and([eb('link.published_at', '=', publishedAt), eb('link.article_id', '<', id)])]));
  }
  const rows = await query.orderBy('link.published_at', 'desc').orderBy('link.article_id', 'desc').limit(q.limit).offset(q.offset ?? 0).execute();
  return rows.map((r) => ({ id: r.id, published_at: r.published_at ?? '' }));
}

/** Rows in listing order, newest first (published_at desc, id desc), sorted in place. */
export const newestFirst = <T extends { id: number; published_at: string | null }>(rows: T[]): T[] =>
  rows.sort((a, b) => ((a.published_at ?? '') < (b.published_at ?? '') ? 1 : (a.published_at ?? '') > (b.published_at ?? '') ? -1 : b.id - a.id));

/** How many of a story's tags, and how many of the newest stories per tag, related stories are drawn from. */
const RELATED_TAGS = 5;
const RELATED_PER_TAG = 50;

/**
 * Other published stories sharing the most tags with this one, newest first among equals.
 * Bounded whatever the archive's size: only the newest stories of the first few tags (an index
 * range each) are candidates, counted and ranked in one query.
 */
export async function listRelated(db: Queryable, article: Article, limit: number, excludeIds: number[] = [article.id], now = new Date()): Promise<ArticleSummary[]> {
  const tagIds = article.tags.slice(0, RELATED_TAGS).map((t) => t.id);
  if (tagIds.length === 0) return [];
  // Each arm named apart (t0, t1 …), so a plan names which walk it means.
  const newestWithTag = (tagId: number, i: number) =>
    db
      .selectFrom((eb) => eb.selectFrom('article_tags').select('article_id').where('tag_id', '=', tagId).orderBy('article_id', 'desc').limit(RELATED_PER_TAG).as(`t${i}`))
      .select(`t${i}.article_id as article_id`);
  const [first, ...rest] = tagIds.map(newestWithTag);
  const candidates = rest.reduce((union, next) => union.unionAll(next), first!);
  // Ranked on the covering index of ids and visibility alone; only the winners' rows are read.
  let ranked = db
    .with('candidates', () => candidates)
    .selectFrom('candidates')
    .innerJoin('articles', 'articles.id', 'candidates.article_id')
    .select((eb) => ['articles.id', 'articles.published_at', eb.fn.countAll<number>().as('shared')])
    .where((eb) => onlyPublic(eb, now));
  if (excludeIds.length) ranked = ranked.where('articles.id', 'not in', excludeIds);
  const winners = await ranked
    .groupBy('articles.id')
    .orderBy('shared', 'desc')
    .orderBy('articles.published_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(limit)
    .execute();
  const { items } = await listPublic(db, { ids: winners.map((w) => w.id), limit }, now);
  const byId = new Map(items.map((s) => [s.id, s]));
  return winners.map((w) => byId.get(w.id)).filter((s): s is ArticleSummary => s !== undefined);
}

export type ReaderLookup =
  | { kind: 'found'; article: Article }
  | { kind: 'moved'; slug: string; deskSlug: string }
  | { kind: 'gone' }
  | { kind: 'missing' };

/**
 * What a reader asking for a story by slug gets: the story, a redirect from a former slug,
 * "gone" for an unpublished one, or nothing — never a hint that a draft exists.
 */
export async function findForReader(db: Queryable, slug: string, now = new Date()): Promise<ReaderLookup> {
  const row = await db.selectFrom('articles').select(['id', 'status']).where('slug', '=', slug).executeTakeFirst();
  if (row) {
    if (row.status === 'unpublished') return { kind: 'gone' };
    const article = await loadArticle(db, row.id, now, true);
    return article ? { kind: 'found', article } : { kind: 'missing' };
  }
  const former = await db
    .selectFrom('article_slugs')
    .innerJoin('articles', 'articles.id', 'article_slugs.article_id')
    .innerJoin('desks', 'desks.id', 'articles.desk_id')
    .select(['articles.slug', 'desks.slug as desk_slug', 'articles.status'])
    .where('article_slugs.slug', '=', slug)
    .where((eb) => onlyPublic(eb, now))
    .executeTakeFirst();
  return former ? { kind: 'moved', slug: former.slug, deskSlug: former.desk_slug } : { kind: 'missing' };
}

/** The whole article with bylines and tags; when `publicOnly`, undefined unless a reader may see it. */
export async function loadArticle(db: Queryable, id: number, now = new Date(), publicOnly = false): Promise<Article | undefined> {
  return (await loadArticles(db, [id], now, publicOnly))[0];
}

/**
 * Whole articles in the order of `ids`, in four queries however many (a feed shows fifty); when
 * `publicOnly`, those a reader may not see are left out.
 */
export async function loadArticles(db: Queryable, ids: number[], now = new Date(), publicOnly = false): Promise<Article[]> {
  if (ids.length === 0) return [];
  let query = db
    .selectFrom('articles')
    .innerJoin('desks', 'desks.id', 'articles.desk_id')
    .select([...summaryColumns, 'articles.body_html', 'articles.language', 'articles.status', 'articles.embargo_until', 'articles.version', 'articles.seo_title', 'articles.seo_description'])
    .where('articles.id', 'in', ids);
  if (publicOnly) query = query.where((eb) => onlyPublic(eb, now));
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const found = rows.map((r) => r.id);
  const [people, tags, events] = await Promise.all([
    db
      .selectFrom('article_bylines')
      .innerJoin('people', 'people.id', 'article_bylines.person_id')
      .selectAll('people')
      .select('article_bylines.article_id')
      .where('article_bylines.article_id', 'in', found)
      .orderBy('article_bylines.article_id')
      .orderBy('article_bylines.position')
      .execute(),
    tagsByArticle(db, found),
    db.selectFrom('article_events').select(['article_id', 'kind', 'note', 'at']).where('article_id', 'in', found).orderBy('article_id').orderBy('at').orderBy('id').execute(),
  ]);
  const byId = new Map(
    rows.map((row) => {
      const article: Article = {
        ...toSummary(row, []),
        publishedAt: row.published_at,
        bodyHtml: row.body_html,
        language: row.language,
        status: row.status,
        embargoUntil: row.embargo_until,
        version: row.version,
        bylines: [],
        tags: tags.get(row.id) ?? [],
        events: [],
        seoTitle: row.seo_title,
        seoDescription: row.seo_description,
      };
      return [row.id, article];
    }),
  );
  for (const { article_id, ...person } of people) byId.get(article_id)?.bylines.push(toPerson(person));
  for (const { article_id, ...event } of events) byId.get(article_id)?.events.push(event);
  return ids.map((id) => byId.get(id)).filter((a): a is Article => a !== undefined);
}

export async function findArticleIdBySlug(db: Queryable, slug: string): Promise<number | undefined> {
  const row = await db.selectFrom('articles').select('id').where('slug', '=', slug).executeTakeFirst();
  return row?.id;
}
