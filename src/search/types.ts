// The one interface both engines implement; callers never see dialect SQL.
import type { ParsedQuery } from './query.ts';

/** Filters on the stories searched, already resolved from slugs and dates. */
export interface SearchFilters {
  deskId?: number;
  /** A byline: a person or a collective. */
  personId?: number;
  /** Inclusive lower and exclusive upper bound on the publication time. */
  from?: Date;
  to?: Date;
}

/** A visible story: its id and publication time (ISO text, as stored). */
export interface Story {
  id: number;
  at: string;
}

/** A story a band found, with its rank (lower is better; 0 in an unranked band). */
export interface Candidate extends Story {
  score: number;
}

/** Where reading a band's matches in id order goes on from: past `id`, upwards or downwards. */
export interface Continuation {
  id: number;
  up: boolean;
}

/**
 * How much of the archive one band reads, whatever its size (see src/search/bands.ts for what a
 * reader gets). Defaults in DEFAULT_LIMITS; injectable for tests and benchmarks.
 */
export interface SearchLimits {
  /** A ranked band is ranked in chunks of this many stories, newest chunk first. */
  rank: number;
  /** Newest visible stories looked through before turning to the index's side. */
  walk: number;
  /** Matches read from the index's side, in id order, at most. */
  matches: number;
  /** Under this many matches in the index, a band reads them all and skips the walk. */
  few: number;
}

/**
 * One band of the ranking. Results come band after band — every story with all the words in its
 * headline, then in headline and dek, then anywhere — so a band only knows its own order. An
 * engine gives each band these bounded reads; src/search/bands.ts puts them together.
 */
export interface Band {
  /** Ranked by score (in chunks, see SearchLimits.rank), or newest first only. */
  ranked: boolean;
  /** The `n` newest visible stories, newest first (read once for all bands of a search). */
  recent(n: number): Promise<Story[]>;
  /** How many matches the index holds, counted to `cap` at most (the index alone, no visibility). */
  rawCount(cap: number): Promise<number>;
  /** Which of these stories (visible ones, from `recent`) are in the band, with their scores when `scored`. */
  among(ids: number[], scored: boolean): Promise<Array<{ id: number; score: number }>>;
  /**
   * The newest `want` visible stories of the band among `cap` of the index's matches, read in id
   * order from `from` on (without it: all of them, asked only when the index holds fewer than
   * `cap`), newest first by publication time; with their scores when `scored`.
   */
  matches(cap: number, want: number, scored: boolean, from?: Continuation): Promise<Candidate[]>;
}

export interface MarkedTexts {
  /** The headline with matches between MARK_START and MARK_END. */
  headline: string;
  dek: string;
  /** A fragment of the body around the matches; `bodyIsHtml` when it is cut from stored HTML. */
  body: string;
  bodyIsHtml: boolean;
}

export interface SearchIndex {
  /** The bands of the ranking for this query, best first, each already filtered to what readers may see. */
  bands(query: ParsedQuery, filters: SearchFilters, now: Date): Band[];
  /** Headline, dek and body fragment of these stories with the query's words marked. */
  mark(query: ParsedQuery, ids: number[]): Promise<Map<number, MarkedTexts>>;
}
