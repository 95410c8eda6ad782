// Administration pages: people, desks, users and settings. Each handler authenticates, checks
// the CSRF token (a refusal re-shows the form with what was typed), opens a transaction and
// calls an admin command (src/newsroom/admin/*), which checks the permission and the input.
// A success ends in a 303 to a page with a notice; a refusal shows the form again, errors by
// its fields.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { Database } from '../../newsroom/db.ts';
import { adminCreateDesk, adminSetDeskEditors, adminUpdateDesk, listDesksWithEditors } from '../../newsroom/admin/desks.ts';
import { adminCreatePerson, adminUpdatePerson, listStaff } from '../../newsroom/admin/people.ts';
import { assertAdmin, MAX_ID } from '../../newsroom/admin/policy.ts';
import { adminUpdateSettings, readSiteSettings } from '../../newsroom/admin/settings.ts';
import {
  adminInviteUser,
  adminListUsers,
  adminResetPassword,
  adminResetTwoFactor,
  adminSetUserDisabled,
  adminUnlockUser,
  type AccountSummary,
  type SetupLink,
} from '../../newsroom/admin/users.ts';
import type { Actor } from '../../newsroom/auth/types.ts';
import { NewsroomError, notFound } from '../../newsroom/errors.ts';
import type { Queryable } from '../../newsroom/db.ts';
import type { Contact, Person } from '../../newsroom/people/types.ts';
import { csrfValid, CSRF_EXPIRED } from '../../http/csrf.ts';
import { adminChrome, field, fields, sendAdminPage } from '../chrome.ts';
import { DeskEditPage, DesksPage, type DeskForm } from '../views/desks.tsx';
import type { AdminChrome } from '../views/layout.tsx';
import { PeoplePage, PersonEditPage, type PersonForm } from '../views/people.tsx';
import { SettingsPage, type Notice, type SettingsForm } from '../views/settings.tsx';
import { UsersPage, type InviteForm, type UsersView } from '../views/users.tsx';

const idParam = (raw: string, what: string): number => {
  if (!/^\d{1,10}$/.test(raw) || Number(raw) > MAX_ID || Number(raw) < 1) throw notFound(what);
  return Number(raw);
};

/** A field refusal the form shows (400); anything else (403, 404, 5xx) goes to the error page. */
const invalidInput = (error: unknown): NewsroomError | undefined => (error instanceof NewsroomError && error.code === 'invalid_input' ? error : undefined);

const refused = (error: NewsroomError): Notice => ({ kind: 'error', text: error.message });
const expired: Notice = { kind: 'error', text: CSRF_EXPIRED };

/** The notice named by ?done=…, from the handler's own list. */
function doneNotice(request: FastifyRequest, notices: Record<string, string>): Notice | undefined {
  const key = field(request.query, 'done');
  return Object.hasOwn(notices, key) ? { kind: 'ok', text: notices[key] as string } : undefined;
}

// ---- people ----

function personFormFrom(body: unknown): PersonForm {
  const kinds = fields(body, 'contactKind');
  const values = fields(body, 'contactValue');
  return {
    name: field(body, 'name'),
    slug: field(body, 'slug'),
    kind: field(body, 'kind') || 'person',
    title: field(body, 'title'),
    bio: field(body, 'bio'),
    photoUrl: field(body, 'photoUrl'),
    contacts: values.map((value, i) => ({ kind: kinds[i] ?? '', value })),
  };
}

const personFormOf = (p: Person): PersonForm => ({ name: p.name, slug: p.slug, kind: p.kind, title: p.title, bio: p.bio, photoUrl: p.photoUrl ?? '', contacts: p.contacts.map((c) => ({ ...c })) });

function personInput(form: PersonForm) {
  return {
    name: form.name,
    // The domain refuses anything but a person or a collective, naming the field.
    kind: form.kind as Person['kind'],
    title: form.title,
    bio: form.bio,
    photoUrl: form.photoUrl,
    // Rows left empty are not contacts; the domain checks the kind and value of the others.
    contacts: form.contacts.filter((c) => c.value.trim() !== '').map((c) => ({ kind: c.kind, value: c.value }) as Contact),
  };
}

async function findPerson(db: Queryable, id: number): Promise<Person> {
  const person = (await listStaff(db)).find((p) => p.id === id);
  if (!person) throw notFound('That person');
  return person;
}

