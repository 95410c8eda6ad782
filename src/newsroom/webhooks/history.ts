// The delivery log is kept for a window (WEBHOOK_HISTORY_DAYS), not forever: every event holds a
// whole story, so a busy newsroom's log would grow by gigabytes a year. Only what is settled goes:
// a delivery still pending (waiting for its next attempt) stays however old it is, and so does
// its event.
import type { Queryable } from '../db.ts';
import { iso } from '../time.ts';

export interface Pruned {
  deliveries: number;
  events: number;
}

/**
 * Deletes deliveries that were delivered, gave up or were cancelled before `before` (by their
 * last attempt, else their creation), then events from before it that no delivery refers to.
 */
export async function pruneWebhookHistory(db: Queryable, before: Date): Promise<Pruned> {
  const cutoff = iso(before);
  const deliveries = await db
    .deleteFrom('webhook_deliveries')
    .where('status', '<>', 'pending')
    .where((eb) => eb(eb.fn.coalesce('last_attempt_at', 'created_at'), '<', cutoff))
    .executeTakeFirst();
  const events = await db
    .deleteFrom('webhook_events')
    .where('occurred_at', '<', cutoff)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('webhook_deliveries').select('webhook_deliveries.id').whereRef('webhook_deliveries.event_id', '=', 'webhook_events.id'))))
    .executeTakeFirst();
  return { deliveries: Number(deliveries.numDeletedRows), events: Number(events.numDeletedRows) };
}
