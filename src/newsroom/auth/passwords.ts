// Passwords: argon2id hashes, verification that costs the same for unknown accounts, and the
// change / reset commands. A new password always ends every other session.
import { verify } from '@node-rs/argon2';
import type { Queryable } from '../db.ts';
import { invalid, NewsroomError, notFound } from '../errors.ts';
import { checkPassword, hashPassword, issueSetupToken } from '../setup.ts';
import { iso } from '../time.ts';
import { revokeAllSessions } from './sessions.ts';
import { isAdmin, type Actor } from './types.ts';

export { checkPassword, hashPassword };

let dummy: Promise<string> | undefined;

/**
 * True when `password` matches `hash`. Without a hash (unknown email, no password yet) it still
 * runs one argon2 verification against a throwaway hash, so the answer takes as long either way.
 */
export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  if (password.length > 1024) return false;
  if (!hash) {
    dummy ??= hashPassword('dateline: no account has this password');
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * The signed-in user changes their own password: the current one, then the new one twice.
 * Every session but `keepSessionId` (the one making the change) ends.
 */
export async function changePassword(
  db: Queryable,
  actor: Actor,
  input: { current: string; password: string; confirm: string; keepSessionId?: string },
): Promise<void> {
  const row = await db.selectFrom('users').select(['password_hash']).where('id', '=', actor.userId).executeTakeFirst();
  if (!row) throw notFound('The account');
  if (!(await verifyPassword(row.password_hash, input.current))) throw invalid({ current: 'That is not your current password.' });
  checkPassword(input.password, input.confirm);
  if (input.password === input.current) throw invalid({ password: 'The new password is the same as the current one.' });
  await db.updateTable('users').set({ password_hash: await hashPassword(input.password), failed_logins: 0, locked_until: null }).where('id', '=', actor.userId).execute();
  await revokeAllSessions(db, actor.userId, { except: input.keepSessionId });
}

/**
 * An administrator resets someone's password: the old password stops working at once, their
 * sessions end, a lock-out is lifted, and a one-time link (valid 72 hours) is returned for the
 * administrator to send. The same link sets the new password (/setup/{token}).
 */
export async function resetPassword(db: Queryable, actor: Actor, userId: number, now = new Date()): Promise<{ email: string; token: string }> {
  if (!isAdmin(actor)) throw new NewsroomError('forbidden', 'Only an administrator can reset a password.');
  const user = await db.selectFrom('users').select(['id', 'email']).where('id', '=', userId).executeTakeFirst();
  if (!user) throw notFound('The account');
  await db.updateTable('users').set({ password_hash: null, failed_logins: 0, locked_until: null }).where('id', '=', userId).execute();
  await revokeAllSessions(db, userId);
  return { email: user.email, token: await issueSetupToken(db, userId, now) };
}

/** An administrator lifts a lock-out before it runs out. */
export async function unlockAccount(db: Queryable, actor: Actor, userId: number): Promise<void> {
  if (!isAdmin(actor)) throw new NewsroomError('forbidden', 'Only an administrator can unlock an account.');
  const result = await db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', userId).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('The account');
}

/** An administrator disables (or re-enables) an account; disabling ends its sessions and API tokens. */
export async function setAccountDisabled(db: Queryable, actor: Actor, userId: number, disabled: boolean, now = new Date()): Promise<void> {
  if (!isAdmin(actor)) throw new NewsroomError('forbidden', 'Only an administrator can disable an account.');
  if (disabled && userId === actor.userId) throw invalid({ user: 'You cannot disable your own account.' });
  const result = await db.updateTable('users').set({ disabled_at: disabled ? iso(now) : null }).where('id', '=', userId).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('The account');
  if (disabled) {
    await revokeAllSessions(db, userId);
    await db.updateTable('api_tokens').set({ revoked_at: iso(now) }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
  }
}

/**
 * The operator sets someone's password (`dateline user passwd`): the rules of every password,
 * a lock-out lifted, and every session of theirs ended.
 */
export async function setPassword(db: Queryable, userId: number, password: string, confirm: string = password): Promise<void> {
  checkPassword(password, confirm);
  const result = await db.updateTable('users').set({ password_hash: await hashPassword(password), failed_logins: 0, locked_until: null }).where('id', '=', userId).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('The account');
  await revokeAllSessions(db, userId);
}
