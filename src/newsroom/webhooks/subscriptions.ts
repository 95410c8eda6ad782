// Webhook subscriptions: a URL, the secret its payloads are signed with, the event types it wants.
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db.ts';
import { invalid, notFound } from '../errors.ts';
import { iso } from '../time.ts';

export const EVENT_TYPES = ['article.published', 'article.updated', 'article.corrected', 'article.unpublished'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const SECRET_PREFIX = 'whsec_';

export interface Subscription {
  id: number;
  url: string;
  events: EventType[];
  description: string;
  active: boolean;
  createdAt: string;
}

type Row = { id: number; url: string; events: string; description: string; active: number; created_at: string };

const toSubscription = (row: Row): Subscription => ({
  id: row.id,
  url: row.url,
  events: parseEvents(row.events),
  description: row.description,
  active: Number(row.active) === 1,
  createdAt: row.created_at,
});

const parseEvents = (stored: string): EventType[] => stored.split(',').filter((e): e is EventType => (EVENT_TYPES as readonly string[]).includes(e));

/** An absolute http(s) URL, or a field error. Redirects are never followed, so this is where it goes. */
export function checkUrl(value: string): string {
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid({ url: `"${text}" is not a URL; give an absolute http(s) address.` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid({ url: `A webhook URL must be http or https, not ${url.protocol.replace(':', '')}.` });
  if (url.username || url.password) throw invalid({ url: 'Put no user name or password in the URL; verify the signature instead.' });
  if (text.length > 2000) throw invalid({ url: 'The URL is longer than 2,000 characters.' });
  return url.toString();
}

/** Event types from a list such as ["article.published", "article.corrected"]; "*" means all. */
export function checkEvents(values: string[]): EventType[] {
  const wanted = values.map((v) => v.trim()).filter(Boolean);
  if (wanted.includes('*')) return [...EVENT_TYPES];
  if (wanted.length === 0) throw invalid({ events: `Choose at least one event: ${EVENT_TYPES.join(', ')}.` });
  const unknown = wanted.filter((v) => !(EVENT_TYPES as readonly string[]).includes(v));
  if (unknown.length > 0) throw invalid({ events: `Unknown event ${unknown.map((u) => `"${u}"`).join(', ')}; choose from ${EVENT_TYPES.join(', ')}.` });
  return EVENT_TYPES.filter((e) => wanted.includes(e));
}

export function checkSecret(value: string): string {
  if (value.length < 16) throw invalid({ secret: 'A secret needs at least 16 characters; leave it out to have one generated.' });
  if (value.length > 200 || /\s/.test(value)) throw invalid({ secret: 'A secret is at most 200 characters, without spaces.' });
  return value;
}

export const generateSecret = (): string => SECRET_PREFIX + randomBytes(32).toString('base64url');

export interface SubscriptionInput {
  url: string;
  events: string[];
  secret?: string;
  description?: string;
}

/** Adds a subscription; the secret (given or generated) is in the answer, to show once. */
export async function createSubscription(db: Queryable, input: SubscriptionInput, now = new Date()): Promise<{ subscription: Subscription; secret: string }> {
  const problems: Record<string, string> = {};
  const attempt = <T>(field: string, check: () => T): T | undefined => {
    try {
      return check();
    } catch (error) {
      if (error instanceof Error && 'fields' in error) Object.assign(problems, (error as { fields: Record<string, string> }).fields);
      else problems[field] = String(error);
      return undefined;
    }
  };
  const url = attempt('url', () => checkUrl(input.url));
  const events = attempt('events', () => checkEvents(input.events));
  const secret = input.secret === undefined ? generateSecret() : attempt('secret', () => checkSecret(input.secret as string));
  const description = (input.description ?? '').replace(/\s+/g, ' ').trim();
  if (description.length > 200) problems.description = 'The description is longer than 200 characters.';
  if (Object.keys(problems).length > 0 || !url || !events || !secret) throw invalid(problems);
  const row = await db
    .insertInto('webhooks')
    .values({ url, secret, events: events.join(','), description, active: 1, created_at: iso(now) })
    .returning(['id', 'url', 'events', 'description', 'active', 'created_at'])
    .executeTakeFirstOrThrow();
  return { subscription: toSubscription(row), secret };
}

export async function listSubscriptions(db: Queryable): Promise<Subscription[]> {
  const rows = await db.selectFrom('webhooks').select(['id', 'url', 'events', 'description', 'active', 'created_at']).orderBy('id').execute();
  return rows.map(toSubscription);
}

const checkId = (id: number) => {
  if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) throw notFound('That webhook');
};

export async function getSubscription(db: Queryable, id: number): Promise<Subscription> {
  checkId(id);
  const row = await db.selectFrom('webhooks').select(['id', 'url', 'events', 'description', 'active', 'created_at']).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('That webhook');
  return toSubscription(row);
}

/** Removes a subscription and its delivery log; nothing more is sent to it. */
export async function removeSubscription(db: Queryable, id: number): Promise<Subscription> {
  const subscription = await getSubscription(db, id);
  await db.deleteFrom('webhooks').where('id', '=', id).execute();
  return subscription;
}

/** Pauses (or resumes) a subscription: while paused it gets no new events and its pending deliveries wait. */
export async function setSubscriptionActive(db: Queryable, id: number, active: boolean): Promise<Subscription> {
  await getSubscription(db, id);
  await db.updateTable('webhooks').set({ active: active ? 1 : 0 }).where('id', '=', id).execute();
  return getSubscription(db, id);
}

/** Active subscriptions that want events of this type: id only. */
export async function subscribersOf(db: Queryable, type: EventType): Promise<number[]> {
  const rows = await db.selectFrom('webhooks').select(['id', 'events']).where('active', '=', 1).execute();
  return rows.filter((r) => parseEvents(r.events).includes(type)).map((r) => r.id);
}