function peopleRoutes(app: FastifyInstance, db: Kysely<Database>, config: Config): void {
  const NOTICES = { created: 'Profile added. It is on the staff page when it edits a desk or writes stories.', saved: 'Profile saved.' };

  app.get('/admin/people', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    assertAdmin(chrome.actor, 'manage the staff profiles');
    return sendAdminPage(reply, PeoplePage({ chrome, view: { people: await listStaff(db), notice: doneNotice(request, NOTICES) } }));
  });

  const emptyPerson = (): PersonForm => ({ name: '', slug: '', kind: 'person', title: '', bio: '', photoUrl: '', contacts: [] });

  app.get('/admin/people/new', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    assertAdmin(chrome.actor, 'add a staff profile');
    return sendAdminPage(reply, PersonEditPage({ chrome, view: { id: null, slug: null, form: emptyPerson(), errors: {} } }));
  });

  app.post('/admin/people', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    assertAdmin(chrome.actor, 'add a staff profile');
    const form = personFormFrom(request.body);
    const show = (status: number, errors: Record<string, string>, notice: Notice) =>
      sendAdminPage(reply, PersonEditPage({ chrome, view: { id: null, slug: null, form, errors, notice } }), status);
    if (!csrfValid(request, reply)) return show(403, {}, expired);
    try {
      const person = await db.transaction().execute((trx) => adminCreatePerson(trx, chrome.actor, { ...personInput(form), slug: form.slug.trim() || undefined }));
      return reply.redirect(`/admin/people/${person.id}?done=created`, 303);
    } catch (error) {
      const invalid = invalidInput(error);
      if (invalid) return show(400, invalid.fields, refused(invalid));
      throw error;
    }
  });

  app.get<{ Params: { id: string } }>('/admin/people/:id', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    assertAdmin(chrome.actor, 'change a staff profile');
    const person = await findPerson(db, idParam(request.params.id, 'That person'));
    return sendAdminPage(reply, PersonEditPage({ chrome, view: { id: person.id, slug: person.slug, form: personFormOf(person), errors: {}, notice: doneNotice(request, NOTICES) } }));
  });

  app.post<{ Params: { id: string } }>('/admin/people/:id', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    assertAdmin(chrome.actor, 'change a staff profile');
    const person = await findPerson(db, idParam(request.params.id, 'That person'));
    const form = personFormFrom(request.body);
    const show = (status: number, errors: Record<string, string>, notice: Notice) =>
      sendAdminPage(reply, PersonEditPage({ chrome, view: { id: person.id, slug: person.slug, form, errors, notice } }), status);
    if (!csrfValid(request, reply)) return show(403, {}, expired);
    try {
      await db.transaction().execute((trx) => adminUpdatePerson(trx, chrome.actor, person.id, personInput(form)));
    } catch (error) {
      const invalid = invalidInput(error);
      if (invalid) return show(400, invalid.fields, refused(invalid));
      throw error;
    }
    return reply.redirect(`/admin/people/${person.id}?done=saved`, 303);
  });
}

// ---- desks ----

function deskFormFrom(body: unknown): DeskForm {
  return {
    name: field(body, 'name'),
    slug: field(body, 'slug'),
    description: field(body, 'description'),
    email: field(body, 'email'),
    position: field(body, 'position'),
    editorIds: fields(body, 'editorIds').filter((v) => v !== ''),
  };
}

/** Chosen editors as ids; anything that is not a number names no profile, and the domain says so. */
const editorIds = (form: DeskForm): number[] => form.editorIds.map((v) => (/^\d{1,10}$/.test(v) ? Number(v) : 0));

const position = (raw: string): number | undefined => (raw.trim() === '' ? undefined : Number(raw.trim()));

