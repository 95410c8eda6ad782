// The newsroom API for administrators: accounts (/users), desks, staff profiles (/people) and
// the site's settings. Handlers validate (TypeBox), authenticate, open a transaction when they
// write, call an admin command (which decides who may) and present. Desks, people and settings
// are public facts: any signed-in user may read them; only administrators change them.
import type { FastifyInstance, FastifySchema, RouteShorthandOptions } from 'fastify';
import type { Kysely } from 'kysely';
import { Type, type Static } from '@sinclair/typebox';
import type { Database } from '../../newsroom/db.ts';
import { apiWriter, requireActor } from '../../http/auth.ts';
import { fieldErrors } from '../../http/schema-errors.ts';
import { CONTACT_KINDS, type Person } from '../../newsroom/people/types.ts';
import { ROLES } from '../../newsroom/users.ts';
import {
  adminInviteUser,
  adminListUsers,
  adminResetPassword,
  adminResetTwoFactor,
  adminSetUserDisabled,
  adminUnlockUser,
  type AccountSummary,
} from '../../newsroom/admin/users.ts';
import { adminCreateDesk, adminSetDeskEditors, adminUpdateDesk, listDesksWithEditors, type DeskWithEditors } from '../../newsroom/admin/desks.ts';
import { adminCreatePerson, adminUpdatePerson, listStaff } from '../../newsroom/admin/people.ts';
import { adminUpdateSettings, readSiteSettings, type SiteSettings } from '../../newsroom/admin/settings.ts';

const API = '/api/newsroom/v1';

/** Route options: the schema, its errors with fields, and an empty body counted as `{}`. */
export const withSchema = (schema: FastifySchema, options: { emptyBody?: boolean } = {}): RouteShorthandOptions => ({
  schema,
  schemaErrorFormatter: fieldErrors,
  ...(options.emptyBody
    ? {
        preValidation: async (request) => {
          request.body ??= {};
        },
      }
    : {}),
});

// ---------------------------------------------------------------------------------------------
// Request shapes. Lengths here only keep payloads sane; the commands check the real limits
// with messages of their own.

const Id = Type.String({ pattern: '^[0-9]{1,12}$' });
export const IdParams = Type.Object({ id: Id });
type IdParamsType = Static<typeof IdParams>;
const EntityId = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

