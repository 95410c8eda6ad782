// Writes of articles' content. The editorial workflow (submit, approve, publish …) builds on
// these; seeding and imports call createArticle directly with a status they are trusted to set.
import type { Queryable } from '../db.ts';
import { sanitizeBody } from '../body.ts';
import { invalid } from '../errors.ts';
import { ensureTags, tagSlugs } from '../tags/repository.ts';
import { isSlug, slugify } from '../text.ts';
import { iso } from '../time.ts';
import { LIMITS, STATUSES, type LeadImage, type Status } from './types.ts';
import { recordChange, storyChangeTags, storyFootprint } from '../changes.ts';

export interface ArticleInput {
  headline: string;
  deskId: number;
  slug?: string;
  kicker?: string;
  dek?: string;
  bodyHtml?: string;
  excerpt?: string;
  leadImage?: LeadImage | null;
  language?: string;
  bylineIds?: number[];
  tags?: string[];
  /** Title and description for search engines and link previews, when they should differ. */
  seoTitle?: string;
  seoDescription?: string;
}

/** An article's content as cleanArticleInput leaves it: checked, normalised, body sanitized. */
export interface CleanInput {
  headline: string;
  deskId: number;
  slug: string;
  kicker: string;
  dek: string;
  bodyHtml: string;
  excerpt: string;
  leadImage: LeadImage | null;
  language: string;
  bylineIds: number[];
  tags: string[];
  seoTitle: string;
  seoDescription: string;
}

const oneLine = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

/** Checks and normalises input; every problem is reported at once, by field. */
export function cleanArticleInput(input: ArticleInput): CleanInput {
  const problems: Record<string, string> = {};
  const headline = oneLine(input.headline);
  const kicker = oneLine(input.kicker);
  const dek = oneLine(input.dek);
  const excerpt = oneLine(input.excerpt);
  const seoTitle = oneLine(input.seoTitle);
  const seoDescription = oneLine(input.seoDescription);
  const slug = input.slug?.trim() || slugify(headline);
  if (!headline) problems.headline = 'A story needs a headline.';
  else if (headline.length > LIMITS.headline) problems.headline = `The headline is longer than ${LIMITS.headline} characters.`;
  if (kicker.length > LIMITS.kicker) problems.kicker = `The kicker is longer than ${LIMITS.kicker} characters.`;
  if (dek.length > LIMITS.dek) problems.dek = `The dek is longer than ${LIMITS.dek} characters.`;
  if (excerpt.length > LIMITS.excerpt) problems.excerpt = `The excerpt is longer than ${LIMITS.excerpt} characters.`;
  if (seoTitle.length > LIMITS.seoTitle) problems.seoTitle = `The SEO title is longer than ${LIMITS.seoTitle} characters.`;
  if (seoDescription.length > LIMITS.seoDescription) problems.seoDescription = `The SEO description is longer than ${LIMITS.seoDescription} characters.`;
  if ((input.bodyHtml ?? '').length > LIMITS.body) problems.bodyHtml = 'The body is too long.';
  if (headline && (!isSlug(slug) || slug.length > LIMITS.slug)) {
    problems.slug = 'A slug may hold only lower-case letters, digits and single hyphens, at most 120 characters.';
  }
  const bylineIds = [...new Set(input.bylineIds ?? [])];
  if (bylineIds.length > LIMITS.bylines) problems.bylines = `A story may have at most ${LIMITS.bylines} bylines.`;
  const tags = input.tags ?? [];
  if (tags.length > LIMITS.tags) problems.tags = `A story may have at most ${LIMITS.tags} tags.`;
  const image = input.leadImage;
  if (image && !/^(https?:\/\/|\/)/.test(image.url)) problems.leadImage = 'The lead image must be an http(s) URL or a site path.';
  if (image && !image.alt.trim()) problems.leadImageAlt = 'The lead image needs alt text for readers who cannot see it.';
  if (Object.keys(problems).length > 0) throw invalid(problems);
  return {
    headline,
    deskId: input.deskId,
    slug,
    kicker,
    dek,
    bodyHtml: sanitizeBody(input.bodyHtml ?? ''),
    excerpt,
    leadImage: image ? { url: image.url, alt: oneLine(image.alt), caption: oneLine(image.caption), credit: oneLine(image.credit) } : null,
    language: input.language?.trim() || 'en',
    bylineIds,
    tags,
    seoTitle,
    seoDescription,
  };
}