function deskRoutes(app: FastifyInstance, db: Kysely<Database>, config: Config): void {
  const NOTICES = { created: 'Desk added. Its page and its place on the staff page are live.', saved: 'Desk saved.' };
  const editorChoices = async () => (await listStaff(db, 'person'));

  app.get('/admin/desks', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    assertAdmin(chrome.actor, 'manage the desks');
    return sendAdminPage(reply, DesksPage({ chrome, view: { desks: await listDesksWithEditors(db), notice: doneNotice(request, NOTICES) } }));
  });

  app.get('/admin/desks/new', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    assertAdmin(chrome.actor, 'create a desk');
    const form: DeskForm = { name: '', slug: '', description: '', email: '', position: '', editorIds: [] };
    return sendAdminPage(reply, DeskEditPage({ chrome, view: { id: null, currentSlug: null, form, people: await editorChoices(), errors: {} } }));
  });

  app.post('/admin/desks', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    assertAdmin(chrome.actor, 'create a desk');
    const form = deskFormFrom(request.body);
    const show = async (status: number, errors: Record<string, string>, notice: Notice) =>
      sendAdminPage(reply, DeskEditPage({ chrome, view: { id: null, currentSlug: null, form, people: await editorChoices(), errors, notice } }), status);
    if (!csrfValid(request, reply)) return show(403, {}, expired);
    try {
      const desk = await db.transaction().execute(async (trx) => {
        const created = await adminCreateDesk(trx, chrome.actor, {
          name: form.name,
          slug: form.slug.trim() || undefined,
          description: form.description,
          email: form.email,
          position: position(form.position),
        });
        await adminSetDeskEditors(trx, chrome.actor, created.id, editorIds(form));
        return created;
      });
      return reply.redirect(`/admin/desks/${desk.id}?done=created`, 303);
    } catch (error) {
      const invalid = invalidInput(error);
      if (invalid) return show(400, invalid.fields, refused(invalid));
      throw error;
    }
  });

  const findDesk = async (id: number) => {
    const desk = (await listDesksWithEditors(db)).find((d) => d.id === id);
    if (!desk) throw notFound('That desk');
    return desk;
  };

  app.get<{ Params: { id: string } }>('/admin/desks/:id', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    assertAdmin(chrome.actor, 'change a desk');
    const desk = await findDesk(idParam(request.params.id, 'That desk'));
    const form: DeskForm = {
      name: desk.name,
      slug: desk.slug,
      description: desk.description,
      email: desk.email ?? '',
      position: String(desk.position),
      editorIds: desk.editors.map((e) => String(e.id)),
    };
    return sendAdminPage(reply, DeskEditPage({ chrome, view: { id: desk.id, currentSlug: desk.slug, form, people: await editorChoices(), errors: {}, notice: doneNotice(request, NOTICES) } }));
  });

  app.post<{ Params: { id: string } }>('/admin/desks/:id', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    assertAdmin(chrome.actor, 'change a desk');
    const desk = await findDesk(idParam(request.params.id, 'That desk'));
    const form = deskFormFrom(request.body);
    const show = async (status: number, errors: Record<string, string>, notice: Notice) =>
      sendAdminPage(reply, DeskEditPage({ chrome, view: { id: desk.id, currentSlug: desk.slug, form, people: await editorChoices(), errors, notice } }), status);
    if (!csrfValid(request, reply)) return show(403, {}, expired);
    try {
      await db.transaction().execute(async (trx) => {
        await adminUpdateDesk(trx, chrome.actor, desk.id, {
          name: form.name,
          // An untouched address follows a new name (the domain's rule); a changed one is taken as typed.
          slug: form.slug.trim() !== desk.slug ? form.slug : undefined,
          description: form.description,
          email: form.email,
          position: position(form.position),
        });
        await adminSetDeskEditors(trx, chrome.actor, desk.id, editorIds(form));
      });
    } catch (error) {
      const invalid = invalidInput(error);
      if (invalid) return show(400, invalid.fields, refused(invalid));
      throw error;
    }
    return reply.redirect(`/admin/desks/${desk.id}?done=saved`, 303);
  });
}

// ---- users ----

type AccountAction = 'reset-password' | 'unlock' | 'disable' | 'enable' | 'reset-two-factor';

const ACCOUNT_ACTIONS: Record<AccountAction, (db: Queryable, actor: Actor, userId: number) => Promise<AccountSummary | SetupLink>> = {
  'reset-password': adminResetPassword,
  unlock: adminUnlockUser,
  disable: (db, actor, userId) => adminSetUserDisabled(db, actor, userId, true),
  enable: (db, actor, userId) => adminSetUserDisabled(db, actor, userId, false),
  'reset-two-factor': adminResetTwoFactor,
};

const ACCOUNT_NOTICES: Record<string, (email: string) => string> = {
  unlock: (email) => `${email} can log in again.`,
  disable: (email) => `${email} is disabled: their sessions and API tokens have ended.`,
  enable: (email) => `${email} is enabled and can log in again.`,
  'reset-two-factor': (email) => `Two-factor login is off for ${email}; they can turn it on again from their account page.`,
};

