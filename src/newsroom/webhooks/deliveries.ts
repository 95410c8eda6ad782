// Deliveries: one per event and subscription. Due ones are claimed by setting their next attempt
// time a lease ahead and marking them with the claimer's token; the claimer records the outcome
// with that token. A process killed mid-attempt leaves the lease to run out, and the delivery is
// claimed again: delivery is at least once, and receivers deduplicate by the event id.
import { randomUUID } from 'node:crypto';
import { PostgresAdapter, type Kysely } from 'kysely';
import type { Database, Queryable } from '../db.ts';
import { NewsroomError, notFound } from '../errors.ts';
import { iso } from '../time.ts';
import { parseEvent, type WebhookEvent } from './events.ts';
import type { EventType } from './subscriptions.ts';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

export interface RetryPolicy {
  /** Wait after the first failed attempt; doubled after each further one. */
  baseMs: number;
  /** The longest wait between two attempts. */
  capMs: number;
  /** After this many failed attempts the delivery is marked failed. */
  maxAttempts: number;
  /** Each wait is randomly up to this fraction shorter or longer, so retries do not march in step. */
  jitter: number;
}

/** 30 s, 1, 2, 4, 8, 16, 32 min (±20 %): eight attempts over about an hour. */
export const DEFAULT_RETRY: RetryPolicy = { baseMs: 30_000, capMs: 60 * 60_000, maxAttempts: 8, jitter: 0.2 };

/** The wait after the `attempts`-th failed attempt. */
export function backoffMs(attempts: number, policy: RetryPolicy = DEFAULT_RETRY, random: () => number = Math.random): number {
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (1 - policy.jitter + 2 * policy.jitter * random()));
}

export interface Delivery {
  id: number;
  webhookId: number;
  url: string;
  eventId: string;
  eventType: EventType;
  articleId: number;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** A claimed delivery with everything needed to send it. */
export interface ClaimedDelivery {
  id: number;
  /** The attempt this is, counting from 1. */
  attempt: number;
  claimToken: string;
  url: string;
  secret: string;
  event: WebhookEvent;
}

const checkId = (id: number) => {
  if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) throw notFound('That delivery');
};

const isPostgres = (db: Kysely<Database>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * Claims up to `limit` due deliveries of active subscriptions. Safe with several processes: on
 * PostgreSQL rows locked by another claimer are skipped (FOR UPDATE SKIP LOCKED); SQLite runs the
 * one UPDATE under its write lock. Returns nothing, cheaply and without a write, when nothing is due.
 */
export async function claimDue(db: Kysely<Database>, options: { now: Date; leaseMs: number; limit: number }): Promise<ClaimedDelivery[]> {
  const at = iso(options.now);
  const dueIds = (qb: Kysely<Database>) =>
    qb
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', at)
      .where('webhook_id', 'in', (eb) => eb.selectFrom('webhooks').select('id').where('active', '=', 1))
      .orderBy('next_attempt_at')
      .limit(options.limit);
  if ((await dueIds(db).execute()).length === 0) return [];
  const token = randomUUID();
  const claimed = await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({ claim_token: token, next_attempt_at: iso(new Date(options.now.getTime() + options.leaseMs)), attempts: eb('attempts', '+', 1), last_attempt_at: at }))
    .where('id', 'in', isPostgres(db) ? dueIds(db).forUpdate().skipLocked() : dueIds(db))
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', at)
    .returning(['id', 'attempts'])
    .execute();
  if (claimed.length === 0) return [];
  const rows = await db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhook_events', 'webhook_events.id', 'webhook_deliveries.event_id')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .select(['webhook_deliveries.id', 'webhooks.url', 'webhooks.secret', 'webhook_events.id as event_id', 'webhook_events.type', 'webhook_events.occurred_at', 'webhook_events.payload'])
    .where('webhook_deliveries.id', 'in', claimed.map((c) => c.id))
    .execute();
  const attempts = new Map(claimed.map((c) => [c.id, Number(c.attempts)]));
  return rows
    .map((r) => ({
      id: r.id,
      attempt: attempts.get(r.id) ?? 1,
      claimToken: token,
      url: r.url,
      secret: r.secret,
      event: parseEvent({ id: r.event_id, type: r.type, occurred_at: r.occurred_at, payload: r.payload }),
    }))
    .sort((a, b) => a.id - b.id);
}

export interface AttemptOutcome {
  /** The HTTP status the receiver answered, if it answered. */
  statusCode: number | null;
  /** Why the attempt failed: a network error, a timeout, a non-2xx answer. */
  error: string | null;
  /** A Retry-After the receiver asked for, in ms. */
  retryAfterMs?: number;
}

/**
 * Records how an attempt went. A 2xx answer delivers; anything else retries after the back-off,
 * or fails the delivery for good after the last attempt. Does nothing if the claim was lost
 * (the lease ran out and another process claimed the delivery).
 */
