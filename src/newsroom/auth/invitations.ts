// Invitations: an administrator makes an account without a password and gets a one-time link
// (valid 72 hours) to send; the invited person sets their password there (/setup/{token}).
import type { Queryable } from '../db.ts';
import { NewsroomError } from '../errors.ts';
import { issueSetupToken } from '../setup.ts';
import { createUser, type User } from '../users.ts';
import { isAdmin, type Actor } from './types.ts';

export interface Invitation {
  user: User;
  /** The absolute link for the administrator to send. Shown once; only its hash is stored. */
  link: string;
}

export async function inviteUser(
  db: Queryable,
  actor: Actor,
  input: { email: string; role: string; personId?: number | null; displayName?: string },
  siteUrl: string,
  now = new Date(),
): Promise<Invitation> {
  if (!isAdmin(actor)) throw new NewsroomError('forbidden', 'Only an administrator can invite people.');
  const user = await createUser(db, { email: input.email, role: input.role, personId: input.personId ?? null }, now);
  const displayName = input.displayName?.trim();
  if (displayName) await db.updateTable('users').set({ display_name: displayName.slice(0, 200) }).where('id', '=', user.id).execute();
  const token = await issueSetupToken(db, user.id, now);
  return { user, link: `${siteUrl}/setup/${token}` };
}