function userRoutes(app: FastifyInstance, db: Kysely<Database>, config: Config): void {
  const emptyInvite = (): InviteForm => ({ email: '', role: 'contributor', personId: '' });

  const show = async (reply: FastifyReply, chrome: AdminChrome, status: number, extra: Partial<UsersView> = {}) => {
    const [accounts, people] = await Promise.all([adminListUsers(db, chrome.actor), listStaff(db)]);
    return sendAdminPage(reply, UsersPage({ chrome, view: { accounts, people, invite: emptyInvite(), errors: {}, ...extra } }), status);
  };

  app.get('/admin/users', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    assertAdmin(chrome.actor, 'list the accounts');
    const q = request.query as Record<string, string | undefined>;
    let notice: Notice | undefined;
    const done = q.done ?? '';
    if (Object.hasOwn(ACCOUNT_NOTICES, done) && q.user && /^\d{1,10}$/.test(q.user)) {
      const account = (await adminListUsers(db, chrome.actor)).find((a) => a.id === Number(q.user));
      if (account) notice = { kind: 'ok', text: (ACCOUNT_NOTICES[done] as (email: string) => string)(account.email) };
    }
    return show(reply, chrome, 200, { notice });
  });

  app.post('/admin/users', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    assertAdmin(chrome.actor, 'invite people');
    const invite: InviteForm = { email: field(request.body, 'email'), role: field(request.body, 'role'), personId: field(request.body, 'personId') };
    if (!csrfValid(request, reply)) return show(reply, chrome, 403, { invite, notice: expired });
    let link: SetupLink;
    try {
      link = await db.transaction().execute((trx) =>
        adminInviteUser(trx, chrome.actor, {
          email: invite.email,
          role: invite.role,
          personId: invite.personId === '' ? null : /^\d{1,10}$/.test(invite.personId) ? Number(invite.personId) : 0,
        }),
      );
    } catch (error) {
      const invalid = invalidInput(error);
      if (invalid) return show(reply, chrome, 400, { invite, errors: invalid.fields, notice: refused(invalid) });
      throw error;
    }
    // The link is shown on this answer only: it is never put in a URL or stored in the clear.
    return show(reply, chrome, 200, { link: { email: link.account.email, url: config.siteUrl + link.setupPath, kind: 'invite' } });
  });

  app.post<{ Params: { id: string; action: string } }>('/admin/users/:id/:action', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    assertAdmin(chrome.actor, 'manage the accounts');
    const userId = idParam(request.params.id, 'The account');
    const action = request.params.action;
    if (!Object.hasOwn(ACCOUNT_ACTIONS, action)) throw notFound('That action');
    if (!csrfValid(request, reply)) return show(reply, chrome, 403, { notice: expired });
    let result: AccountSummary | SetupLink;
    try {
      result = await db.transaction().execute((trx) => ACCOUNT_ACTIONS[action as AccountAction](trx, chrome.actor, userId));
    } catch (error) {
      const invalid = invalidInput(error);
      if (invalid) return show(reply, chrome, 400, { notice: refused(invalid) });
      throw error;
    }
    if ('setupPath' in result) return show(reply, chrome, 200, { link: { email: result.account.email, url: config.siteUrl + result.setupPath, kind: 'reset' } });
    return reply.redirect(`/admin/users?done=${action}&user=${userId}#user-${userId}`, 303);
  });
}

// ---- settings ----

function settingsRoutes(app: FastifyInstance, db: Kysely<Database>, config: Config): void {
  const page = (chrome: AdminChrome, form: SettingsForm, errors: Record<string, string> = {}, notice?: Notice) =>
    SettingsPage({ chrome, view: { form, errors, notice, nameOverridden: config.siteName !== undefined } });

  app.get('/admin/settings', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    assertAdmin(chrome.actor, "change the site's settings");
    return sendAdminPage(reply, page(chrome, await readSiteSettings(db), {}, doneNotice(request, { saved: 'Settings saved. Every page shows them now.' })));
  });

  app.post('/admin/settings', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    assertAdmin(chrome.actor, "change the site's settings");
    const form: SettingsForm = { siteName: field(request.body, 'siteName'), tagline: field(request.body, 'tagline') };
    if (!csrfValid(request, reply)) return sendAdminPage(reply, page(chrome, form, {}, expired), 403);
    try {
      await db.transaction().execute((trx) => adminUpdateSettings(trx, chrome.actor, form));
    } catch (error) {
      const invalid = invalidInput(error);
      if (invalid) return sendAdminPage(reply, page(chrome, form, invalid.fields, refused(invalid)), 400);
      throw error;
    }
    return reply.redirect('/admin/settings?done=saved', 303);
  });
}

/** People, desks, users and settings: administrators only (others get a 403 page). */
export function manageAdminRoutes(app: FastifyInstance, db: Kysely<Database>, config: Config): void {
  peopleRoutes(app, db, config);
  deskRoutes(app, db, config);
  userRoutes(app, db, config);
  settingsRoutes(app, db, config);
}
