// Login accounts. The full account rules (sessions, invitations, two-factor) build on this.
import type { Queryable } from './db.ts';
import { invalid } from './errors.ts';
import { iso } from './time.ts';
import type { UsersTable } from '../db/schema.ts';

export const ROLES = ['contributor', 'desk_editor', 'managing_editor', 'admin'] as const;
export type Role = UsersTable['role'];

export interface User {
  id: number;
  email: string;
  role: Role;
  personId: number | null;
  hasPassword: boolean;
  createdAt: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function normaliseEmail(email: string): string {
  const clean = email.trim().toLowerCase();
  if (!EMAIL.test(clean) || clean.length > 254) throw invalid({ email: `"${email}" is not an email address.` });
  return clean;
}

export async function createUser(db: Queryable, input: { email: string; role: string; personId?: number | null }, now = new Date()): Promise<User> {
  const email = normaliseEmail(input.email);
  if (!(ROLES as readonly string[]).includes(input.role)) throw invalid({ role: `The role must be one of ${ROLES.join(', ')}.` });
  const existing = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) throw invalid({ email: `A user with the email ${email} exists already.` });
  const row = await db
    .insertInto('users')
    .values({ email, role: input.role as Role, person_id: input.personId ?? null, password_hash: null, created_at: iso(now) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { id: row.id, email: row.email, role: row.role, personId: row.person_id, hasPassword: false, createdAt: row.created_at };
}

export async function findUserByEmail(db: Queryable, email: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  return row && { id: row.id, email: row.email, role: row.role, personId: row.person_id, hasPassword: row.password_hash !== null, createdAt: row.created_at };
}

export async function listUsers(db: Queryable): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('email').execute();
  return rows.map((row) => ({ id: row.id, email: row.email, role: row.role, personId: row.person_id, hasPassword: row.password_hash !== null, createdAt: row.created_at }));
}
