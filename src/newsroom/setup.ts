// The owner's first login: a one-time link, printed on first run, where they set a password.
import { createHash, randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Queryable } from './db.ts';
import { invalid, NewsroomError } from './errors.ts';
import { iso } from './time.ts';
import { revokeAllSessions } from './auth/sessions.ts';

const TOKEN_HOURS = 72;
export const MIN_PASSWORD_LENGTH = 12;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** Makes a fresh one-time set-up token for a user; only its hash is stored. */
export async function issueSetupToken(db: Queryable, userId: number, now = new Date()): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  await db
    .insertInto('setup_tokens')
    .values({ token_hash: digest(token), user_id: userId, expires_at: iso(new Date(now.getTime() + TOKEN_HOURS * 3600_000)), used_at: null })
    .execute();
  return token;
}

export interface SetupTarget {
  userId: number;
  email: string;
}

/** The user a token may set a password for, or a clear error when it is used up or old. */
export async function checkSetupToken(db: Queryable, token: string, now = new Date()): Promise<SetupTarget> {
  const row = await db
    .selectFrom('setup_tokens')
    .innerJoin('users', 'users.id', 'setup_tokens.user_id')
    .select(['users.id', 'users.email', 'setup_tokens.expires_at', 'setup_tokens.used_at'])
    .where('setup_tokens.token_hash', '=', digest(token))
    .executeTakeFirst();
  if (!row) throw new NewsroomError('not_found', 'This set-up link is not valid. Ask an administrator for a new one.');
  if (row.used_at) throw new NewsroomError('gone', 'This set-up link has been used already. Log in with your password, or ask an administrator for a new link.');
  if (row.expires_at <= iso(now)) throw new NewsroomError('gone', 'This set-up link has expired. Ask an administrator for a new one (dateline user passwd).');
  return { userId: row.id, email: row.email };
}

export function checkPassword(password: string, confirm: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw invalid({ password: `Use at least ${MIN_PASSWORD_LENGTH} characters.` });
  if (password.length > 1024) throw invalid({ password: 'That password is too long.' });
  if (password !== confirm) throw invalid({ confirm: 'The two passwords differ.' });
}

export const hashPassword = (password: string) => hash(password, { algorithm: 2 });

/**
 * Sets the password and spends the token, in the caller's transaction. Used as a reset link it
 * also lifts a lock-out and ends every session of the account.
 */
export async function completeSetup(db: Queryable, token: string, password: string, confirm: string, now = new Date()): Promise<SetupTarget> {
  const target = await checkSetupToken(db, token, now);
  checkPassword(password, confirm);
  await db
    .updateTable('users')
    .set({ password_hash: await hashPassword(password), failed_logins: 0, locked_until: null })
    .where('id', '=', target.userId)
    .execute();
  await revokeAllSessions(db, target.userId);
  await db.updateTable('setup_tokens').set({ used_at: iso(now) }).where('token_hash', '=', digest(token)).execute();
  return target;
}
