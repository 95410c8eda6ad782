// What a site keeps from its previous life: static pages served at their old paths, and old
// addresses (permalinks, "/?p=12") that answer with a redirect to what stands there now. A
// redirect names its target (a story, a page, a desk), not a URL, so it follows later renames;
// and it leads only to what a reader may see.
import type { Queryable } from '../db.ts';
import { onlyPublic } from '../articles/visibility.ts';
import { iso } from '../time.ts';

export interface StaticPage {
  id: number;
  path: string;
  title: string;
  bodyHtml: string;
  excerpt: string;
  status: 'published' | 'draft';
  authorId: number | null;
  position: number;
  publishedAt: string | null;
  createdAt: string;
  modifiedAt: string;
}

/**
 * A request path as stored: percent-decoded, without the trailing slash (WordPress permalinks
 * end in one, ours never do), "/" for the root. Undefined for a path that cannot be decoded.
 */
export function normalizePath(raw: string): string | undefined {
  const pathOnly = raw.split('?')[0]?.split('#')[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathOnly);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith('/')) decoded = `/${decoded}`;
  decoded = decoded.replace(/\/{2,}/g, '/');
  return decoded.length > 1 ? decoded.replace(/\/+$/, '') || '/' : decoded;
}

type PageRow = {
  id: number;
  path: string;
  title: string;
  body_html: string;
  excerpt: string;
  status: 'published' | 'draft';
  author_id: number | null;
  position: number;
  published_at: string | null;
  created_at: string;
  modified_at: string;
};

const toPage = (row: PageRow): StaticPage => ({
  id: row.id,
  path: row.path,
  title: row.title,
  bodyHtml: row.body_html,
  excerpt: row.excerpt,
  status: row.status,
  authorId: row.author_id,
  position: row.position,
  publishedAt: row.published_at,
  createdAt: row.created_at,
  modifiedAt: row.modified_at,
});

/** The published page at this (normalised) path. */
export async function findPublishedPage(db: Queryable, path: string, now = new Date()): Promise<StaticPage | undefined> {
  const row = await db
    .selectFrom('static_pages')
    .selectAll()
    .where('path', '=', path)
    .where('status', '=', 'published')
    .where((eb) => eb.or([eb('published_at', 'is', null), eb('published_at', '<=', iso(now))]))
    .executeTakeFirst();
  return row && toPage(row);
}

export async function findPageById(db: Queryable, id: number): Promise<StaticPage | undefined> {
  const row = await db.selectFrom('static_pages').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toPage(row);
}

export async function findPageByPath(db: Queryable, path: string): Promise<StaticPage | undefined> {
  const row = await db.selectFrom('static_pages').selectAll().where('path', '=', path).executeTakeFirst();
  return row && toPage(row);
}

export async function listPages(db: Queryable): Promise<StaticPage[]> {
  const rows = await db.selectFrom('static_pages').selectAll().orderBy('id').execute();
  return rows.map(toPage);
}

export interface PageInput {
  path: string;
  title: string;
  /** Already sanitized (sanitizeBody). */
  bodyHtml: string;
  excerpt: string;
  status: 'published' | 'draft';
  authorId: number | null;
  position: number;
  publishedAt: string | null;
}

export async function createPage(db: Queryable, input: PageInput, now = new Date()): Promise<number> {
  const { id } = await db
    .insertInto('static_pages')
    .values({
      path: input.path,
      title: input.title,
      body_html: input.bodyHtml,
      excerpt: input.excerpt,
      status: input.status,
      author_id: input.authorId,
      position: input.position,
      published_at: input.publishedAt,
      created_at: iso(now),
      modified_at: iso(now),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function updatePage(db: Queryable, id: number, input: PageInput, now = new Date()): Promise<void> {
  await db
    .updateTable('static_pages')
    .set({
      path: input.path,
      title: input.title,
      body_html: input.bodyHtml,
      excerpt: input.excerpt,
      status: input.status,
      author_id: input.authorId,
      position: input.position,
      published_at: input.publishedAt,
      modified_at: iso(now),
    })
    .where('id', '=', id)
    .execute();
}

export type RedirectTarget = { articleId: number } | { pageId: number } | { deskId: number } | { location: string };

export interface Redirect {
  path: string;
  target: RedirectTarget;
  createdAt: string;
}

const targetColumns = (target: RedirectTarget) => ({
  article_id: 'articleId' in target ? target.articleId : null,
  page_id: 'pageId' in target ? target.pageId : null,
  desk_id: 'deskId' in target ? target.deskId : null,
  location: 'location' in target ? target.location : null,
});

/**
 * Points an old address at a target; the address may have pointed elsewhere before. Returns
 * whether anything changed.
 */
export async function setRedirect(db: Queryable, path: string, target: RedirectTarget, now = new Date()): Promise<boolean> {
  const columns = targetColumns(target);
  const current = await db.selectFrom('legacy_redirects').select(['article_id', 'page_id', 'desk_id', 'location']).where('path', '=', path).executeTakeFirst();
  if (current && current.article_id === columns.article_id && current.page_id === columns.page_id && current.desk_id === columns.desk_id && current.location === columns.location) {
    return false;
  }
  await db
    .insertInto('legacy_redirects')
    .values({ path, ...columns, created_at: iso(now) })
    .onConflict((oc) => oc.column('path').doUpdateSet(columns))
    .execute();
  return true;
}

export async function listRedirects(db: Queryable): Promise<Redirect[]> {
  const rows = await db.selectFrom('legacy_redirects').selectAll().orderBy('path').execute();
  return rows.map((r) => ({
    path: r.path,
    target:
      r.article_id !== null
        ? { articleId: r.article_id }
        : r.page_id !== null
          ? { pageId: r.page_id }
          : r.desk_id !== null
            ? { deskId: r.desk_id }
            : { location: r.location ?? '/' },
    createdAt: r.created_at,
  }));
}

/**
 * Where an old address leads now: the current URL of its story (only while a reader may see
 * it), page (only while published) or desk, or its fixed location. Undefined otherwise: the
 * request then goes on to the site's own routes, which answer 404 (or 410) themselves.
 */
export async function resolveRedirect(db: Queryable, path: string, now = new Date()): Promise<string | undefined> {
  const row = await db.selectFrom('legacy_redirects').selectAll().where('path', '=', path).executeTakeFirst();
  if (!row) return undefined;
  if (row.article_id !== null) {
    const article = await db
      .selectFrom('articles')
      .innerJoin('desks', 'desks.id', 'articles.desk_id')
      .select(['articles.slug', 'desks.slug as desk_slug'])
      .where('articles.id', '=', row.article_id)
      .where((eb) => onlyPublic(eb, now))
      .executeTakeFirst();
    return article && `/${article.desk_slug}/${article.slug}`;
  }
  if (row.page_id !== null) {
    const page = await findPageById(db, row.page_id);
    return page && page.status === 'published' ? page.path : undefined;
  }
  if (row.desk_id !== null) {
    const desk = await db.selectFrom('desks').select('slug').where('id', '=', row.desk_id).executeTakeFirst();
    return desk && `/${desk.slug}`;
  }
  return row.location ?? undefined;
}