const InviteBody = Type.Object(
  {
    email: Type.String({ maxLength: 254 }),
    role: Type.Union(ROLES.map((r) => Type.Literal(r))),
    personId: Type.Optional(Type.Union([EntityId, Type.Null()])),
    displayName: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
type InviteBodyType = Static<typeof InviteBody>;

const deskFields = {
  name: Type.String({ maxLength: 1000 }),
  slug: Type.Optional(Type.String({ maxLength: 200 })),
  description: Type.Optional(Type.String({ maxLength: 10_000 })),
  email: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
};
const DeskBody = Type.Object(deskFields, { additionalProperties: false });
type DeskBodyType = Static<typeof DeskBody>;
const DeskPatch = Type.Partial(DeskBody, { additionalProperties: false });
type DeskPatchType = Static<typeof DeskPatch>;
const EditorsBody = Type.Object({ personIds: Type.Array(EntityId, { maxItems: 50 }) }, { additionalProperties: false });
type EditorsBodyType = Static<typeof EditorsBody>;

const Contact = Type.Object(
  { kind: Type.Union(CONTACT_KINDS.map((k) => Type.Literal(k))), value: Type.String({ maxLength: 1000 }) },
  { additionalProperties: false },
);
const personFields = {
  name: Type.String({ maxLength: 1000 }),
  kind: Type.Optional(Type.Union([Type.Literal('person'), Type.Literal('collective')])),
  title: Type.Optional(Type.String({ maxLength: 1000 })),
  bio: Type.Optional(Type.String({ maxLength: 50_000 })),
  photoUrl: Type.Optional(Type.Union([Type.String({ maxLength: 4000 }), Type.Null()])),
  contacts: Type.Optional(Type.Array(Contact, { maxItems: 50 })),
};
const PersonBody = Type.Object({ ...personFields, slug: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });
type PersonBodyType = Static<typeof PersonBody>;
// No slug: a person's author page has no redirect from a former slug.
const PersonPatch = Type.Partial(Type.Object(personFields), { additionalProperties: false });
type PersonPatchType = Static<typeof PersonPatch>;
const PeopleQuery = Type.Object({ kind: Type.Optional(Type.Union([Type.Literal('person'), Type.Literal('collective')])) }, { additionalProperties: false });
type PeopleQueryType = Static<typeof PeopleQuery>;

const SettingsPatch = Type.Object(
  { siteName: Type.Optional(Type.String({ maxLength: 1000 })), tagline: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);
type SettingsPatchType = Static<typeof SettingsPatch>;

// ---------------------------------------------------------------------------------------------
// Response shapes: one presenter per kind, nothing else leaks.

export const presentAccount = (a: AccountSummary) => ({
  id: a.id,
  email: a.email,
  role: a.role,
  personId: a.personId,
  displayName: a.displayName,
  hasPassword: a.hasPassword,
  twoFactorEnabled: a.twoFactorEnabled,
  disabled: a.disabled,
  lockedUntil: a.lockedUntil,
  createdAt: a.createdAt,
});

export const presentDesk = (d: DeskWithEditors) => ({
  id: d.id,
  slug: d.slug,
  name: d.name,
  description: d.description,
  email: d.email,
  position: d.position,
  editors: d.editors.map((p) => ({ id: p.id, slug: p.slug, name: p.name })),
});

export const presentPerson = (p: Person) => ({
  id: p.id,
  slug: p.slug,
  name: p.name,
  kind: p.kind,
  title: p.title,
  bio: p.bio,
  photoUrl: p.photoUrl,
  contacts: p.contacts.map((c) => ({ kind: c.kind, value: c.value })),
});

export const presentSettings = (s: SiteSettings) => ({ siteName: s.siteName, tagline: s.tagline });

// ---------------------------------------------------------------------------------------------

export function adminApiRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  // Accounts: administrators only (the commands say so).

  app.get(`${API}/users`, async (request) => {
    const actor = requireActor(request);
    return { users: (await adminListUsers(db, actor)).map(presentAccount) };
  });

  app.post<{ Body: InviteBodyType }>(`${API}/users`, withSchema({ body: InviteBody }), async (request, reply) => {
    const actor = apiWriter(request, reply);
    const invitation = await db.transaction().execute((trx) => adminInviteUser(trx, actor, request.body));
    // The set-up link is shown here once; only its hash is stored.
    return reply.code(201).send({ user: presentAccount(invitation.account), setupPath: invitation.setupPath });
  });

  app.post<{ Params: IdParamsType }>(`${API}/users/:id/reset-password`, withSchema({ params: IdParams }), async (request, reply) => {
    const actor = apiWriter(request, reply);
    const reset = await db.transaction().execute((trx) => adminResetPassword(trx, actor, Number(request.params.id)));
    return { user: presentAccount(reset.account), setupPath: reset.setupPath };
  });

  app.post<{ Params: IdParamsType }>(`${API}/users/:id/unlock`, withSchema({ params: IdParams }), async (request, reply) => {
    const actor = apiWriter(request, reply);
    const account = await db.transaction().execute((trx) => adminUnlockUser(trx, actor, Number(request.params.id)));
    return { user: presentAccount(account) };
  });

  for (const [action, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post<{ Params: IdParamsType }>(`${API}/users/:id/${action}`, withSchema({ params: IdParams }), async (request, reply) => {
      const actor = apiWriter(request, reply);
      const account = await db.transaction().execute((trx) => adminSetUserDisabled(trx, actor, Number(request.params.id), disabled));
      return { user: presentAccount(account) };
    });
  }

  app.post<{ Params: IdParamsType }>(`${API}/users/:id/reset-two-factor`, withSchema({ params: IdParams }), async (request, reply) => {
    const actor = apiWriter(request, reply);
    const account = await db.transaction().execute((trx) => adminResetTwoFactor(trx, actor, Number(request.params.id)));
    return { user: presentAccount(account) };
  });

  // Desks.

  app.get(`${API}/desks`, async (request) => {
    requireActor(request);
    return { desks: (await listDesksWithEditors(db)).map(presentDesk) };
  });

  app.post<{ Body: DeskBodyType }>(`${API}/desks`, withSchema({ body: DeskBody }), async (request, reply) => {
    const actor = apiWriter(request, reply);
    const desk = await db.transaction().execute((trx) => adminCreateDesk(trx, actor, request.body));
    return reply.code(201).send({ desk: presentDesk(desk) });
  });

  app.patch<{ Params: IdParamsType; Body: DeskPatchType }>(`${API}/desks/:id`, withSchema({ params: IdParams, body: DeskPatch }), async (request, reply) => {
    const actor = apiWriter(request, reply);
    const desk = await db.transaction().execute((trx) => adminUpdateDesk(trx, actor, Number(request.params.id), request.body));
    return { desk: presentDesk(desk) };
  });

  app.put<{ Params: IdParamsType; Body: EditorsBodyType }>(`${API}/desks/:id/editors`, withSchema({ params: IdParams, body: EditorsBody }), async (request, reply) => {
    const actor = apiWriter(request, reply);
    const desk = await db.transaction().execute((trx) => adminSetDeskEditors(trx, actor, Number(request.params.id), request.body.personIds));
    return { desk: presentDesk(desk) };
  });

  // Staff profiles.

  app.get<{ Querystring: PeopleQueryType }>(`${API}/people`, withSchema({ querystring: PeopleQuery }), async (request) => {
    requireActor(request);
    return { people: (await listStaff(db, request.query.kind)).map(presentPerson) };
  });

  app.post<{ Body: PersonBodyType }>(`${API}/people`, withSchema({ body: PersonBody }), async (request, reply) => {
    const actor = apiWriter(request, reply);
    const person = await db.transaction().execute((trx) => adminCreatePerson(trx, actor, request.body));
    return reply.code(201).send({ person: presentPerson(person) });
  });

  app.patch<{ Params: IdParamsType; Body: PersonPatchType }>(`${API}/people/:id`, withSchema({ params: IdParams, body: PersonPatch }), async (request, reply) => {
    const actor = apiWriter(request, reply);
    const person = await db.transaction().execute((trx) => adminUpdatePerson(trx, actor, Number(request.params.id), request.body));
    return { person: presentPerson(person) };
  });

  // Site settings.

  app.get(`${API}/settings`, async (request) => {
    requireActor(request);
    return { settings: presentSettings(await readSiteSettings(db)) };
  });

  app.patch<{ Body: SettingsPatchType }>(`${API}/settings`, withSchema({ body: SettingsPatch }), async (request, reply) => {
    const actor = apiWriter(request, reply);
    const settings = await db.transaction().execute((trx) => adminUpdateSettings(trx, actor, request.body));
    return { settings: presentSettings(settings) };
  });
}
