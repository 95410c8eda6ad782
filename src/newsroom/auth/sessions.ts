// Browser sessions. The cookie holds a random token; the database holds only its SHA-256, so a
// leaked table logs nobody in. Expiry slides: a session used within 14 days stays alive.
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db.ts';
import { iso } from '../time.ts';
import type { Actor } from './types.ts';

export const SESSION_DAYS = 14;
const SESSION_MS = SESSION_DAYS * 24 * 3600_000;
/** A session's expiry moves forward at most this often, so reading pages does not write every time. */
const TOUCH_EVERY_MS = 60_000;

export const sha256 = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export interface Session {
  /** The stored hash of the token: safe to show, log or compare; never the token itself. */
  id: string;
  userId: number;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
  userAgent: string;
}

export interface ResolvedSession {
  session: Session;
  actor: Actor;
  /** True when this lookup moved the expiry forward (the cookie may be renewed too). */
  renewed: boolean;
}

/** Starts a session; the returned token goes into the cookie and nowhere else. */
export async function createSession(db: Queryable, userId: number, options: { userAgent?: string; now?: Date } = {}): Promise<{ token: string; session: Session }> {
  const now = options.now ?? new Date();
  const token = randomBytes(32).toString('base64url');
  const row = {
    token_hash: sha256(token),
    user_id: userId,
    created_at: iso(now),
    expires_at: iso(new Date(now.getTime() + SESSION_MS)),
    last_seen_at: iso(now),
    user_agent: (options.userAgent ?? '').slice(0, 300),
  };
  await db.insertInto('sessions').values(row).execute();
  return { token, session: toSession(row) };
}

/**
 * The live session and its user for a cookie's token, or undefined when the token is unknown,
 * expired, or its account is disabled. Slides the expiry forward.
 */
export async function lookupSession(db: Queryable, token: string, now = new Date()): Promise<ResolvedSession | undefined> {
  if (!token || token.length > 200) return undefined;
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.token_hash',
      'sessions.user_id',
      'sessions.created_at',
      'sessions.expires_at',
      'sessions.last_seen_at',
      'sessions.user_agent',
      'users.email',
      'users.role',
      'users.person_id',
      'users.disabled_at',
    ])
    .where('sessions.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.expires_at <= iso(now)) {
    await db.deleteFrom('sessions').where('token_hash', '=', row.token_hash).execute();
    return undefined;
  }
  if (row.disabled_at) return undefined;
  const session = toSession(row);
  const renewed = now.getTime() - Date.parse(row.last_seen_at) >= TOUCH_EVERY_MS;
  if (renewed) Object.assign(session, await touchSession(db, row.token_hash, now));
  return { session, actor: { userId: row.user_id, email: row.email, role: row.role, personId: row.person_id }, renewed };
}

/** Marks a session as used now and moves its expiry to 14 days from now. */
export async function touchSession(db: Queryable, sessionId: string, now = new Date()): Promise<{ lastSeenAt: string; expiresAt: string }> {
  const times = { lastSeenAt: iso(now), expiresAt: iso(new Date(now.getTime() + SESSION_MS)) };
  await db.updateTable('sessions').set({ last_seen_at: times.lastSeenAt, expires_at: times.expiresAt }).where('token_hash', '=', sessionId).execute();
  return times;
}

/** Ends one session (log out), by its id (the stored hash). */
export async function revokeSession(db: Queryable, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', sessionId).execute();
}

/** Ends every session of a user (password changed or reset, account disabled), but `except`. */
export async function revokeAllSessions(db: Queryable, userId: number, options: { except?: string } = {}): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (options.except) query = query.where('token_hash', '!=', options.except);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function listSessions(db: Queryable, userId: number, now = new Date()): Promise<Session[]> {
  const rows = await db.selectFrom('sessions').selectAll().where('user_id', '=', userId).where('expires_at', '>', iso(now)).orderBy('last_seen_at', 'desc').execute();
  return rows.map(toSession);
}

/** Housekeeping: removes sessions past their expiry. */
export async function deleteExpiredSessions(db: Queryable, now = new Date()): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', iso(now)).executeTakeFirst();
  return Number(result.numDeletedRows);
}

function toSession(row: { token_hash: string; user_id: number; created_at: string; expires_at: string; last_seen_at: string; user_agent: string }): Session {
  return { id: row.token_hash, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at, lastSeenAt: row.last_seen_at, userAgent: row.user_agent };
}
