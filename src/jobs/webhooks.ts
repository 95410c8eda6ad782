// Delivers webhook events from the outbox: once at start (anything left pending by a crash or a
// restart) and then every second. Each pass claims a batch of due deliveries, POSTs them signed,
// in parallel, each with a timeout, and records the outcome: 2xx delivers, anything else retries
// with exponential back-off until the last attempt fails the delivery. Redirects are not followed.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { presentWebhookEvent } from '../api/webhooks/presenter.ts';
import { claimDue, DEFAULT_RETRY, recordAttempt, releaseClaim, type AttemptOutcome, type ClaimedDelivery, type DeliveryStatus, type RetryPolicy } from '../newsroom/webhooks/deliveries.ts';
import { signedHeaders } from '../newsroom/webhooks/signing.ts';
import { pruneWebhookHistory } from '../newsroom/webhooks/history.ts';

const PRUNE_EVERY_MS = 60 * 60_000;

export interface DispatcherOptions {
  /** Public origin of the site, for the URLs in payloads. */
  siteUrl: string;
  /** How often to look for due deliveries. */
  intervalMs: number;
  /** At most this many deliveries in flight per pass. */
  batchSize: number;
  /** How long a receiver has to answer. */
  timeoutMs: number;
  /** How long a claim holds; past it, a delivery whose process died is claimed again. Longer than timeoutMs. */
  leaseMs: number;
  retry: RetryPolicy;
  /** Settled deliveries older than this many days, and events no delivery needs, are deleted (hourly). */
  historyDays: number;
  now: () => Date;
  random: () => number;
  onAttempt: (result: AttemptResult) => void;
  onError: (error: unknown) => void;
}

export interface AttemptResult {
  deliveryId: number;
  eventId: string;
  eventType: string;
  url: string;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  /** What the delivery is now; undefined if the claim was lost to another process meanwhile. */
  status: DeliveryStatus | undefined;
}

export interface Dispatcher {
  /** Runs one pass now; resolves to the attempts made. */
  tick(): Promise<AttemptResult[]>;
  stop(): Promise<void>;
}

export const DISPATCHER_DEFAULTS: Omit<DispatcherOptions, 'siteUrl'> = {
  intervalMs: 1000,
  batchSize: 10,
  timeoutMs: 10_000,
  leaseMs: 60_000,
  retry: DEFAULT_RETRY,
  historyDays: 30,
  now: () => new Date(),
  random: Math.random,
  onAttempt: () => {},
  onError: () => {},
};

const USER_AGENT = 'Dateline-Webhooks/1.0';
/** Enough of a receiver's answer to show in the delivery log. */
const SNIPPET = 300;

/** The reason an attempt failed, in words for the delivery log. */
function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  return error instanceof Error ? error.message : String(error);
}

async function readSnippet(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < SNIPPET) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, SNIPPET).replace(/\s+/g, ' ').trim();
}

const retryAfter = (response: Response): number | undefined => {
  const value = response.headers.get('retry-after');
  return value && /^\d{1,6}$/.test(value) ? Number(value) * 1000 : undefined;
};

/** POSTs one claimed delivery; never throws. */
export async function send(claim: ClaimedDelivery, options: Pick<DispatcherOptions, 'siteUrl' | 'timeoutMs'> & { at: Date; signal?: AbortSignal }): Promise<AttemptOutcome> {
  const body = JSON.stringify(presentWebhookEvent({ siteUrl: options.siteUrl }, claim.event));
  const headers = {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    ...signedHeaders({ secret: claim.secret, body, eventType: claim.event.type, deliveryId: claim.id, at: options.at }),
  };
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  try {
    const response = await fetch(claim.url, { method: 'POST', body, headers, redirect: 'manual', signal: AbortSignal.any(signals) });
    const snippet = await readSnippet(response).catch(() => '');
    if (response.status >= 200 && response.status < 300) return { statusCode: response.status, error: null };
    const location = response.headers.get('location');
    const reason = response.status >= 300 && response.status < 400
      ? `HTTP ${response.status}: redirects are not followed${location ? ` (Location: ${location.slice(0, 200)})` : ''}; subscribe the final URL`
      : `HTTP ${response.status}${snippet ? `: ${snippet}` : ''}`;
    return { statusCode: response.status, error: reason, retryAfterMs: retryAfter(response) };
  } catch (error) {
    return { statusCode: null, error: describe(error, options.timeoutMs) };
  }
}

export function startWebhookDispatcher(db: Kysely<Database>, settings: Partial<DispatcherOptions> & Pick<DispatcherOptions, 'siteUrl'>): Dispatcher {
  const options: DispatcherOptions = { ...DISPATCHER_DEFAULTS, ...settings };
  const shutdown = new AbortController();
  let running: Promise<AttemptResult[]> = Promise.resolve([]);
  let busy = false;
  let stopped = false;
  let prunedAt = -Infinity;

  /** At most once an hour, the delivery log loses what is older than its window. */
  const prune = async () => {
    const now = options.now().getTime();
    if (now - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = now;
    await pruneWebhookHistory(db, new Date(now - options.historyDays * 86_400_000));
  };

  const attempt = async (claim: ClaimedDelivery): Promise<AttemptResult> => {
    const outcome = await send(claim, { ...options, at: options.now(), signal: shutdown.signal });
    let status: DeliveryStatus | undefined;
    if (shutdown.signal.aborted && outcome.statusCode === null) {
      // Interrupted by our own shutdown, not the receiver's fault: due again on the next start.
      await releaseClaim(db, claim, options.now());
      status = 'pending';
    } else {
      status = await recordAttempt(db, claim, outcome, { now: options.now(), retry: options.retry, random: options.random });
    }
    const result: AttemptResult = {
      deliveryId: claim.id,
      eventId: claim.event.id,
      eventType: claim.event.type,
      url: claim.url,
      attempt: claim.attempt,
      statusCode: outcome.statusCode,
      error: outcome.error,
      status,
    };
    options.onAttempt(result);
    return result;
  };

  const pass = async (): Promise<AttemptResult[]> => {
    if (stopped) return [];
    busy = true;
    try {
      const claims = await claimDue(db, { now: options.now(), leaseMs: options.leaseMs, limit: options.batchSize });
      const results = await Promise.all(claims.map(attempt));
      await prune();
      return results;
    } catch (error) {
      options.onError(error);
      return [];
    } finally {
      busy = false;
    }
  };

  const tick = () => {
    running = running.then(pass);
    return running;
  };
  void tick();
  const timer = setInterval(() => {
    // A slow receiver holds a pass for up to the timeout; the timer does not queue passes behind it.
    if (!busy) void tick();
  }, options.intervalMs);
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      shutdown.abort();
      await running;
    },
  };
}
