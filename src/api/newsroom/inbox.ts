// The newsroom API for readers' messages: a desk editor's inbox (their desks' messages),
// managing editors' and administrators' (every desk's). The inbox commands decide who sees what.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { Type, type Static } from '@sinclair/typebox';
import type { Database } from '../../newsroom/db.ts';
import { apiWriter, requireActor } from '../../http/auth.ts';
import type { ContactMessage } from '../../newsroom/contact/messages.ts';
import { INBOX_MAX_LIMIT, listInbox, markMessage } from '../../newsroom/admin/inbox.ts';
import { IdParams, withSchema } from './admin.ts';

const API = '/api/newsroom/v1';
const DEFAULT_LIMIT = 50;

const InboxQuery = Type.Object(
  {
    desk: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}$' })),
    unread: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
    offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$' })),
  },
  { additionalProperties: false },
);
type InboxQueryType = Static<typeof InboxQuery>;

const MarkBody = Type.Object({ read: Type.Optional(Type.Boolean()), answered: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
type MarkBodyType = Static<typeof MarkBody>;

export const presentMessage = (m: ContactMessage) => ({
  id: m.id,
  desk: { id: m.desk.id, slug: m.desk.slug, name: m.desk.name },
  name: m.name,
  email: m.email,
  subject: m.subject,
  body: m.body,
  createdAt: m.createdAt,
  readAt: m.readAt,
  answeredAt: m.answeredAt,
});

export function inboxApiRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  app.get<{ Querystring: InboxQueryType }>(`${API}/messages`, withSchema({ querystring: InboxQuery }), async (request) => {
    const actor = requireActor(request);
    const q = request.query;
    const { messages, more } = await listInbox(db, actor, {
      deskId: q.desk === undefined ? undefined : Number(q.desk),
      unreadOnly: q.unread === 'true',
      limit: Math.min(Number(q.limit ?? DEFAULT_LIMIT) || DEFAULT_LIMIT, INBOX_MAX_LIMIT),
      offset: Number(q.offset ?? 0),
    });
    return { messages: messages.map(presentMessage), more };
  });

  app.patch<{ Params: { id: string }; Body: MarkBodyType }>(
    `${API}/messages/:id`,
    withSchema({ params: IdParams, body: MarkBody }, { emptyBody: true }),
    async (request, reply) => {
      const actor = apiWriter(request, reply);
      const message = await db.transaction().execute((trx) => markMessage(trx, actor, Number(request.params.id), request.body));
      return { message: presentMessage(message) };
    },
  );
}