export async function recordAttempt(
  db: Queryable,
  claim: Pick<ClaimedDelivery, 'id' | 'attempt' | 'claimToken'>,
  outcome: AttemptOutcome,
  options: { now: Date; retry?: RetryPolicy; random?: () => number },
): Promise<DeliveryStatus | undefined> {
  const policy = options.retry ?? DEFAULT_RETRY;
  const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
  const common = { claim_token: null, last_status_code: outcome.statusCode, last_error: ok ? null : (outcome.error ?? 'failed').slice(0, 500) };
  let status: DeliveryStatus;
  let changes;
  if (ok) {
    status = 'delivered';
    changes = { ...common, status, delivered_at: iso(options.now) };
  } else if (claim.attempt >= policy.maxAttempts) {
    status = 'failed';
    changes = { ...common, status };
  } else {
    status = 'pending';
    const wait = Math.min(policy.capMs, Math.max(backoffMs(claim.attempt, policy, options.random), outcome.retryAfterMs ?? 0));
    changes = { ...common, status, next_attempt_at: iso(new Date(options.now.getTime() + wait)) };
  }
  const result = await db.updateTable('webhook_deliveries').set(changes).where('id', '=', claim.id).where('claim_token', '=', claim.claimToken).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0 ? status : undefined;
}

const deliveryColumns = [
  'webhook_deliveries.id',
  'webhook_deliveries.webhook_id',
  'webhooks.url',
  'webhook_deliveries.event_id',
  'webhook_events.type',
  'webhook_events.article_id',
  'webhook_deliveries.status',
  'webhook_deliveries.attempts',
  'webhook_deliveries.next_attempt_at',
  'webhook_deliveries.last_attempt_at',
  'webhook_deliveries.last_status_code',
  'webhook_deliveries.last_error',
  'webhook_deliveries.delivered_at',
  'webhook_deliveries.created_at',
] as const;

const deliveries = (db: Queryable) =>
  db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhook_events', 'webhook_events.id', 'webhook_deliveries.event_id')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .select(deliveryColumns);

type DeliveryRow = Awaited<ReturnType<ReturnType<typeof deliveries>['executeTakeFirstOrThrow']>>;

const toDelivery = (r: DeliveryRow): Delivery => ({
  id: r.id,
  webhookId: r.webhook_id,
  url: r.url,
  eventId: r.event_id,
  eventType: r.type as EventType,
  articleId: r.article_id,
  status: r.status,
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at,
  lastAttemptAt: r.last_attempt_at,
  lastStatusCode: r.last_status_code,
  lastError: r.last_error,
  deliveredAt: r.delivered_at,
  createdAt: r.created_at,
});

/** The delivery log, newest first. */
export async function listDeliveries(db: Queryable, q: { status?: DeliveryStatus; webhookId?: number; eventId?: string; limit: number }): Promise<Delivery[]> {
  let query = deliveries(db);
  if (q.status) query = query.where('webhook_deliveries.status', '=', q.status);
  if (q.webhookId !== undefined) query = query.where('webhook_deliveries.webhook_id', '=', q.webhookId);
  if (q.eventId !== undefined) query = query.where('webhook_deliveries.event_id', '=', q.eventId);
  const rows = await query.orderBy('webhook_deliveries.id', 'desc').limit(q.limit).execute();
  return rows.map(toDelivery);
}

export async function getDelivery(db: Queryable, id: number): Promise<Delivery> {
  checkId(id);
  const row = await deliveries(db).where('webhook_deliveries.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('That delivery');
  return toDelivery(row);
}

/**
 * Sends an event again. A pending delivery waiting for its next attempt is made due now; any
 * other becomes a new delivery of the same event (same event id, so receivers can deduplicate),
 * due now, with its own attempts; the old one stays in the log as it was.
 */
export async function redeliver(db: Queryable, id: number, now = new Date()): Promise<Delivery> {
  const delivery = await getDelivery(db, id);
  if (delivery.status === 'pending') {
    const row = await db.selectFrom('webhook_deliveries').select(['claim_token', 'next_attempt_at']).where('id', '=', id).executeTakeFirstOrThrow();
    if (row.claim_token !== null && row.next_attempt_at > iso(now)) {
      throw new NewsroomError('conflict', `Delivery ${id} is being attempted right now; see its outcome in the delivery log.`);
    }
    await db.updateTable('webhook_deliveries').set({ next_attempt_at: iso(now) }).where('id', '=', id).execute();
    return getDelivery(db, id);
  }
  const { newId } = await db
    .insertInto('webhook_deliveries')
    .values({ event_id: delivery.eventId, webhook_id: delivery.webhookId, status: 'pending', next_attempt_at: iso(now), created_at: iso(now) })
    .returning('id as newId')
    .executeTakeFirstOrThrow();
  return getDelivery(db, newId);
}

/** Gives a claim back unattempted (the process is shutting down mid-request): due again at once. */
export async function releaseClaim(db: Queryable, claim: Pick<ClaimedDelivery, 'id' | 'claimToken'>, now: Date): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({ claim_token: null, next_attempt_at: iso(now), attempts: eb('attempts', '-', 1) }))
    .where('id', '=', claim.id)
    .where('claim_token', '=', claim.claimToken)
    .execute();
}
