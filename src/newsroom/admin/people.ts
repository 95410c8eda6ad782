// Administrators manage the staff profiles: people and collectives, with bio, photo and the
// ways to reach them that the staff page, author pages and author boxes show.
import type { Queryable } from '../db.ts';
import { invalid, notFound } from '../errors.ts';
import type { Actor } from '../auth/types.ts';
import { createPerson, listPeople, toPerson, updatePerson, type PersonInput } from '../people/repository.ts';
import { CONTACT_KINDS, type Contact, type Person } from '../people/types.ts';
import { plausibleEmail } from '../contact/messages.ts';
import { writeAdminAudit } from './audit.ts';
import { assertAdmin, MAX_ID } from './policy.ts';
import { recordChange, TAGS } from '../changes.ts';

export const PERSON_LIMITS = { name: 200, title: 200, bio: 10_000, photoUrl: 2000, contacts: 20, contactValue: 300 } as const;

/** Public profiles, so any signed-in user may read them (e.g. to choose a byline). */
export async function listStaff(db: Queryable, kind?: Person['kind']): Promise<Person[]> {
  return listPeople(db, kind);
}

async function requirePerson(db: Queryable, id: number): Promise<Person> {
  const row = id >= 1 && id <= MAX_ID ? await db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw notFound('That person');
  return toPerson(row);
}

const safePhoto = (url: string): boolean => {
  if (url.startsWith('/') && !url.startsWith('//') && !url.includes('\\')) return true;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
};

function contactProblem(contacts: Contact[]): string | undefined {
  if (contacts.length > PERSON_LIMITS.contacts) return `A profile can list at most ${PERSON_LIMITS.contacts} ways to reach it.`;
  for (const c of contacts) {
    if (!CONTACT_KINDS.includes(c.kind)) return `Unknown contact way "${c.kind}"; use one of ${CONTACT_KINDS.join(', ')}.`;
    const value = c.value.trim();
    if (!value) return `The ${c.kind} contact is empty.`;
    if (value.length > PERSON_LIMITS.contactValue) return `The ${c.kind} contact is longer than ${PERSON_LIMITS.contactValue} characters.`;
    if (c.kind === 'email' && !plausibleEmail(value)) return `"${value}" does not look like an email address (name@example.com).`;
  }
  return undefined;
}

/** Checks what the people repository takes on trust, all fields at once. */
function checkPersonFields(input: Partial<PersonInput>): void {
  const problems: Record<string, string> = {};
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (!name) problems.name = 'A person needs a name.';
    else if (name.length > PERSON_LIMITS.name) problems.name = `Use at most ${PERSON_LIMITS.name} characters for the name.`;
  }
  if (input.kind !== undefined && input.kind !== 'person' && input.kind !== 'collective') problems.kind = 'A profile is a person or a collective.';
  if (input.title !== undefined && input.title.trim().length > PERSON_LIMITS.title) problems.title = `Use at most ${PERSON_LIMITS.title} characters for the title.`;
  if (input.bio !== undefined && input.bio.trim().length > PERSON_LIMITS.bio) problems.bio = `Use at most ${PERSON_LIMITS.bio.toLocaleString('en')} characters for the bio.`;
  const photoUrl = input.photoUrl?.trim();
  if (photoUrl && (photoUrl.length > PERSON_LIMITS.photoUrl || !safePhoto(photoUrl))) problems.photoUrl = 'The photo must be a site path (/media/…) or an http(s) URL.';
  const contacts = input.contacts === undefined ? undefined : contactProblem(input.contacts);
  if (contacts) problems.contacts = contacts;
  if (Object.keys(problems).length) throw invalid(problems);
}

const clean = <T extends Partial<PersonInput>>(input: T): T => ({ ...input, ...(input.photoUrl !== undefined ? { photoUrl: input.photoUrl?.trim() || null } : {}) });

export async function adminCreatePerson(db: Queryable, actor: Actor, input: PersonInput, now = new Date()): Promise<Person> {
  assertAdmin(actor, 'add a staff profile');
  checkPersonFields(input);
  const person = await createPerson(db, clean(input), now);
  await writeAdminAudit(db, actor, 'person.create', `Added the ${person.kind} profile ${person.name} (/author/${person.slug}).`, now);
  await recordChange(db, [TAGS.people], now);
  return person;
}

/**
 * Changes some of a profile's fields. The slug stays: author pages have no redirect from a
 * former slug, and URLs live forever.
 */
export async function adminUpdatePerson(db: Queryable, actor: Actor, id: number, changes: Omit<Partial<PersonInput>, 'slug'>, now = new Date()): Promise<Person> {
  assertAdmin(actor, 'change a staff profile');
  const current = await requirePerson(db, id);
  checkPersonFields(changes);
  const fields = clean(changes);
  const changed = Object.entries(fields).filter(([, v]) => v !== undefined);
  if (changed.length === 0) return current;
  if (fields.kind === 'collective' && current.kind !== 'collective') {
    const edits = await db.selectFrom('desk_editors').select('desk_id').where('person_id', '=', id).executeTakeFirst();
    if (edits) throw invalid({ kind: `${current.name} edits a desk; choose other editors for it before making this profile a collective.` });
  }
  const person = await updatePerson(db, id, fields);
  await writeAdminAudit(db, actor, 'person.update', `Changed the profile of ${person.name} (${changed.map(([k]) => k).join(', ')}).`, now);
  // Their author page and box, every byline of theirs, the staff page.
  await recordChange(db, [TAGS.person(person.slug), TAGS.people], now);
  return person;
}
