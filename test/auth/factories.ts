// Factories for the account tests (no shared fixtures): users with a known password.
import type { Queryable } from '../../src/newsroom/db.ts';
import { hashPassword } from '../../src/newsroom/setup.ts';
import type { Actor } from '../../src/newsroom/auth/types.ts';
import type { Role } from '../../src/newsroom/users.ts';

export const PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;

/** A user with a password (PASSWORD unless given; null for none). */
export async function makeUser(db: Queryable, input: { email: string; role?: Role; password?: string | null }): Promise<Actor & { id: number }> {
  let hash: string | null = null;
  if (input.password === undefined) hash = await (passwordHash ??= hashPassword(PASSWORD));
  else if (input.password !== null) hash = await hashPassword(input.password);
  const row = await db
    .insertInto('users')
    .values({ email: input.email.toLowerCase(), role: input.role ?? 'contributor', person_id: null, password_hash: hash, created_at: new Date().toISOString() })
    .returning(['id', 'email', 'role', 'person_id'])
    .executeTakeFirstOrThrow();
  return { id: row.id, userId: row.id, email: row.email, role: row.role, personId: row.person_id };
}
