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

/**
 * One band of the ranking. Results come band after band — every story with all the words in its
 * headline, then in headline and dek, then anywhere — so a band only knows its own order.
 */
export interface Tier {
  /** Ids of visible stories in this band, in rank order. */
  fetch(limit: number, offset: number): Promise<number[]>;
  /** How many visible stories the band holds (asked only to skip a band whole). */
  count(): Promise<number>;
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
  tiers(query: ParsedQuery, filters: SearchFilters, now: Date): Tier[];
  /** Headline, dek and body fragment of these stories with the query's words marked. */
  mark(query: ParsedQuery, ids: number[]): Promise<Map<number, MarkedTexts>>;
}
