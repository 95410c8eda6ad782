import type { Selectable } from 'kysely';
import type { DesksTable } from '../../db/schema.ts';
import type { Queryable } from '../db.ts';
import { invalid } from '../errors.ts';
import { iso } from '../time.ts';
import { isSlug, slugify } from '../text.ts';
import { RESERVED_SLUGS, type Desk } from './types.ts';

const toDesk = (row: Selectable<DesksTable>): Desk => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  description: row.description,
  email: row.email,
  position: row.position,
});

export async function listDesks(db: Queryable): Promise<Desk[]> {
  const rows = await db.selectFrom('desks').selectAll().orderBy('position').orderBy('name').execute();
  return rows.map(toDesk);
}

export async function findDeskBySlug(db: Queryable, slug: string): Promise<Desk | undefined> {
  const row = await db.selectFrom('desks').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row && toDesk(row);
}

export async function findDeskById(db: Queryable, id: number): Promise<Desk | undefined> {
  const row = await db.selectFrom('desks').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toDesk(row);
}

/** The desk's current slug when `slug` is one it used to have. */
export async function findFormerDeskSlug(db: Queryable, slug: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('desk_slugs')
    .innerJoin('desks', 'desks.id', 'desk_slugs.desk_id')
    .select('desks.slug')
    .where('desk_slugs.slug', '=', slug)
    .executeTakeFirst();
  return row?.slug;
}

export interface DeskInput {
  name: string;
  slug?: string;
  description?: string;
  email?: string | null;
  position?: number;
}

function validDeskSlug(input: DeskInput): string {
  const name = input.name.trim();
  if (!name) throw invalid({ name: 'A desk needs a name.' });
  const slug = input.slug?.trim() || slugify(name);
  if (!isSlug(slug)) throw invalid({ slug: 'A slug may hold only lower-case letters, digits and single hyphens.' });
  if (RESERVED_SLUGS.has(slug)) throw invalid({ slug: `"${slug}" is used by the site itself; choose another slug.` });
  return slug;
}

export async function createDesk(db: Queryable, input: DeskInput, now = new Date()): Promise<Desk> {
  const slug = validDeskSlug(input);
  if (await findDeskBySlug(db, slug)) throw invalid({ slug: `A desk with the slug "${slug}" exists already.` });
  const row = await db
    .insertInto('desks')
    .values({
      slug,
      name: input.name.trim(),
      description: input.description?.trim() ?? '',
      email: input.email?.trim() || null,
      position: input.position ?? 0,
      created_at: iso(now),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toDesk(row);
}

/** Renames a desk; its former slug keeps answering with a redirect. */
export async function updateDesk(db: Queryable, id: number, input: DeskInput): Promise<Desk> {
  const slug = validDeskSlug(input);
  const current = await db.selectFrom('desks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  if (slug !== current.slug) {
    const taken = await findDeskBySlug(db, slug);
    if (taken) throw invalid({ slug: `A desk with the slug "${slug}" exists already.` });
    await db.deleteFrom('desk_slugs').where('slug', '=', slug).execute();
    await db.insertInto('desk_slugs').values({ slug: current.slug, desk_id: id }).execute();
  }
  const row = await db
    .updateTable('desks')
    .set({
      slug,
      name: input.name.trim(),
      description: input.description?.trim() ?? current.description,
      email: input.email === undefined ? current.email : input.email?.trim() || null,
      position: input.position ?? current.position,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toDesk(row);
}

export async function setDeskEditors(db: Queryable, deskId: number, personIds: number[]): Promise<void> {
  await db.deleteFrom('desk_editors').where('desk_id', '=', deskId).execute();
  if (personIds.length === 0) return;
  await db
    .insertInto('desk_editors')
    .values(personIds.map((person_id, position) => ({ desk_id: deskId, person_id, position })))
    .execute();
}
