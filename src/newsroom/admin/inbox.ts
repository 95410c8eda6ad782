// The newsroom's inbox: what readers sent through the contact form. A desk editor reads the
// messages of the desks they edit; managing editors and administrators read every desk's;
// contributors have no inbox. Marking a message read or answered follows the same rule.
import type { Queryable } from '../db.ts';
import type { ContactMessage } from '../contact/messages.ts';
import { findDeskById } from '../desks/repository.ts';
import { invalid, NewsroomError, notFound } from '../errors.ts';
import type { Actor } from '../auth/types.ts';
import { iso } from '../time.ts';
import { assertInbox, inboxDeskIds, MAX_ID, mayHandleMessage } from './policy.ts';

export const INBOX_MAX_LIMIT = 200;

export interface InboxQuery {
  deskId?: number;
  unreadOnly?: boolean;
  limit: number;
  offset?: number;
}

function messageQuery(db: Queryable) {
  return db
    .selectFrom('contact_messages')
    .innerJoin('desks', 'desks.id', 'contact_messages.desk_id')
    .selectAll('contact_messages')
    .select(['desks.slug as desk_slug', 'desks.name as desk_name']);
}

type MessageRow = Awaited<ReturnType<ReturnType<typeof messageQuery>['executeTakeFirstOrThrow']>>;

const toMessage = (row: MessageRow): ContactMessage => ({
  id: row.id,
  desk: { id: row.desk_id, slug: row.desk_slug, name: row.desk_name },
  name: row.name,
  email: row.email,
  subject: row.subject,
  body: row.body,
  createdAt: row.created_at,
  readAt: row.read_at,
  answeredAt: row.answered_at,
});

/** The actor's messages, newest first; `more` says whether another page follows. */
export async function listInbox(db: Queryable, actor: Actor, query: InboxQuery): Promise<{ messages: ContactMessage[]; more: boolean }> {
  assertInbox(actor);
  const limit = Math.min(Math.max(Math.trunc(query.limit), 1), INBOX_MAX_LIMIT);
  const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
  const desks = await inboxDeskIds(db, actor);
  if (query.deskId !== undefined) {
    const desk = query.deskId >= 1 && query.deskId <= MAX_ID ? await findDeskById(db, query.deskId) : undefined;
    if (!desk) throw notFound('That desk');
    if (desks !== 'all' && !desks.includes(desk.id)) {
      throw new NewsroomError('forbidden', `You do not edit the ${desk.name} desk, so its messages are for its editors.`);
    }
  }
  if (desks !== 'all' && desks.length === 0) return { messages: [], more: false };
  let select = messageQuery(db);
  if (desks !== 'all') select = select.where('contact_messages.desk_id', 'in', desks);
  if (query.deskId !== undefined) select = select.where('contact_messages.desk_id', '=', query.deskId);
  if (query.unreadOnly) select = select.where('contact_messages.read_at', 'is', null);
  const rows = await select
    .orderBy('contact_messages.created_at', 'desc')
    .orderBy('contact_messages.id', 'desc')
    .limit(limit + 1)
    .offset(offset)
    .execute();
  return { messages: rows.slice(0, limit).map(toMessage), more: rows.length > limit };
}

export interface MessageMarks {
  read?: boolean;
  answered?: boolean;
}

/**
 * Marks a message read or unread, answered or not. Answering implies reading; the first time
 * of each is kept when it is marked again.
 */
export async function markMessage(db: Queryable, actor: Actor, id: number, marks: MessageMarks, now = new Date()): Promise<ContactMessage> {
  assertInbox(actor);
  if (marks.read === undefined && marks.answered === undefined) throw invalid({ read: 'Say what to mark: read, answered, or both (true or false).' });
  if (marks.read === false && marks.answered === true) throw invalid({ read: 'An answered message has been read: send read: true, or leave it out.' });
  const row = id >= 1 && id <= MAX_ID ? await messageQuery(db).where('contact_messages.id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw notFound('That message');
  const desks = await inboxDeskIds(db, actor);
  if (!mayHandleMessage(actor, desks !== 'all' && desks.includes(row.desk_id))) {
    throw new NewsroomError('forbidden', `This message went to the ${row.desk_name} desk; only its editors and the managing editors handle it.`);
  }
  const at = iso(now);
  const changes: { read_at?: string | null; answered_at?: string | null } = {};
  if (marks.read === true || marks.answered === true) changes.read_at = row.read_at ?? at;
  if (marks.read === false) changes.read_at = null;
  if (marks.answered === true) changes.answered_at = row.answered_at ?? at;
  if (marks.answered === false) changes.answered_at = null;
  await db.updateTable('contact_messages').set(changes).where('id', '=', id).execute();
  return toMessage({ ...row, ...changes });
}
