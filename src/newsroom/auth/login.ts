// Signing in: email and password, then a code when two-factor login is on. Failures are
// counted per account; five in a row lock it for fifteen minutes. The outcome is returned, not
// thrown, so the failure count it writes survives a caller's transaction.
import type { Queryable } from '../db.ts';
import { NewsroomError } from '../errors.ts';
import { iso } from '../time.ts';
import { verifyPassword } from './passwords.ts';
import { matchTotpStep } from './totp.ts';
import type { Actor } from './types.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

export type LoginOutcome =
  | { kind: 'signed_in'; actor: Actor }
  /** The password was right; a code from the user's authenticator app must follow. */
  | { kind: 'second_factor'; userId: number }
  | { kind: 'refused'; error: NewsroomError };

const WRONG = 'The email or password is not right.';
const WRONG_CODE = 'That code is not right. Use the newest code your authenticator app shows.';
const DISABLED = 'This account has been disabled. Ask an administrator if you need it back.';

function lockedError(lockedUntil: string, now: Date): NewsroomError {
  const minutes = Math.max(1, Math.ceil((Date.parse(lockedUntil) - now.getTime()) / 60_000));
  return new NewsroomError(
    'rate_limited',
    `This account is locked after ${MAX_FAILED_LOGINS} failed logins in a row. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an administrator to reset your password.`,
  );
}

interface LoginRow {
  id: number;
  email: string;
  role: Actor['role'];
  person_id: number | null;
  password_hash: string | null;
  locked_until: string | null;
  disabled_at: string | null;
  totp_secret: string | null;
  totp_enabled_at: string | null;
}

const loginColumns = ['id', 'email', 'role', 'person_id', 'password_hash', 'locked_until', 'disabled_at', 'totp_secret', 'totp_enabled_at'] as const;

const isLocked = (row: LoginRow, now: Date) => row.locked_until !== null && row.locked_until > iso(now);

/** Counts a failure; the one that reaches the limit locks the account and says so. */
async function recordFailure(db: Queryable, row: LoginRow, message: string, now: Date): Promise<LoginOutcome> {
  const counted = await db
    .updateTable('users')
    .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
    .where('id', '=', row.id)
    .returning('failed_logins')
    .executeTakeFirst();
  if (counted && counted.failed_logins >= MAX_FAILED_LOGINS) {
    const lockedUntil = iso(new Date(now.getTime() + LOCK_MINUTES * 60_000));
    await db.updateTable('users').set({ failed_logins: 0, locked_until: lockedUntil }).where('id', '=', row.id).execute();
    return { kind: 'refused', error: lockedError(lockedUntil, now) };
  }
  return { kind: 'refused', error: new NewsroomError('unauthenticated', message) };
}

async function succeed(db: Queryable, row: LoginRow): Promise<LoginOutcome> {
  await db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', row.id).execute();
  return { kind: 'signed_in', actor: { userId: row.id, email: row.email, role: row.role, personId: row.person_id } };
}

/** The first step: email and password. */
export async function attemptLogin(db: Queryable, input: { email: string; password: string }, now = new Date()): Promise<LoginOutcome> {
  const email = input.email.trim().toLowerCase();
  const row: LoginRow | undefined = email.length > 254 ? undefined : await db.selectFrom('users').select(loginColumns).where('email', '=', email).executeTakeFirst();
  if (!row) {
    await verifyPassword(null, input.password); // the same work as for a real account
    return { kind: 'refused', error: new NewsroomError('unauthenticated', WRONG) };
  }
  if (isLocked(row, now)) {
    await verifyPassword(null, input.password);
    return { kind: 'refused', error: lockedError(row.locked_until!, now) };
  }
  if (!(await verifyPassword(row.password_hash, input.password))) return recordFailure(db, row, WRONG, now);
  // Only someone who knows the password learns that the account is disabled.
  if (row.disabled_at) return { kind: 'refused', error: new NewsroomError('forbidden', DISABLED) };
  if (row.totp_enabled_at && row.totp_secret) return { kind: 'second_factor', userId: row.id };
  return succeed(db, row);
}

/** The second step, for accounts with two-factor login: a code from the authenticator app. */
export async function attemptSecondFactor(db: Queryable, input: { userId: number; code: string }, now = new Date()): Promise<LoginOutcome> {
  const row: LoginRow | undefined = await db.selectFrom('users').select(loginColumns).where('id', '=', input.userId).executeTakeFirst();
  if (!row || !row.totp_enabled_at || !row.totp_secret) return { kind: 'refused', error: new NewsroomError('unauthenticated', 'Please log in again.') };
  if (isLocked(row, now)) return { kind: 'refused', error: lockedError(row.locked_until!, now) };
  if (row.disabled_at) return { kind: 'refused', error: new NewsroomError('forbidden', DISABLED) };
  const step = matchTotpStep(row.totp_secret, input.code, now);
  if (step === null) return recordFailure(db, row, WRONG_CODE, now);
  // Spend the step: a code seen once (over a shoulder, in a log) cannot be used again.
  const spent = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', row.id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  if (Number(spent.numUpdatedRows) === 0) return recordFailure(db, row, WRONG_CODE, now);
  return succeed(db, row);
}
