// `dateline messages`: what readers sent through the contact form, for the desks' editors to
// read until the newsroom UI lists them.
import { InvalidArgumentError, type Command } from 'commander';
import type { Config } from '../config.ts';
import type { Queryable } from '../newsroom/db.ts';
import { listMessages, markRead, type ContactMessage } from '../newsroom/contact/messages.ts';
import { findDeskBySlug, listDesks } from '../newsroom/desks/repository.ts';
import type { Desk } from '../newsroom/desks/types.ts';
import { editorsByDesk } from '../newsroom/people/repository.ts';
import { excerpt } from '../newsroom/text.ts';
import { formatDateTime } from '../site/views/format.ts';
import { withDatabase } from './context.ts';
import { CliError } from './errors.ts';

const MAX_LIMIT = 1000;

interface MessagesOptions {
  desk?: string;
  unread?: boolean;
  limit: number;
  markRead?: boolean;
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_LIMIT) {
    throw new InvalidArgumentError(`must be a whole number from 1 to ${MAX_LIMIT}.`);
  }
  return Number(value);
}

export function registerMessages(cli: Command): void {
  cli
    .command('messages')
    .description("list the messages readers sent through the contact form, newest first, for the desks' editors")
    .option('--desk <slug>', 'only the messages to this desk')
    .option('--unread', 'only the messages nobody has marked read')
    .option('--limit <n>', `at most this many messages (1 to ${MAX_LIMIT})`, wholeNumber, 20)
    .option('--mark-read', 'mark the listed messages read')
    .action(async (options: MessagesOptions) => {
      await withDatabase(({ kysely }, config) => showMessages(kysely, config, options), { migrate: false });
    });
}

async function showMessages(db: Queryable, config: Config, options: MessagesOptions): Promise<void> {
  const desk = options.desk === undefined ? undefined : await requireDesk(db, options.desk);
  const messages = await listMessages(db, { deskSlug: desk?.slug, unreadOnly: options.unread, limit: options.limit });
  console.log(await heading(db, desk, messages.length, options));
  for (const message of messages) console.log(`\n${describeMessage(message, config)}`);
  if (options.markRead) await markAllRead(db, messages);
}

async function requireDesk(db: Queryable, slug: string): Promise<Desk> {
  const desk = await findDeskBySlug(db, slug);
  if (desk) return desk;
  const known = (await listDesks(db)).map((d) => d.slug);
  throw new CliError(`there is no desk "${slug}"; ${known.length ? `the desks are: ${known.join(', ')}` : 'the newsroom has no desks yet'}`);
}

async function heading(db: Queryable, desk: Desk | undefined, count: number, options: MessagesOptions): Promise<string> {
  const kind = options.unread ? 'unread message' : 'message';
  const to = desk ? ` to the ${desk.name} desk` : '';
  const found = count === 0 ? `No ${kind}s${to}.` : `${count} ${kind}${count === 1 ? '' : 's'}${to}, newest first.`;
  if (!desk) return found;
  const editors = (await editorsByDesk(db)).get(desk.id) ?? [];
  return `${found} Editors: ${editors.length ? editors.map((p) => p.name).join(', ') : 'none listed yet'}.`;
}

// Messages come from strangers: a control character could drive the reader's terminal.
const printable = (text: string) => text.replace(/\p{Cc}/gu, ' ');

function firstLine(body: string): string {
  const [line = ''] = body.split('\n');
  return excerpt(line, 20, 100);
}

function describeMessage(message: ContactMessage, config: Config): string {
  const sentAt = formatDateTime(message.createdAt, { language: config.language, timeZone: config.timeZone });
  const lines = [
    `#${message.id} · ${message.desk.name} · ${sentAt}${message.readAt ? '' : ' · unread'}`,
    `From:    ${message.name} <${message.email}>`,
    `Subject: ${message.subject}`,
    `  ${firstLine(message.body)}`,
  ];
  return lines.map(printable).join('\n');
}

async function markAllRead(db: Queryable, messages: ContactMessage[]): Promise<void> {
  let marked = 0;
  for (const message of messages) if (await markRead(db, message.id)) marked++;
  console.log(`\nMarked ${marked} message${marked === 1 ? '' : 's'} read.`);
}
