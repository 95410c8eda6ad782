// What `dateline serve` does on a database that has never been used: an owner account that
// sets its password through a one-time link, and (unless switched off) the demo newsroom.
import type { Queryable } from './db.ts';
import { issueSetupToken } from './setup.ts';
import { iso } from './time.ts';
import { isEmptyNewsroom, seedDemo } from './demo/seed.ts';

export interface FirstRun {
  /** A set-up token for the owner while the owner has no password yet. */
  ownerToken?: string;
  ownerEmail?: string;
  seeded?: { desks: number; people: number; stories: number };
}

export async function prepareFirstRun(db: Queryable, options: { demo: boolean; ownerEmail: string; now?: Date }): Promise<FirstRun> {
  const now = options.now ?? new Date();
  const result: FirstRun = {};
  if (options.demo && (await isEmptyNewsroom(db))) result.seeded = await seedDemo(db, now);
  let owner = await db.selectFrom('users').select(['id', 'email', 'password_hash']).where('role', '=', 'admin').orderBy('id').limit(1).executeTakeFirst();
  if (!owner) {
    const anyUser = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (anyUser) return result;
    owner = await db
      .insertInto('users')
      .values({ email: options.ownerEmail, role: 'admin', person_id: null, password_hash: null, created_at: iso(now) })
      .returning(['id', 'email', 'password_hash'])
      .executeTakeFirstOrThrow();
  }
  if (!owner.password_hash) {
    result.ownerToken = await issueSetupToken(db, owner.id, now);
    result.ownerEmail = owner.email;
  }
  return result;
}
