// Reading the filters of the public lists (desk, author, from, to) from slugs and dates into ids
// and instants. An unknown desk or author is a 400 naming the field, never a silent empty list.
import type { Queryable } from '../../newsroom/db.ts';
import { findDeskBySlug, findFormerDeskSlug } from '../../newsroom/desks/repository.ts';
import type { Desk } from '../../newsroom/desks/types.ts';
import { findPersonBySlug } from '../../newsroom/people/repository.ts';
import { invalid } from '../../newsroom/errors.ts';
import { zonedStart } from '../../newsroom/time.ts';

/**
 * A `from`/`to` bound: an instant as given, or a calendar date in the newsroom's time zone —
 * its first moment for `from`, the first moment of the next day for `to` (so the day is included).
 */
export function bound(value: string | undefined, field: 'from' | 'to', timeZone: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
      throw invalid({ [field]: `"${value}" is not a date.` });
    }
    return zonedStart(year, month, day + (field === 'to' ? 1 : 0), timeZone);
  }
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw invalid({ [field]: `"${value}" is not a date or time.` });
  return at;
}

/** The desk with this slug, following a rename. */
export async function deskBySlug(db: Queryable, slug: string): Promise<{ desk: Desk; moved: boolean } | undefined> {
  const desk = await findDeskBySlug(db, slug);
  if (desk) return { desk, moved: false };
  const current = await findFormerDeskSlug(db, slug);
  const renamed = current === undefined ? undefined : await findDeskBySlug(db, current);
  return renamed && { desk: renamed, moved: true };
}

export interface ResolvedFilters {
  deskId?: number;
  personId?: number;
  from?: Date;
  to?: Date;
}

/** Desk (a former slug too), author, and the time bounds of a list or search query. */
export async function resolveFilters(
  db: Queryable,
  q: { desk?: string; author?: string; from?: string; to?: string },
  timeZone: string,
): Promise<ResolvedFilters> {
  const out: ResolvedFilters = { from: bound(q.from, 'from', timeZone), to: bound(q.to, 'to', timeZone) };
  if (q.desk !== undefined) {
    const found = await deskBySlug(db, q.desk);
    if (!found) throw invalid({ desk: `There is no desk "${q.desk}".` });
    out.deskId = found.desk.id;
  }
  if (q.author !== undefined) {
    const person = await findPersonBySlug(db, q.author);
    if (!person) throw invalid({ author: `There is no author "${q.author}".` });
    out.personId = person.id;
  }
  return out;
}