async function assertSlugFree(db: Queryable, slug: string, exceptId?: number): Promise<void> {
  let query = db.selectFrom('articles').select('id').where('slug', '=', slug);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  if (await query.executeTakeFirst()) throw invalid({ slug: `Another story already uses the slug "${slug}".` });
}

async function assertDesk(db: Queryable, deskId: number): Promise<void> {
  const desk = await db.selectFrom('desks').select('id').where('id', '=', deskId).executeTakeFirst();
  if (!desk) throw invalid({ deskId: 'Choose an existing desk.' });
}

async function writeRelations(db: Queryable, articleId: number, clean: CleanInput): Promise<void> {
  await db.deleteFrom('article_bylines').where('article_id', '=', articleId).execute();
  if (clean.bylineIds.length > 0) {
    await db
      .insertInto('article_bylines')
      .values(clean.bylineIds.map((person_id, position) => ({ article_id: articleId, person_id, position })))
      .execute();
  }
  await db.deleteFrom('article_tags').where('article_id', '=', articleId).execute();
  const tags = await ensureTags(db, clean.tags);
  if (tags.length > 0) {
    await db
      .insertInto('article_tags')
      .values(tags.map((t, position) => ({ article_id: articleId, tag_id: t.id, position })))
      .execute();
  }
}

/** The articles columns an article's content fills (creating, updating, importing in bulk). */
export const contentColumns = (clean: CleanInput) => ({
  slug: clean.slug,
  desk_id: clean.deskId,
  kicker: clean.kicker,
  headline: clean.headline,
  dek: clean.dek,
  body_html: clean.bodyHtml,
  excerpt: clean.excerpt,
  lead_image_url: clean.leadImage?.url ?? null,
  lead_image_alt: clean.leadImage?.alt ?? '',
  lead_image_caption: clean.leadImage?.caption ?? '',
  lead_image_credit: clean.leadImage?.credit ?? '',
  language: clean.language,
  seo_title: clean.seoTitle,
  seo_description: clean.seoDescription,
});

export interface CreateOptions {
  status?: Status;
  publishedAt?: Date | null;
  updatedAt?: Date | null;
  now?: Date;
  /** False for bulk imports, which record one change for the whole run (src/newsroom/changes.ts). */
  recordChange?: boolean;
}

