// Full-text search of published stories: one entry point for the site and the content API,
// SQLite FTS5 or PostgreSQL full-text search behind it.
import { Kysely, PostgresAdapter } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { Database } from '../db/schema.ts';
import { listPublic } from '../newsroom/articles/repository.ts';
import type { ArticleSummary } from '../newsroom/articles/types.ts';
import { invalid } from '../newsroom/errors.ts';
import { hasMark, plain, toSegments, type Highlighted } from './highlight.ts';
import { postgresSearchIndex } from './postgres.ts';
import { parseQuery, type ParsedQuery } from './query.ts';
import { sqliteSearchIndex } from './sqlite.ts';
import { DEFAULT_LIMITS, readBand } from './bands.ts';
import type { Band, SearchFilters, SearchIndex, SearchLimits } from './types.ts';

export type { SearchFilters, SearchIndex, SearchLimits } from './types.ts';
export { DEFAULT_LIMITS } from './bands.ts';
export type { ParsedQuery, QueryProblem, SearchTerm } from './query.ts';
export type { Highlighted, Segment } from './highlight.ts';
export { parseQuery } from './query.ts';

export const SEARCH_PAGE_SIZE = 20;
/** Results are shown to this page and no further: a thousand results, then narrow the search. */
export const MAX_SEARCH_PAGE = 50;

export interface SearchHit {
  story: ArticleSummary;
  /** The headline with the words searched for marked. */
  headline: Highlighted;
  /** Where the words occur: a fragment of the body, else the dek, else the excerpt. */
  snippet: Highlighted;
}

export interface SearchResults {
  query: ParsedQuery;
  page: number;
  hits: SearchHit[];
  /** Whether a next page exists. */
  more: boolean;
  /**
   * Not every match was looked through, only the newest (a band past its bounds came back with
   * fewer stories than it asked for): older matching stories may exist, found by narrowing the
   * dates (src/search/bands.ts).
   */
  cut: boolean;
}

export interface SearchOptions {
  now?: Date;
  pageSize?: number;
  /** How much of the archive each band reads (src/search/bands.ts); small ones in tests. */
  limits?: Partial<SearchLimits>;
}

/** The engine for this database. */
export function searchIndexFor(db: Db | Kysely<Database>): SearchIndex {
  const kysely = db instanceof Kysely ? db : db.kysely;
  const postgres = db instanceof Kysely ? kysely.getExecutor().adapter instanceof PostgresAdapter : db.dialect === 'postgres';
  return postgres ? postgresSearchIndex(kysely) : sqliteSearchIndex(kysely);
}

/**
 * Published stories matching `query` (as typed by a reader, or parsed), best first: all words in
 * the headline, then in headline and dek, then anywhere (newest first); each band read in bounded
 * steps, ranked in chunks of its newest stories (src/search/bands.ts says what a reader gets).
 * Only what readers may see is ever found. A query with nothing to search for comes back with
 * `query.problem` and no hits.
 */
export async function search(
  db: Db | Kysely<Database>,
  query: string | ParsedQuery,
  filters: SearchFilters = {},
  page = 1,
  options: SearchOptions = {},
): Promise<SearchResults> {
  const parsed = typeof query === 'string' ? parseQuery(query) : query;
  if (!Number.isInteger(page) || page < 1 || page > MAX_SEARCH_PAGE) {
    throw invalid({ page: `Search results go to page ${MAX_SEARCH_PAGE}; narrow the search to see more.` });
  }
  if (parsed.problem) return { query: parsed, page, hits: [], more: false, cut: false };
  const kysely = db instanceof Kysely ? db : db.kysely;
  const index = searchIndexFor(db);
  const now = options.now ?? new Date();
  const size = options.pageSize ?? SEARCH_PAGE_SIZE;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { ids: ranked, cut } = await rankedIds(index.bands(parsed, filters, now), limits, size + 1, (page - 1) * size);
  const ids = ranked.slice(0, size);
  const [stories, marked] = await Promise.all([summaries(kysely, ids, now), index.mark(parsed, ids)]);
  const byId = new Map(stories.map((s) => [s.id, s]));
  const hits: SearchHit[] = [];
  for (const id of ids) {
    const story = byId.get(id);
    if (!story) continue;
    const texts = marked.get(id);
    const headline = texts ? toSegments(texts.headline) : [];
    const body = texts ? toSegments(texts.body, { html: texts.bodyIsHtml }) : [];
    const dek = texts ? toSegments(texts.dek) : [];
    hits.push({
      story,
      headline: hasMark(headline) ? headline : plain(story.headline),
      snippet: hasMark(body) ? body : hasMark(dek) ? dek : plain(story.excerpt),
    });
  }
  return { query: parsed, page, hits, more: ranked.length > size, cut };
}

/** The stories as listings show them: one lookup by id each, in one query (see listPublic). */
async function summaries(db: Kysely<Database>, ids: number[], now: Date): Promise<ArticleSummary[]> {
  return (await listPublic(db, { ids, limit: ids.length }, now)).items;
}

/** `limit` ids from `offset` on, across the bands in order; a band shorter than the offset is skipped whole. */
async function rankedIds(bands: Band[], limits: SearchLimits, limit: number, offset: number): Promise<{ ids: number[]; cut: boolean }> {
  const out: number[] = [];
  let skip = offset;
  let cut = false;
  for (const band of bands) {
    const need = limit - out.length;
    if (need <= 0) break;
    const read = await readBand(band, limits, need, skip);
    cut ||= read.cut;
    out.push(...read.ids);
    if (read.ids.length > 0) skip = 0;
    else if (skip > 0) skip = Math.max(0, skip - (read.size ?? 0));
  }
  return { ids: [...new Set(out)], cut };
}
