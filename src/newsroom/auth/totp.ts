// Optional two-factor login with time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits,
// 30-second steps), as every authenticator app speaks them. Written on node:crypto: the `otpauth`
// package needs @noble/hashes 2, which asks for Node >= 20.19 while Dateline supports 20.9.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db.ts';
import { invalid, NewsroomError, notFound } from '../errors.ts';
import { iso } from '../time.ts';
import { verifyPassword } from './passwords.ts';
import type { Actor } from './types.ts';

const STEP_SECONDS = 30;
const DIGITS = 6;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) throw new Error('not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** A new shared secret: 20 random bytes, base32 as authenticator apps expect. */
export const generateTotpSecret = (): string => base32Encode(randomBytes(20));

/** The code for one time step (RFC 4226 HOTP over the step counter). */
export function totpCode(secret: string, at: Date = new Date(), stepOffset = 0): string {
  const counter = Math.floor(at.getTime() / 1000 / STEP_SECONDS) + stepOffset;
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32Decode(secret)).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** DIGITS;
  return binary.toString().padStart(DIGITS, '0');
}

/**
 * The time step whose code `code` is — this step or the one before or after (clock drift) —
 * or null. Callers that log people in also refuse a step already used (replay).
 */
export function matchTotpStep(secret: string, code: string, at: Date = new Date()): number | null {
  const given = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(given)) return null;
  const current = Math.floor(at.getTime() / 1000 / STEP_SECONDS);
  let matched: number | null = null;
  for (const offset of [-1, 0, 1]) {
    // Every step is checked (no early return) and compared in constant time.
    if (timingSafeEqual(Buffer.from(totpCode(secret, at, offset)), Buffer.from(given))) matched = current + offset;
  }
  return matched;
}

/** True when `code` is the code of this step or of the one before or after (clock drift). */
export function verifyTotp(secret: string, code: string, at: Date = new Date()): boolean {
  return matchTotpStep(secret, code, at) !== null;
}

/** The otpauth:// URI an authenticator app reads (from a QR code or a tapped link). */
export function otpauthUri(issuer: string, account: string, secret: string): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  const params = new URLSearchParams({ secret, issuer, algorithm: 'SHA1', digits: String(DIGITS), period: String(STEP_SECONDS) });
  return `otpauth://totp/${label}?${params.toString()}`;
}

export interface TwoFactorStatus {
  enabled: boolean;
  /** Enrolment started but not confirmed with a code yet. */
  pending: boolean;
}

export async function twoFactorStatus(db: Queryable, userId: number): Promise<TwoFactorStatus> {
  const row = await db.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('id', '=', userId).executeTakeFirst();
  if (!row) throw notFound('The account');
  return { enabled: row.totp_enabled_at !== null, pending: row.totp_enabled_at === null && row.totp_secret !== null };
}

/**
 * Starts enrolment: a fresh secret is stored (not yet in force) and returned with its otpauth
 * URI for the user's app. Two-factor login starts only once a code confirms it.
 */
export async function enrollTotp(db: Queryable, actor: Actor, issuer: string): Promise<{ secret: string; uri: string }> {
  const status = await twoFactorStatus(db, actor.userId);
  if (status.enabled) throw new NewsroomError('conflict', 'Two-factor login is on already. Turn it off first to use a new device.');
  const secret = generateTotpSecret();
  await db.updateTable('users').set({ totp_secret: secret }).where('id', '=', actor.userId).execute();
  return { secret, uri: otpauthUri(issuer, actor.email, secret) };
}

/** The secret of an unconfirmed enrolment (to show it again after a wrong code). */
export async function pendingTotp(db: Queryable, actor: Actor, issuer: string): Promise<{ secret: string; uri: string } | undefined> {
  const row = await db.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('id', '=', actor.userId).executeTakeFirst();
  if (!row?.totp_secret || row.totp_enabled_at) return undefined;
  return { secret: row.totp_secret, uri: otpauthUri(issuer, actor.email, row.totp_secret) };
}

/** Confirms enrolment with a code from the app; from now on login asks for a code. */
export async function confirmTotp(db: Queryable, actor: Actor, code: string, now = new Date()): Promise<void> {
  const row = await db.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('id', '=', actor.userId).executeTakeFirst();
  if (!row) throw notFound('The account');
  if (row.totp_enabled_at) throw new NewsroomError('conflict', 'Two-factor login is on already.');
  if (!row.totp_secret) throw invalid({ code: 'Start the set-up first.' });
  if (!verifyTotp(row.totp_secret, code, now)) throw invalid({ code: 'That code is not right. Check the time on your device and try the newest code.' });
  await db.updateTable('users').set({ totp_enabled_at: iso(now) }).where('id', '=', actor.userId).execute();
}

/** Turns two-factor login off; the current password confirms it is really the user. */
export async function disableTotp(db: Queryable, actor: Actor, password: string): Promise<void> {
  const row = await db.selectFrom('users').select(['password_hash']).where('id', '=', actor.userId).executeTakeFirst();
  if (!row) throw notFound('The account');
  if (!(await verifyPassword(row.password_hash, password))) throw invalid({ password: 'That is not your current password.' });
  await db.updateTable('users').set({ totp_secret: null, totp_enabled_at: null }).where('id', '=', actor.userId).execute();
}

/** An administrator turns two-factor login off for someone who lost their device. */
export async function resetTotp(db: Queryable, actor: Actor, userId: number): Promise<void> {
  if (actor.role !== 'admin') throw new NewsroomError('forbidden', 'Only an administrator can turn off two-factor login for someone else.');
  const result = await db.updateTable('users').set({ totp_secret: null, totp_enabled_at: null }).where('id', '=', userId).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('The account');
}