/** Creates an article; run it inside a transaction (it writes several tables). */
export async function createArticle(db: Queryable, input: ArticleInput, options: CreateOptions = {}): Promise<number> {
  const clean = cleanArticleInput(input);
  const now = options.now ?? new Date();
  const status = options.status ?? 'draft';
  if (!STATUSES.includes(status)) throw invalid({ status: `Unknown status "${status}".` });
  await assertDesk(db, clean.deskId);
  await assertSlugFree(db, clean.slug);
  // A former slug handed to a new story now belongs to it.
  await db.deleteFrom('article_slugs').where('slug', '=', clean.slug).execute();
  const publishedAt = options.publishedAt ?? (status === 'published' ? now : null);
  const { id } = await db
    .insertInto('articles')
    .values({
      ...contentColumns(clean),
      status,
      published_at: publishedAt ? iso(publishedAt) : null,
      updated_at: options.updatedAt ? iso(options.updatedAt) : null,
      embargo_until: null,
      created_at: iso(now),
      modified_at: iso(now),
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeRelations(db, id, clean);
  // A story born public (an import, the demo) changes what readers see; importers say so once, at the end.
  if (status === 'published' && options.recordChange !== false) await recordChange(db, storyChangeTags(null, await storyFootprint(db, id, now)), now);
  return id;
}

/**
 * Replaces an article's content. A changed slug keeps the old one as a redirect; returns the
 * new version number.
 */
export async function updateArticleContent(db: Queryable, id: number, input: ArticleInput, now = new Date()): Promise<number> {
  return updateCleanArticleContent(db, id, cleanArticleInput(input), now);
}

/** updateArticleContent for content cleanArticleInput has checked already (an importer compared it first). */
export async function updateCleanArticleContent(db: Queryable, id: number, clean: CleanInput, now = new Date()): Promise<number> {
  const current = await db.selectFrom('articles').select(['slug', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
  await assertDesk(db, clean.deskId);
  if (clean.slug !== current.slug) {
    await assertSlugFree(db, clean.slug, id);
    await db.deleteFrom('article_slugs').where('slug', '=', clean.slug).execute();
    await db.insertInto('article_slugs').values({ slug: current.slug, article_id: id }).onConflict((oc) => oc.column('slug').doNothing()).execute();
  }
  const version = current.version + 1;
  await db
    .updateTable('articles')
    .set({ ...contentColumns(clean), modified_at: iso(now), version })
    .where('id', '=', id)
    .execute();
  await writeRelations(db, id, clean);
  return version;
}

/** One of the articles createArticles writes. */
export interface NewArticle {
  clean: CleanInput;
  status: Status;
  publishedAt: Date | null;
  updatedAt: Date | null;
  /** Written as both created and modified. */
  createdAt: Date;
}

/** Rows per INSERT: 500 articles are about 10,000 parameters, well inside SQLite's and PostgreSQL's limits. */
const ROWS_PER_INSERT = 500;

/**
 * Creates many articles in a few statements instead of about ten each: the importers' way.
 * The content was checked and sanitized by cleanArticleInput, the desks exist (their foreign key
 * still says so), the slugs are free and distinct. No change is recorded: importers record one
 * per run. Returns the new ids in the order given.
 *
 * On SQLite the statement count also decides the search index's cost: FTS5 writes out what it
 * has indexed so far at every later statement that opens a savepoint (any multi-row insert does),
 * so writing story by story made an index segment, and merge work, per story.
 */
export async function createArticles(db: Queryable, articles: NewArticle[]): Promise<number[]> {
  const ids = new Map<string, number>();
  for (const chunk of chunked(articles, ROWS_PER_INSERT)) {
    const rows = await db.insertInto('articles').values(chunk.map(articleRow)).returning(['id', 'slug']).execute();
    for (const row of rows) ids.set(row.slug, row.id);
  }
  const idOf = (article: NewArticle) => ids.get(article.clean.slug) as number;
  // Each link carries its story's publication time (the listing-times triggers would otherwise
  // correct every link with a second write).
  const timeOf = (article: NewArticle) => (article.publishedAt ? iso(article.publishedAt) : null);
  // A former slug handed to a new story now belongs to it.
  for (const chunk of chunked(articles, ROWS_PER_INSERT)) {
    await db.deleteFrom('article_slugs').where('slug', 'in', chunk.map((a) => a.clean.slug)).execute();
  }
  const bylines = articles.flatMap((a) => a.clean.bylineIds.map((person_id, position) => ({ article_id: idOf(a), person_id, position, published_at: timeOf(a) })));
  for (const chunk of chunked(bylines, ROWS_PER_INSERT)) await db.insertInto('article_bylines').values(chunk).execute();
  const tagIds = new Map((await ensureTags(db, articles.flatMap((a) => a.clean.tags))).map((t) => [t.slug, t.id]));
  const tags = articles.flatMap((a) =>
    tagSlugs(a.clean.tags).flatMap((slug, position) => {
      const tagId = tagIds.get(slug);
      return tagId === undefined ? [] : [{ article_id: idOf(a), tag_id: tagId, position, published_at: timeOf(a) }];
    }),
  );
  for (const chunk of chunked(tags, ROWS_PER_INSERT)) await db.insertInto('article_tags').values(chunk).execute();
  return articles.map(idOf);
}

/**
 * Object.assign rather than `{ ...contentColumns(clean), status, … }`: V8 built that literal of
 * 22 properties in about 30 µs, a twentieth of a story's import, against 2 µs for this.
 */
function articleRow({ clean, status, publishedAt, updatedAt, createdAt }: NewArticle) {
  const created = iso(createdAt);
  return Object.assign(contentColumns(clean), {
    status,
    published_at: publishedAt ? iso(publishedAt) : null,
    updated_at: updatedAt ? iso(updatedAt) : null,
    embargo_until: null,
    created_at: created,
    modified_at: created,
    version: 1,
  });
}

function* chunked<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
