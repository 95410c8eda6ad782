// Reading page numbers and dates from URLs: bad values are the reader's mistake (400/404),
// never a server error.
import { NewsroomError, notFound } from '../newsroom/errors.ts';

export const PAGE_SIZE = 20;
const MAX_PAGE = 5000;

export function pageNumber(query: unknown): number {
  const raw = (query as Record<string, unknown> | undefined)?.page;
  if (raw === undefined) return 1;
  if (typeof raw !== 'string' || !/^[1-9]\d{0,5}$/.test(raw) || Number(raw) > MAX_PAGE) {
    throw new NewsroomError('invalid_input', `"page" must be a whole number from 1 to ${MAX_PAGE}.`);
  }
  return Number(raw);
}

/** A page past the end of a list does not exist. */
export function assertPageExists(page: number, count: number): void {
  if (page > 1 && count === 0) throw notFound('That page');
}

export interface DatePath {
  year: number;
  month?: number;
  day?: number;
}

export function archiveDate(params: { year?: string; month?: string; day?: string }): DatePath {
  const year = Number(params.year);
  if (!/^\d{4}$/.test(params.year ?? '') || year < 1900 || year > 2999) throw notFound('That archive');
  if (params.month === undefined) return { year };
  const month = Number(params.month);
  if (!/^\d{2}$/.test(params.month) || month < 1 || month > 12) throw notFound('That archive');
  if (params.day === undefined) return { year, month };
  const day = Number(params.day);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (!/^\d{2}$/.test(params.day) || day < 1 || day > daysInMonth) throw notFound('That archive');
  return { year, month, day };
}
