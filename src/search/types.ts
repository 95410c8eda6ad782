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

/** A story a band found: its id, publication time (ISO text, as stored) and rank (lower is better). */
export interface Candidate {
  id: number;
  at: string;
  score: number;
}

/**
 * How much of the archive one band reads, whatever its size (see src/search/bands.ts for what a
 * reader gets). Defaults in DEFAULT_LIMITS; injectable for tests and benchmarks.
 */
export interface SearchLimits {
  /** A ranked band is ranked in chunks of this many stories, newest chunk first. */
  rank: number;
  /** Newest visible stories probed one by one before turning to the index's side. */
  walk: number;
  /** Matches read from the index's side (most recently created first) at most. */
  matches: number;
  /** Under this many matches in the index, a band reads them all and skips the walk. */
  few: number;
}

/**
 * One band of the ranking. Results come band after band — every story with all the words in its
 * headline, then in headline and dek, then anywhere — so a band only knows its own order. An
 * engine gives each band three bounded reads; src/search/bands.ts puts them together.
 */
export interface Band {
  /** Ranked by score (in chunks, see SearchLimits.rank), or newest first only. */
  ranked: boolean;
  /** How many matches the index holds, counted to `cap` at most (the index alone, no visibility). */
  rawCount(cap: number): Promise<number>;
  /**
   * The newest `want` stories of the band among the `stories` newest visible stories (by
   * publication time), newest first.
   */
  walk(stories: number, want: number): Promise<Candidate[]>;
  /**
   * The newest `want` stories of the band among the index's `cap` most recently created matches
   * (highest ids), newest first by publication time.
   */
  matches(cap: number, want: number): Promise<Candidate[]>;
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
