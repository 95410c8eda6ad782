// Secrets the app makes for itself on first run and keeps in the database, so several
// instances share them with no set-up. COOKIE_SECRET in the environment wins when set.
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db.ts';
import { readSetting } from './repository.ts';

export async function cookieSecret(db: Queryable): Promise<string> {
  const fromEnv = process.env.COOKIE_SECRET;
  if (fromEnv && fromEnv.length >= 32) return fromEnv;
  const existing = await readSetting(db, 'cookie_secret');
  if (existing) return existing;
  const fresh = randomBytes(32).toString('base64url');
  // Two instances starting at once: the first write wins and both read it back.
  await db.insertInto('settings').values({ key: 'cookie_secret', value: fresh }).onConflict((oc) => oc.column('key').doNothing()).execute();
  return (await readSetting(db, 'cookie_secret')) ?? fresh;
}
