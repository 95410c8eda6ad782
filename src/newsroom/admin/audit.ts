// Administrators' actions go into the same audit log as the workflow's, without a story:
// who invited, reset, disabled or changed what, and when.
import type { Queryable } from '../db.ts';
import type { Actor } from '../auth/types.ts';
import { iso } from '../time.ts';

export type AdminAction =
  | 'user.invite'
  | 'user.reset_password'
  | 'user.unlock'
  | 'user.disable'
  | 'user.enable'
  | 'user.reset_two_factor'
  | 'desk.create'
  | 'desk.update'
  | 'desk.editors'
  | 'person.create'
  | 'person.update'
  | 'settings.update';

export async function writeAdminAudit(db: Queryable, actor: Actor, action: AdminAction, note: string, now: Date): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ article_id: null, user_id: actor.userId, action, from_status: null, to_status: null, note: note.slice(0, 1000), at: iso(now) })
    .execute();
}
