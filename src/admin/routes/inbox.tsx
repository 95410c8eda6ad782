// The inbox of readers' messages: desk editors read their desks', managing editors and
// administrators every desk's, contributors have none. The inbox commands decide who sees and
// marks what (src/newsroom/admin/inbox.ts); these handlers only ask them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { Database, Queryable } from '../../newsroom/db.ts';
import { INBOX_MAX_LIMIT, listInbox, markMessage, type MessageMarks } from '../../newsroom/admin/inbox.ts';
import { canOpenInbox, inboxDeskIds, MAX_ID } from '../../newsroom/admin/policy.ts';
import type { Actor } from '../../newsroom/auth/types.ts';
import { listDesks } from '../../newsroom/desks/repository.ts';
import { notFound } from '../../newsroom/errors.ts';
import { csrfValid, CSRF_EXPIRED } from '../../http/csrf.ts';
import { adminChrome, field, sendAdminPage } from '../chrome.ts';
import type { InboxSummary } from '../views/dashboard.tsx';
import { inboxHref, InboxPage, type InboxFilter, type InboxView } from '../views/inbox.tsx';
import type { AdminChrome } from '../views/layout.tsx';

const PAGE_SIZE = 50;
const LATEST = 5;

const MARKS = new Map<string, { marks: MessageMarks; notice: string }>([
  ['read', { marks: { read: true }, notice: 'Marked read.' }],
  ['unread', { marks: { read: false }, notice: 'Marked unread.' }],
  ['answered', { marks: { answered: true }, notice: 'Marked answered.' }],
  ['unanswered', { marks: { answered: false }, notice: 'Marked not answered.' }],
]);

/**
 * The dashboard's inbox panel: unread messages of the user's desks and the latest five; null
 * for contributors, who have no inbox. The count stops at the inbox's page limit (200).
 */
export async function inboxSummary(db: Queryable, actor: Actor): Promise<InboxSummary | null> {
  if (!canOpenInbox(actor)) return null;
  const { messages } = await listInbox(db, actor, { unreadOnly: true, limit: INBOX_MAX_LIMIT });
  return {
    unread: messages.length,
    latest: messages.slice(0, LATEST).map((m) => ({ id: m.id, subject: m.subject, name: m.name, deskName: m.desk.name, createdAt: m.createdAt })),
  };
}

/** The filter from a query string or a form (only well-formed values are kept). */
function filterFrom(source: unknown): InboxFilter {
  const desk = field(source, 'desk');
  const page = field(source, 'page');
  return {
    desk: /^\d{1,10}$/.test(desk) && Number(desk) <= MAX_ID ? desk : undefined,
    unread: field(source, 'unread') === 'true',
    page: /^[1-9]\d{0,4}$/.test(page) ? Number(page) : 1,
  };
}

export function inboxAdminRoutes(app: FastifyInstance, db: Kysely<Database>, config: Config): void {
  const show = async (reply: FastifyReply, chrome: AdminChrome, filter: InboxFilter, status = 200, notice?: InboxView['notice']) => {
    const { messages, more } = await listInbox(db, chrome.actor, {
      deskId: filter.desk ? Number(filter.desk) : undefined,
      unreadOnly: filter.unread,
      limit: PAGE_SIZE,
      offset: (filter.page - 1) * PAGE_SIZE,
    });
    const [readable, desks] = await Promise.all([inboxDeskIds(db, chrome.actor), listDesks(db)]);
    const view: InboxView = {
      messages,
      more,
      desks: readable === 'all' ? desks : desks.filter((d) => readable.includes(d.id)),
      filter,
      notice,
    };
    return sendAdminPage(reply, InboxPage({ chrome, view }), status);
  };

  app.get('/admin/inbox', async (request: FastifyRequest, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    const done = MARKS.get(field(request.query, 'done'));
    return show(reply, chrome, filterFrom(request.query), 200, done ? { kind: 'ok', text: done.notice } : undefined);
  });

  app.post<{ Params: { id: string } }>('/admin/inbox/:id', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    if (!/^\d{1,10}$/.test(request.params.id)) throw notFound('That message');
    const id = Number(request.params.id);
    const filter = filterFrom(request.body);
    if (!csrfValid(request, reply)) return show(reply, chrome, filter, 403, { kind: 'error', text: CSRF_EXPIRED });
    const mark = field(request.body, 'mark');
    const chosen = MARKS.get(mark);
    if (!chosen) return show(reply, chrome, filter, 400, { kind: 'error', text: 'Choose Mark read, Mark answered, or one of their opposites.' });
    await db.transaction().execute((trx) => markMessage(trx, chrome.actor, id, chosen.marks));
    return reply.redirect(`${inboxHref(filter, { done: mark })}#message-${id}`, 303);
  });
}
