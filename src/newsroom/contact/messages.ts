// Messages readers send to a desk through the contact form, kept for the desk's editors.
// They are stored as plain text, never HTML: every surface that shows one escapes it.
import type { Selectable } from 'kysely';
import type { ContactMessagesTable } from '../../db/schema.ts';
import type { Queryable } from '../db.ts';
import { findDeskById } from '../desks/repository.ts';
import type { Desk } from '../desks/types.ts';
import { invalid } from '../errors.ts';
import { iso } from '../time.ts';

export const MESSAGE_LIMITS = { name: 200, email: 254, emailLocalPart: 64, subject: 200, bodyMin: 10, bodyMax: 10_000 } as const;

/** What a reader typed; `deskId` is null when no desk was chosen. */
export interface MessageInput {
  deskId: number | null;
  name: string;
  email: string;
  subject: string;
  body: string;
}

export interface ContactMessage {
  id: number;
  desk: Pick<Desk, 'id' | 'slug' | 'name'>;
  name: string;
  email: string;
  subject: string;
  body: string;
  createdAt: string;
  readAt: string | null;
  answeredAt: string | null;
}

/** Problems are keyed by the form's field names: desk, name, email, subject, body. */
export type MessageField = 'desk' | 'name' | 'email' | 'subject' | 'body';

// Largest id both dialects store in an integer column; a bigger one would be a PostgreSQL error.
const MAX_ID = 2_147_483_647;

// Control characters have no place in a message and could drive the terminal of whoever reads
// it with `dateline messages`; line breaks and tabs stay in the body.
const oneLine = (text: string): string => text.replace(/\p{Cc}/gu, ' ').replace(/\s+/gu, ' ').trim();
const multiLine = (text: string): string =>
  text
    .replace(/\r\n?/g, '\n')
    .replace(/(?![\n\t])\p{Cc}/gu, '')
    .trim();

function clean(input: MessageInput): MessageInput {
  return {
    deskId: input.deskId,
    name: oneLine(input.name),
    email: oneLine(input.email),
    subject: oneLine(input.subject),
    body: multiLine(input.body),
  };
}

