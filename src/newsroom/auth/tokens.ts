// API tokens for scripts: "dl_" and 43 random characters, shown once when made; only the
// SHA-256 is stored. A token acts as its user, with the user's role, until revoked.
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db.ts';
import { invalid, NewsroomError, notFound } from '../errors.ts';
import { iso } from '../time.ts';
import { sha256 } from './sessions.ts';
import { isAdmin, type Actor } from './types.ts';

export const TOKEN_PREFIX = 'dl_';
/** last_used_at is written at most this often per token. */
const USED_EVERY_MS = 60_000;

export interface ApiToken {
  id: number;
  userId: number;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface ApiTokenWithOwner extends ApiToken {
  email: string;
}

type Row = { id: number; user_id: number; name: string; created_at: string; last_used_at: string | null; revoked_at: string | null };
const toToken = (row: Row): ApiToken => ({ id: row.id, userId: row.user_id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at });

export function checkTokenName(name: string): string {
  const clean = name.trim();
  if (clean === '') throw invalid({ name: 'Give the token a name that says where it is used, e.g. "import script".' });
  if (clean.length > 100) throw invalid({ name: 'Use at most 100 characters for the name.' });
  return clean;
}

/** Makes a token for `userId`; the secret is in the answer and nowhere else, ever. */
export async function createApiToken(db: Queryable, userId: number, name: string, now = new Date()): Promise<{ token: ApiToken; secret: string }> {
  const clean = checkTokenName(name);
  const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const row = await db
    .insertInto('api_tokens')
    .values({ user_id: userId, name: clean, token_hash: sha256(secret), created_at: iso(now), last_used_at: null, revoked_at: null })
    .returning(['id', 'user_id', 'name', 'created_at', 'last_used_at', 'revoked_at'])
    .executeTakeFirstOrThrow();
  return { token: toToken(row), secret };
}

/** One user's tokens, newest first, revoked ones included (marked). */
export async function listApiTokens(db: Queryable, userId: number): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'name', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toToken);
}

/** Every token with its owner's email (for operators). */
export async function listAllApiTokens(db: Queryable): Promise<ApiTokenWithOwner[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id', 'api_tokens.user_id', 'api_tokens.name', 'api_tokens.created_at', 'api_tokens.last_used_at', 'api_tokens.revoked_at', 'users.email'])
    .orderBy('api_tokens.id', 'desc')
    .execute();
  return rows.map((row) => ({ ...toToken(row), email: row.email }));
}

/**
 * Revokes a token. A user may revoke their own, an administrator anyone's; `'operator'` is the
 * person at the server's command line. Revoking twice is harmless.
 */
export async function revokeApiToken(db: Queryable, by: Actor | 'operator', tokenId: number, now = new Date()): Promise<ApiToken> {
  const row = await db.selectFrom('api_tokens').select(['id', 'user_id', 'name', 'created_at', 'last_used_at', 'revoked_at']).where('id', '=', tokenId).executeTakeFirst();
  // Someone else's token answers "not found" too: its existence is not theirs to learn.
  if (!row || (by !== 'operator' && row.user_id !== by.userId && !isAdmin(by))) throw notFound('The API token');
  if (row.revoked_at) return toToken(row);
  await db.updateTable('api_tokens').set({ revoked_at: iso(now) }).where('id', '=', tokenId).execute();
  return toToken({ ...row, revoked_at: iso(now) });
}

/** The actor a bearer secret stands for, or undefined (unknown, revoked, or its user disabled). */
export async function authenticateApiToken(db: Queryable, secret: string, now = new Date()): Promise<{ actor: Actor; tokenId: number } | undefined> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return undefined;
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id', 'api_tokens.last_used_at', 'api_tokens.revoked_at', 'users.id as user_id', 'users.email', 'users.role', 'users.person_id', 'users.disabled_at'])
    .where('api_tokens.token_hash', '=', sha256(secret))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.disabled_at) return undefined;
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= USED_EVERY_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: iso(now) }).where('id', '=', row.id).execute();
  }
  return { actor: { userId: row.user_id, email: row.email, role: row.role, personId: row.person_id }, tokenId: row.id };
}

/** Throws unless the actor may make tokens for `userId` (themselves; an administrator for anyone). */
export function assertMayCreateTokenFor(actor: Actor, userId: number): void {
  if (actor.userId !== userId && !isAdmin(actor)) throw new NewsroomError('forbidden', 'You can only make API tokens for yourself.');
}
