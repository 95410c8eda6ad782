// `dateline webhook`: subscriptions to article events, and the delivery log.
import type { Command } from 'commander';
import { getDelivery, listDeliveries, redeliver, type Delivery, type DeliveryStatus } from '../newsroom/webhooks/deliveries.ts';
import { createSubscription, EVENT_TYPES, listSubscriptions, removeSubscription, setSubscriptionActive } from '../newsroom/webhooks/subscriptions.ts';
import { withDatabase } from './context.ts';
import { CliError } from './errors.ts';

const STATUSES: DeliveryStatus[] = ['pending', 'delivered', 'failed', 'cancelled'];

function id(value: string, what: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new CliError(`"${value}" is not a ${what} id (a number from "dateline webhook ${what === 'webhook' ? 'list' : 'deliveries'}")`);
  return Number(value);
}

/** What happened last, in one cell of the log. */
function outcome(d: Delivery): string {
  if (d.status === 'delivered') return `delivered ${d.deliveredAt} (HTTP ${d.lastStatusCode})`;
  const last = d.lastError ? `last: ${d.lastError}` : 'not attempted yet';
  if (d.status === 'pending') return `${d.attempts === 0 ? 'due' : 'next attempt'} ${d.nextAttemptAt}; ${last}`;
  return last;
}

export function registerWebhook(cli: Command): void {
  const webhook = cli.command('webhook').description(`webhooks: signed POSTs of article events (${EVENT_TYPES.join(', ')}) to other systems`);

  webhook
    .command('add <url>')
    .description('subscribe a URL to events; prints the signing secret once')
    .requiredOption('-e, --events <list>', `comma-separated event types, or "*" for all: ${EVENT_TYPES.join(',')}`)
    .option('-s, --secret <secret>', 'the signing secret to use (default: a generated one)')
    .option('-d, --description <text>', 'what the webhook is for')
    .action(async (url: string, options: { events: string; secret?: string; description?: string }) =>
      withDatabase(async (db) => {
        const { subscription, secret } = await db.kysely.transaction().execute((trx) =>
          createSubscription(trx, { url, events: options.events.split(','), secret: options.secret, description: options.description }),
        );
        console.log(`Webhook ${subscription.id} sends ${subscription.events.join(', ')} to ${subscription.url}.`);
        console.log(options.secret ? 'Payloads are signed with the secret you gave.' : `Signing secret (copy it now; it is not shown again):\n${secret}`);
      }),
    );

  webhook
    .command('list')
    .description('list webhooks (without their secrets)')
    .action(async () =>
      withDatabase(async (db) => {
        const subscriptions = await listSubscriptions(db.kysely);
        if (subscriptions.length === 0) return console.log('No webhooks. Add one with "dateline webhook add URL --events article.published".');
        for (const s of subscriptions) {
          console.log(`${String(s.id).padStart(5)}  ${s.active ? 'active' : 'paused'}  ${s.url}  ${s.events.join(',')}${s.description ? `  "${s.description}"` : ''}  (since ${s.createdAt})`);
        }
      }),
    );

  webhook
    .command('remove <id>')
    .description('remove a webhook and its delivery log; nothing more is sent to it')
    .action(async (value: string) =>
      withDatabase(async (db) => {
        const removed = await db.kysely.transaction().execute((trx) => removeSubscription(trx, id(value, 'webhook')));
        console.log(`Removed webhook ${removed.id} (${removed.url}).`);
      }),
    );

  for (const [name, active] of [['pause', false], ['resume', true]] as const) {
    webhook
      .command(`${name} <id>`)
      .description(active ? 'resume a paused webhook: waiting deliveries go out' : 'pause a webhook: no new events, waiting deliveries wait')
      .action(async (value: string) =>
        withDatabase(async (db) => {
          const s = await db.kysely.transaction().execute((trx) => setSubscriptionActive(trx, id(value, 'webhook'), active));
          console.log(`Webhook ${s.id} (${s.url}) is ${s.active ? 'active' : 'paused'}.`);
        }),
      );
  }

  webhook
    .command('deliveries')
    .description('the delivery log, newest first')
    .option('--failed', 'only deliveries that gave up')
    .option('--status <status>', `only deliveries in this state: ${STATUSES.join(', ')}`)
    .option('--webhook <id>', "only this webhook's deliveries")
    .option('-n, --limit <n>', 'how many (1 to 1000)', '50')
    .action(async (options: { failed?: boolean; status?: string; webhook?: string; limit: string }) =>
      withDatabase(async (db) => {
        if (!/^\d{1,4}$/.test(options.limit) || Number(options.limit) < 1 || Number(options.limit) > 1000) {
          throw new CliError(`--limit must be a number from 1 to 1000, not "${options.limit}"`);
        }
        if (options.status !== undefined && !(STATUSES as string[]).includes(options.status)) {
          throw new CliError(`--status must be one of ${STATUSES.join(', ')}, not "${options.status}"`);
        }
        if (options.failed && options.status && options.status !== 'failed') throw new CliError('--failed and --status disagree; give one');
        const status = options.failed ? 'failed' : (options.status as DeliveryStatus | undefined);
        const rows = await listDeliveries(db.kysely, {
          ...(status ? { status } : {}),
          ...(options.webhook !== undefined ? { webhookId: id(options.webhook, 'webhook') } : {}),
          limit: Number(options.limit),
        });
        if (rows.length === 0) return console.log('No deliveries.');
        console.log(`${'ID'.padStart(6)}  ${'STATUS'.padEnd(9)}  ${'TRIES'.padStart(5)}  ${'EVENT'.padEnd(19)}  ${'ARTICLE'.padStart(7)}  EVENT ID / URL / OUTCOME`);
        for (const d of rows) {
          console.log(
            `${String(d.id).padStart(6)}  ${d.status.padEnd(9)}  ${String(d.attempts).padStart(5)}  ${d.eventType.padEnd(19)}  ${String(d.articleId).padStart(7)}  ${d.eventId} → ${d.url}\n${''.padStart(6)}  ${outcome(d)}`,
          );
        }
      }),
    );

  webhook
    .command('redeliver <delivery-id>')
    .description('send a delivery\'s event again, now (same event id); a running server sends it within a second')
    .action(async (value: string) =>
      withDatabase(async (db) => {
        const before = await getDelivery(db.kysely, id(value, 'delivery'));
        const again = await db.kysely.transaction().execute((trx) => redeliver(trx, before.id));
        console.log(
          again.id === before.id
            ? `Delivery ${again.id} (${again.eventType} ${again.eventId}) is due now.`
            : `Delivery ${again.id} sends ${again.eventType} ${again.eventId} to ${again.url} again (was delivery ${before.id}, ${before.status}).`,
        );
      }),
    );
}
