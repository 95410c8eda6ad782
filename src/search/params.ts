// A search request as it arrives in a URL (site page or content API): checked field by field,
// desk and author found by slug, dates read as days in the newsroom's time zone. Every problem is
// the reader's to fix, reported by field; nothing here throws on bad input.
import type { Queryable } from '../newsroom/db.ts';
import { findDeskBySlug } from '../newsroom/desks/repository.ts';
import { findPersonBySlug } from '../newsroom/people/repository.ts';
import { zonedStart } from '../newsroom/time.ts';
import { MAX_SEARCH_PAGE } from './index.ts';
import type { SearchFilters } from './types.ts';

/** The fields as typed, for the form to show again. */
export interface SearchValues {
  q: string;
  desk: string;
  author: string;
  from: string;
  to: string;
}

export type SearchField = keyof SearchValues | 'page';

export interface SearchRequest {
  values: SearchValues;
  filters: SearchFilters;
  page: number;
  /** Whether a query was given at all (even an empty one), as opposed to a bare visit to the form. */
  asked: boolean;
  /** Field → message; empty when the request can be run. */
  errors: Partial<Record<SearchField, string>>;
}

const FIELDS = ['q', 'desk', 'author', 'from', 'to'] as const;
/** Longer values are not looked at (the query itself is cut far shorter by the parser). */
const MAX_VALUE = 20_000;

export async function readSearchRequest(db: Queryable, query: unknown, timeZone: string): Promise<SearchRequest> {
  const raw = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  const errors: SearchRequest['errors'] = {};
  const values = {} as SearchValues;
  for (const field of FIELDS) {
    const value = raw[field];
    if (value === undefined) values[field] = '';
    else if (typeof value !== 'string') {
      values[field] = '';
      errors[field] = `Give "${field}" once.`;
    } else values[field] = value.slice(0, MAX_VALUE).replaceAll('\u0000', '');
  }
  const filters: SearchFilters = {};

  const desk = values.desk.trim();
  if (desk) {
    const found = await findDeskBySlug(db, desk.slice(0, 200));
    if (found) filters.deskId = found.id;
    else errors.desk = `There is no desk "${desk.slice(0, 60)}": choose one from the list.`;
  }

  const author = values.author.trim();
  if (author) {
    const found = await findPersonBySlug(db, author.slice(0, 200));
    if (found) filters.personId = found.id;
    else errors.author = `There is no author "${author.slice(0, 60)}": choose one from the list.`;
  }

  const from = day(values.from, 'from', errors);
  const to = day(values.to, 'to', errors);
  if (from) filters.from = zonedStart(from.year, from.month, from.day, timeZone);
  // "To" includes the whole of its day.
  if (to) filters.to = zonedStart(to.year, to.month, to.day + 1, timeZone);
  if (filters.from && filters.to && filters.from.getTime() >= filters.to.getTime()) {
    errors.to = 'The end date is before the start date.';
  }

  let page = 1;
  const rawPage = raw.page;
  if (rawPage !== undefined) {
    if (typeof rawPage !== 'string' || !/^[1-9]\d{0,5}$/.test(rawPage)) errors.page = 'The page must be a whole number from 1.';
    else if (Number(rawPage) > MAX_SEARCH_PAGE) errors.page = `Search results go to page ${MAX_SEARCH_PAGE}: narrow the search with the filters to see more.`;
    else page = Number(rawPage);
  }
  return { values, filters, page, asked: raw.q !== undefined, errors };
}

interface Day {
  year: number;
  month: number;
  day: number;
}

const DAY_LABEL = { from: 'start', to: 'end' } as const;

/** A calendar day written YYYY-MM-DD, as date inputs send it. */
export function parseDay(text: string): Day | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const valid = year >= 1900 && year <= 2999 && month >= 1 && month <= 12 && date >= 1 && date <= new Date(Date.UTC(year, month, 0)).getUTCDate();
  return valid ? { year, month, day: date } : undefined;
}

function day(value: string, field: 'from' | 'to', errors: SearchRequest['errors']): Day | undefined {
  const text = value.trim();
  if (!text) return undefined;
  const parsed = parseDay(text);
  if (!parsed) errors[field] = `The ${DAY_LABEL[field]} date "${text.slice(0, 20)}" is not a day: write it as YYYY-MM-DD, such as 2026-11-28.`;
  return parsed;
}