// Characters that are legal in some addresses but, outside quotes, mark a typo or a list of
// several addresses; refusing them keeps the address safe to reuse in a mail header later.
const ADDRESS_PART = /^[^\s@<>()[\]\\,;:"]+$/u;

/** Catches typos and nonsense, not every address RFC 5321 allows (quoted local parts are refused). */
export function plausibleEmail(email: string): boolean {
  const parts = email.split('@');
  if (parts.length !== 2) return false;
  const [local = '', domain = ''] = parts;
  const labels = domain.split('.');
  return (
    local.length <= MESSAGE_LIMITS.emailLocalPart &&
    ADDRESS_PART.test(local) &&
    ADDRESS_PART.test(domain) &&
    labels.length >= 2 &&
    labels.every((label) => label !== '' && !label.startsWith('-') && !label.endsWith('-'))
  );
}

const count = (n: number) => n.toLocaleString('en');

function nameProblem(name: string): string | undefined {
  if (!name) return 'Tell us your name.';
  if (name.length > MESSAGE_LIMITS.name) return `Your name can have at most ${count(MESSAGE_LIMITS.name)} characters.`;
  return undefined;
}

function emailProblem(email: string): string | undefined {
  if (!email) return 'Give your email address, so the editor can answer you.';
  if (email.length > MESSAGE_LIMITS.email) return `An email address has at most ${count(MESSAGE_LIMITS.email)} characters.`;
  if (!plausibleEmail(email)) return 'This does not look like an email address; it should look like name@example.com.';
  return undefined;
}

function subjectProblem(subject: string): string | undefined {
  if (!subject) return 'Give your message a subject.';
  if (subject.length > MESSAGE_LIMITS.subject) return `The subject can have at most ${count(MESSAGE_LIMITS.subject)} characters.`;
  return undefined;
}

function bodyProblem(body: string): string | undefined {
  if (!body) return 'Write your message.';
  if (body.length < MESSAGE_LIMITS.bodyMin) return `Your message is too short: write at least ${count(MESSAGE_LIMITS.bodyMin)} characters.`;
  if (body.length > MESSAGE_LIMITS.bodyMax) {
    return `Your message is too long: it has ${count(body.length)} characters and may have at most ${count(MESSAGE_LIMITS.bodyMax)}.`;
  }
  return undefined;
}

async function findChosenDesk(db: Queryable, deskId: number | null): Promise<Desk | undefined> {
  if (deskId === null || !Number.isInteger(deskId) || deskId < 1 || deskId > MAX_ID) return undefined;
  return findDeskById(db, deskId);
}

function deskProblem(deskId: number | null, desk: Desk | undefined): string | undefined {
  if (desk) return undefined;
  return deskId === null ? 'Choose the desk your message is for.' : 'That desk no longer exists; choose one from the list.';
}

function problemsWith(input: MessageInput, desk: Desk | undefined): Partial<Record<MessageField, string>> {
  const checks: Record<MessageField, string | undefined> = {
    desk: deskProblem(input.deskId, desk),
    name: nameProblem(input.name),
    email: emailProblem(input.email),
    subject: subjectProblem(input.subject),
    body: bodyProblem(input.body),
  };
  const problems: Partial<Record<MessageField, string>> = {};
  for (const [field, problem] of Object.entries(checks) as Array<[MessageField, string | undefined]>) {
    if (problem) problems[field] = problem;
  }
  return problems;
}

/** Checks and stores a reader's message; every problem is reported at once, keyed by field. */
export async function submitMessage(db: Queryable, input: MessageInput, now = new Date()): Promise<ContactMessage> {
  const message = clean(input);
  const desk = await findChosenDesk(db, message.deskId);
  const problems = problemsWith(message, desk);
  if (!desk || Object.keys(problems).length > 0) throw invalid(problems);
  const row = await db
    .insertInto('contact_messages')
    .values({
      desk_id: desk.id,
      name: message.name,
      email: message.email,
      subject: message.subject,
      body: message.body,
      created_at: iso(now),
      read_at: null,
      answered_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toMessage(row, desk);
}

const toMessage = (row: Selectable<ContactMessagesTable>, desk: Pick<Desk, 'id' | 'slug' | 'name'>): ContactMessage => ({
  id: row.id,
  desk: { id: desk.id, slug: desk.slug, name: desk.name },
  name: row.name,
  email: row.email,
  subject: row.subject,
  body: row.body,
  createdAt: row.created_at,
  readAt: row.read_at,
  answeredAt: row.answered_at,
});

export interface MessageQuery {
  deskSlug?: string;
  unreadOnly?: boolean;
  limit: number;
}

/** Messages with their desk, newest first. */
export async function listMessages(db: Queryable, query: MessageQuery): Promise<ContactMessage[]> {
  let select = db
    .selectFrom('contact_messages')
    .innerJoin('desks', 'desks.id', 'contact_messages.desk_id')
    .selectAll('contact_messages')
    .select(['desks.slug as desk_slug', 'desks.name as desk_name']);
  if (query.deskSlug !== undefined) select = select.where('desks.slug', '=', query.deskSlug);
  if (query.unreadOnly) select = select.where('contact_messages.read_at', 'is', null);
  const rows = await select.orderBy('contact_messages.created_at', 'desc').orderBy('contact_messages.id', 'desc').limit(query.limit).execute();
  return rows.map((row) => toMessage(row, { id: row.desk_id, slug: row.desk_slug, name: row.desk_name }));
}

/** Marks a message read; false when it was read already or does not exist. */
export async function markRead(db: Queryable, id: number, now = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('contact_messages')
    .set({ read_at: iso(now) })
    .where('id', '=', id)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
