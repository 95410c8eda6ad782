// Signatures of webhook payloads, in the manner of Stripe's: the receiver recomputes
//   HMAC-SHA256(secret, `${timestamp}.${body}`)
// over the raw body it received and compares it, in constant time, with the hex digest in
// `X-Dateline-Signature: sha256=<hex>`; the timestamp (Unix seconds, `X-Dateline-Timestamp`) is
// signed too, so a captured request cannot be replayed once it is older than the tolerance.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-dateline-signature';
export const TIMESTAMP_HEADER = 'x-dateline-timestamp';
export const EVENT_HEADER = 'x-dateline-event';
export const DELIVERY_HEADER = 'x-dateline-delivery';

/** How old a signed timestamp may be (either way, for clock skew) before verification refuses it. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** "sha256=<hex>" for a body sent at `timestamp` (Unix seconds). */
export function sign(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The headers a delivery carries, besides content-type. */
export function signedHeaders(input: { secret: string; body: string; eventType: string; deliveryId: number; at: Date }): Record<string, string> {
  const timestamp = Math.floor(input.at.getTime() / 1000);
  return {
    'X-Dateline-Signature': sign(input.secret, timestamp, input.body),
    'X-Dateline-Timestamp': String(timestamp),
    'X-Dateline-Event': input.eventType,
    'X-Dateline-Delivery': String(input.deliveryId),
  };
}

export interface VerifyInput {
  secret: string;
  /** The raw request body exactly as received (not re-serialized JSON). */
  body: string | Buffer;
  /** The X-Dateline-Timestamp header. */
  timestamp: string | undefined;
  /** The X-Dateline-Signature header. */
  signature: string | undefined;
  toleranceSeconds?: number;
  now?: Date;
}

/**
 * Whether a request really comes from Dateline with this secret: the signature matches the
 * timestamp and body, and the timestamp is within the tolerance of now.
 */
export function verifySignature({ secret, body, timestamp, signature, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now = new Date() }: VerifyInput): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const match = /^sha256=([0-9a-f]{64})$/.exec(signature.trim());
  if (!match) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
  const given = Buffer.from(match[1] as string, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
