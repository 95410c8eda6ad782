// Signatures: a receiver with the secret verifies a payload; a wrong secret, a changed body or
// timestamp, a stale timestamp or a malformed header does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { sign, signedHeaders, verifySignature } from '../../src/newsroom/webhooks/signing.ts';
import { backoffMs, DEFAULT_RETRY } from '../../src/newsroom/webhooks/deliveries.ts';

const secret = 'whsec_test-secret-of-enough-length';
const at = new Date('2026-11-28T09:00:00.000Z');
const body = JSON.stringify({ id: 'evt_1', type: 'article.published', data: { article: { headline: 'Schöne Grüße' } } });

test('the signature is the hex HMAC-SHA256 of "timestamp.body" under the secret', () => {
  const headers = signedHeaders({ secret, body, eventType: 'article.published', deliveryId: 7, at });
  const timestamp = String(at.getTime() / 1000);
  assert.equal(headers['X-Dateline-Timestamp'], timestamp);
  assert.equal(headers['X-Dateline-Event'], 'article.published');
  assert.equal(headers['X-Dateline-Delivery'], '7');
  // Computed independently of sign(), as a receiver in any language would.
  assert.equal(headers['X-Dateline-Signature'], `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`);
});

test('verifies with the right secret, from a string or the raw bytes', () => {
  const timestamp = String(at.getTime() / 1000);
  const signature = sign(secret, Number(timestamp), body);
  assert.equal(verifySignature({ secret, body, timestamp, signature, now: at }), true);
  assert.equal(verifySignature({ secret, body: Buffer.from(body, 'utf8'), timestamp, signature, now: new Date(at.getTime() + 299_000) }), true);
});

test('fails with a wrong secret, a tampered body or timestamp, a stale time, or a malformed header', () => {
  const timestamp = String(at.getTime() / 1000);
  const signature = sign(secret, Number(timestamp), body);
  assert.equal(verifySignature({ secret: `${secret}x`, body, timestamp, signature, now: at }), false, 'wrong secret');
  assert.equal(verifySignature({ secret, body: body.replace('Grüße', 'Grüsse'), timestamp, signature, now: at }), false, 'tampered body');
  assert.equal(verifySignature({ secret, body: `${body} `, timestamp, signature, now: at }), false, 'a byte added');
  assert.equal(verifySignature({ secret, body, timestamp: String(Number(timestamp) + 1), signature, now: at }), false, 'tampered timestamp');
  assert.equal(verifySignature({ secret, body, timestamp, signature, now: new Date(at.getTime() + 301_000) }), false, 'replayed after the tolerance');
  assert.equal(verifySignature({ secret, body, timestamp, signature, now: new Date(at.getTime() + 3_600_000), toleranceSeconds: 7200 }), true, 'a wider tolerance');
  assert.equal(verifySignature({ secret, body, timestamp, signature: signature.replace('sha256=', ''), now: at }), false, 'no scheme');
  assert.equal(verifySignature({ secret, body, timestamp, signature: signature.slice(0, -2), now: at }), false, 'short');
  assert.equal(verifySignature({ secret, body, timestamp, signature: signature.toUpperCase(), now: at }), false, 'not lower-case hex');
  assert.equal(verifySignature({ secret, body, timestamp: undefined, signature, now: at }), false, 'no timestamp');
  assert.equal(verifySignature({ secret, body, timestamp, signature: undefined, now: at }), false, 'no signature');
  assert.equal(verifySignature({ secret, body, timestamp: 'soon', signature, now: at }), false, 'timestamp not a number');
});

test('back-off doubles from 30 s, with jitter, up to the cap', () => {
  const middle = () => 0.5;
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((n) => backoffMs(n, DEFAULT_RETRY, middle) / 1000), [30, 60, 120, 240, 480, 960, 1920]);
  assert.equal(backoffMs(20, DEFAULT_RETRY, middle), DEFAULT_RETRY.capMs);
  assert.equal(backoffMs(1, DEFAULT_RETRY, () => 0), 24_000, 'at most 20 % sooner');
  assert.equal(backoffMs(1, DEFAULT_RETRY, () => 1), 36_000, 'at most 20 % later');
});
