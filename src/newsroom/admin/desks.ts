// Administrators manage the desks: create one, rename or edit it (a renamed desk's old slug
// keeps answering with a 301: updateDesk records it), and choose its editors.
import type { Queryable } from '../db.ts';
import { invalid, notFound } from '../errors.ts';
import type { Actor } from '../auth/types.ts';
import { createDesk, findDeskById, listDesks, setDeskEditors, updateDesk } from '../desks/repository.ts';
import type { Desk } from '../desks/types.ts';
import { editorsByDesk } from '../people/repository.ts';
import type { Person } from '../people/types.ts';
import { plausibleEmail } from '../contact/messages.ts';
import { slugify } from '../text.ts';
import { writeAdminAudit } from './audit.ts';
import { assertAdmin, MAX_ID } from './policy.ts';
import { recordChange, TAGS } from '../changes.ts';

export const DESK_LIMITS = { name: 100, description: 1000, email: 254, position: 10_000, editors: 20 } as const;

export interface DeskWithEditors extends Desk {
  editors: Array<Pick<Person, 'id' | 'slug' | 'name' | 'kind'>>;
}

export interface DeskFields {
  name: string;
  /** Derived from the name when left out. */
  slug?: string;
  description?: string;
  /** The desk's contact address; null or '' for none. */
  email?: string | null;
  position?: number;
}

/** Every desk in its order, with its editors: public facts, so any signed-in user may read them. */
export async function listDesksWithEditors(db: Queryable): Promise<DeskWithEditors[]> {
  const [desks, editors] = await Promise.all([listDesks(db), editorsByDesk(db)]);
  return desks.map((desk) => ({ ...desk, editors: (editors.get(desk.id) ?? []).map((p) => ({ id: p.id, slug: p.slug, name: p.name, kind: p.kind })) }));
}

async function withEditors(db: Queryable, desk: Desk): Promise<DeskWithEditors> {
  const editors = (await editorsByDesk(db)).get(desk.id) ?? [];
  return { ...desk, editors: editors.map((p) => ({ id: p.id, slug: p.slug, name: p.name, kind: p.kind })) };
}

async function requireDesk(db: Queryable, id: number): Promise<Desk> {
  const desk = id >= 1 && id <= MAX_ID ? await findDeskById(db, id) : undefined;
  if (!desk) throw notFound('That desk');
  return desk;
}

/** Checks the fields the desk repository takes on trust; returns them cleaned. */
function checkDeskFields(input: DeskFields): DeskFields {
  const problems: Record<string, string> = {};
  const name = input.name.replace(/\s+/g, ' ').trim();
  if (!name) problems.name = 'A desk needs a name.';
  else if (name.length > DESK_LIMITS.name) problems.name = `Use at most ${DESK_LIMITS.name} characters for the name.`;
  const description = input.description?.trim();
  if (description !== undefined && description.length > DESK_LIMITS.description) problems.description = `Use at most ${DESK_LIMITS.description} characters for the description.`;
  const email = input.email === undefined ? undefined : input.email?.trim() || null;
  if (email && (email.length > DESK_LIMITS.email || !plausibleEmail(email))) problems.email = `"${email}" does not look like an email address (name@example.com).`;
  if (input.position !== undefined && (!Number.isInteger(input.position) || input.position < 0 || input.position > DESK_LIMITS.position)) {
    problems.position = `The position is a whole number from 0 to ${DESK_LIMITS.position}.`;
  }
  if (Object.keys(problems).length) throw invalid(problems);
  return { name, slug: input.slug?.trim() || undefined, description, email, position: input.position };
}

export async function adminCreateDesk(db: Queryable, actor: Actor, input: DeskFields, now = new Date()): Promise<DeskWithEditors> {
  assertAdmin(actor, 'create a desk');
  const desk = await createDesk(db, checkDeskFields(input), now);
  await writeAdminAudit(db, actor, 'desk.create', `Created the ${desk.name} desk (/${desk.slug}).`, now);
  // Every page's navigation lists the desks.
  await recordChange(db, [TAGS.site], now);
  return withEditors(db, desk);
}

/**
 * Changes some of a desk's fields. A new name brings a new slug unless one is given; the old
 * slug then redirects to the new one, on the desk page and on its stories.
 */
export async function adminUpdateDesk(db: Queryable, actor: Actor, id: number, changes: Partial<DeskFields>, now = new Date()): Promise<DeskWithEditors> {
  assertAdmin(actor, 'change a desk');
  const current = await requireDesk(db, id);
  const name = changes.name ?? current.name;
  const renamed = changes.name !== undefined && changes.name.replace(/\s+/g, ' ').trim() !== current.name;
  const slug = changes.slug?.trim() || (renamed ? slugify(name) : current.slug);
  const fields = checkDeskFields({
    name,
    slug,
    description: changes.description ?? current.description,
    email: changes.email === undefined ? current.email : changes.email,
    position: changes.position ?? current.position,
  });
  const desk = await updateDesk(db, id, fields);
  const moved = desk.slug !== current.slug ? ` (/${current.slug} now redirects to /${desk.slug})` : '';
  await writeAdminAudit(db, actor, 'desk.update', `Changed the ${desk.name} desk${moved}.`, now);
  await recordChange(db, [TAGS.site], now);
  return withEditors(db, desk);
}

/** Replaces a desk's editors with these people, in this order. */
export async function adminSetDeskEditors(db: Queryable, actor: Actor, deskId: number, personIds: number[], now = new Date()): Promise<DeskWithEditors> {
  assertAdmin(actor, "choose a desk's editors");
  const desk = await requireDesk(db, deskId);
  if (personIds.length > DESK_LIMITS.editors) throw invalid({ personIds: `A desk can have at most ${DESK_LIMITS.editors} editors.` });
  const twice = personIds.find((id, i) => personIds.indexOf(id) !== i);
  if (twice !== undefined) throw invalid({ personIds: `The person ${twice} is listed twice.` });
  const valid = personIds.filter((id) => Number.isInteger(id) && id >= 1 && id <= MAX_ID);
  const people = valid.length ? await db.selectFrom('people').select(['id', 'name', 'kind']).where('id', 'in', valid).execute() : [];
  const missing = personIds.filter((id) => !people.some((p) => p.id === id));
  if (missing.length) throw invalid({ personIds: `There is no staff profile with the id ${missing.join(', ')}.` });
  const collective = people.find((p) => p.kind === 'collective');
  if (collective) throw invalid({ personIds: `${collective.name} is a collective profile; a desk's editors are people who answer for what it publishes.` });
  await setDeskEditors(db, deskId, personIds);
  const names = personIds.map((id) => people.find((p) => p.id === id)?.name).join(', ');
  await writeAdminAudit(db, actor, 'desk.editors', `The ${desk.name} desk's editors: ${names || 'none'}.`, now);
  await recordChange(db, [TAGS.people, TAGS.deskList(deskId)], now);
  return withEditors(db, desk);
}
