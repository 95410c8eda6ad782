// Reading one account for its owner's pages and for /api/newsroom/v1/me.
import type { Queryable } from '../db.ts';
import { notFound } from '../errors.ts';
import type { Account } from './types.ts';

export async function loadAccount(db: Queryable, userId: number): Promise<Account> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'email', 'role', 'person_id', 'display_name', 'created_at', 'totp_enabled_at', 'disabled_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!row) throw notFound('The account');
  return {
    userId: row.id,
    email: row.email,
    role: row.role,
    personId: row.person_id,
    displayName: row.display_name,
    createdAt: row.created_at,
    twoFactorEnabled: row.totp_enabled_at !== null,
    disabled: row.disabled_at !== null,
  };
}
