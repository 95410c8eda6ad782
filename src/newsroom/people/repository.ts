import type { Selectable } from 'kysely';
import type { PeopleTable } from '../../db/schema.ts';
import type { Queryable } from '../db.ts';
import { invalid } from '../errors.ts';
import { isSlug, slugify } from '../text.ts';
import { iso } from '../time.ts';
import { CONTACT_KINDS, type Contact, type Person } from './types.ts';

function parseContacts(json: string): Contact[] {
  try {
    const value: unknown = JSON.parse(json);
    if (!Array.isArray(value)) return [];
    return value.filter(
      (c): c is Contact =>
        typeof c === 'object' && c !== null && CONTACT_KINDS.includes(c.kind) && typeof c.value === 'string',
    );
  } catch {
    return [];
  }
}

export const toPerson = (row: Selectable<PeopleTable>): Person => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  kind: row.kind,
  title: row.title,
  bio: row.bio,
  photoUrl: row.photo_url,
  contacts: parseContacts(row.contacts),
});

export async function findPersonBySlug(db: Queryable, slug: string): Promise<Person | undefined> {
  const row = await db.selectFrom('people').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row && toPerson(row);
}

export async function findPersonByName(db: Queryable, name: string): Promise<Person | undefined> {
  const row = await db.selectFrom('people').selectAll().where('name', '=', name).executeTakeFirst();
  return row && toPerson(row);
}

export async function listPeople(db: Queryable, kind?: Person['kind']): Promise<Person[]> {
  let query = db.selectFrom('people').selectAll().orderBy('name');
  if (kind) query = query.where('kind', '=', kind);
  return (await query.execute()).map(toPerson);
}

/** Editors of each desk, in their order, keyed by desk id. */
export async function editorsByDesk(db: Queryable): Promise<Map<number, Person[]>> {
  const rows = await db
    .selectFrom('desk_editors')
    .innerJoin('people', 'people.id', 'desk_editors.person_id')
    .selectAll('people')
    .select('desk_editors.desk_id')
    .orderBy('desk_editors.desk_id')
    .orderBy('desk_editors.position')
    .execute();
  const out = new Map<number, Person[]>();
  for (const row of rows) {
    const list = out.get(row.desk_id) ?? [];
    list.push(toPerson(row));
    out.set(row.desk_id, list);
  }
  return out;
}

export interface PersonInput {
  name: string;
  slug?: string;
  kind?: Person['kind'];
  title?: string;
  bio?: string;
  photoUrl?: string | null;
  contacts?: Contact[];
}

function validContacts(contacts: Contact[]): Contact[] {
  for (const c of contacts) {
    if (!CONTACT_KINDS.includes(c.kind)) throw invalid({ contacts: `Unknown contact way "${c.kind}".` });
    if (!c.value.trim()) throw invalid({ contacts: `The ${c.kind} contact is empty.` });
  }
  return contacts.map((c) => ({ kind: c.kind, value: c.value.trim() }));
}

export async function createPerson(db: Queryable, input: PersonInput, now = new Date()): Promise<Person> {
  const name = input.name.trim();
  if (!name) throw invalid({ name: 'A person needs a name.' });
  const slug = input.slug?.trim() || slugify(name);
  if (!isSlug(slug)) throw invalid({ slug: 'A slug may hold only lower-case letters, digits and single hyphens.' });
  if (await findPersonBySlug(db, slug)) throw invalid({ slug: `A person with the slug "${slug}" exists already.` });
  const row = await db
    .insertInto('people')
    .values({
      slug,
      name,
      kind: input.kind ?? 'person',
      title: input.title?.trim() ?? '',
      bio: input.bio?.trim() ?? '',
      photo_url: input.photoUrl ?? null,
      contacts: JSON.stringify(validContacts(input.contacts ?? [])),
      created_at: iso(now),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPerson(row);
}

export async function updatePerson(db: Queryable, id: number, input: Partial<PersonInput>): Promise<Person> {
  const changes: Partial<Selectable<PeopleTable>> = {};
  if (input.name !== undefined) {
    if (!input.name.trim()) throw invalid({ name: 'A person needs a name.' });
    changes.name = input.name.trim();
  }
  if (input.title !== undefined) changes.title = input.title.trim();
  if (input.bio !== undefined) changes.bio = input.bio.trim();
  if (input.photoUrl !== undefined) changes.photo_url = input.photoUrl;
  if (input.kind !== undefined) changes.kind = input.kind;
  if (input.contacts !== undefined) changes.contacts = JSON.stringify(validContacts(input.contacts));
  const row = await db.updateTable('people').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  return toPerson(row);
}
