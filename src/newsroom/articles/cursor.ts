// Keyset ("cursor") pagination over published stories, newest first, for the public API.
// A cursor names the last story of a page by (published_at, id); the next page holds the stories
// strictly after it in (published_at desc, id desc) order. Unlike an offset, a page stays put
// when new stories are published, and the query walks the (status, published_at) index.
import type { Queryable } from '../db.ts';
import { invalid } from '../errors.ts';
import { iso } from '../time.ts';
import { linkedPublicIds, listPublic } from './repository.ts';
import type { ArticleSummary } from './types.ts';
import { onlyPublic } from './visibility.ts';

export interface Position {
  publishedAt: string;
  id: number;
}

export interface PublicPageQuery {
  deskId?: number;
  tagId?: number;
  personId?: number;
  /** Inclusive lower and exclusive upper bound on the publication time. */
  from?: Date;
  to?: Date;
  limit: number;
  /** Stories after this one; the first page when undefined. */
  after?: Position;
}

// Stored times are `Date.prototype.toISOString()` strings, so a cursor must hold exactly one.
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An opaque, URL-safe token for the position after `p`. */
export const encodeCursor = (p: Position): string => Buffer.from(`${p.publishedAt}|${p.id}`, 'utf8').toString('base64url');

/** The position a cursor names; a 400 `invalid_input` for anything not made by encodeCursor. */
export function decodeCursor(cursor: string): Position {
  const bad = () => invalid({ cursor: 'The cursor is not valid: pass back the nextCursor of an earlier page unchanged.' });
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(cursor)) throw bad();
  const [publishedAt = '', id = '', ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length || !ISO.test(publishedAt) || Number.isNaN(Date.parse(publishedAt)) || !/^[1-9]\d{0,14}$/.test(id)) throw bad();
  return { publishedAt, id: Number(id) };
}

/**
 * One page of published stories, newest first, with the cursor of the next page (null on the
 * last one). Asks for one more than `limit` to tell whether a next page exists.
 */
export async function listPublicPage(db: Queryable, q: PublicPageQuery, now = new Date()): Promise<{ items: ArticleSummary[]; next: Position | null }> {
  const rows = q.tagId !== undefined || q.personId !== undefined ? await linkedPublicIds(db, { ...q, limit: q.limit + 1 }, now) : await publicIds(db, q, now);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const next = rows.length > q.limit && last?.published_at ? { publishedAt: last.published_at, id: last.id } : null;
  if (page.length === 0) return { items: [], next };
  // The teasers come from the one public list query, so they look exactly like the site's
  // (same excerpt, same bylines) and pass the visibility rule a second time.
  const { items } = await listPublic(db, { ids: page.map((r) => r.id), limit: page.length }, now);
  return { items, next };
}

/** Ids and times of the page's stories and one more, walking the (status, published_at) index. */
async function publicIds(db: Queryable, q: PublicPageQuery, now: Date): Promise<Array<{ id: number; published_at: string | null }>> {
  let query = db.selectFrom('articles').select(['articles.id', 'articles.published_at']).where((eb) => onlyPublic(eb, now));
  if (q.deskId !== undefined) query = query.where('articles.desk_id', '=', q.deskId);
  if (q.from) query = query.where('articles.published_at', '>=', iso(q.from));
  if (q.to) query = query.where('articles.published_at', '<', iso(q.to));
  if (q.after) {
    // (published_at, id) < (x, y), spelled out so that both dialects (and their planners) take it.
    const { publishedAt, id } = q.after;
    query = query.where((eb) =>
      eb.or([eb('articles.published_at', '<', publishedAt), eb.and([eb('articles.published_at', '=', publishedAt), eb('articles.id', '<', id)])]),
    );
  }
  return query.orderBy('articles.published_at', 'desc').orderBy('articles.id', 'desc').limit(q.limit + 1).execute();
}
