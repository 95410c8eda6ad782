// Who may administer the newsroom and who may read the readers' messages: the rules of this
// module in one place, built on the workflow policy (canAdminister, hasEditorialAuthority).
import type { Queryable } from '../db.ts';
import { NewsroomError } from '../errors.ts';
import type { Actor } from '../auth/types.ts';
import { canAdminister, hasEditorialAuthority } from '../workflow/policy.ts';

/** Largest id both dialects store in an integer column; a bigger one cannot name a row. */
export const MAX_ID = 2_147_483_647;

/** Throws 'forbidden' unless the actor is an administrator; `doing` completes "Only an administrator can …". */
export function assertAdmin(actor: Actor, doing: string): void {
  if (!canAdminister(actor)) throw new NewsroomError('forbidden', `Only an administrator can ${doing}.`);
}

/** Desk editors, managing editors and administrators have an inbox; contributors do not. */
export const canOpenInbox = (actor: Actor): boolean => actor.role === 'desk_editor' || actor.role === 'managing_editor' || actor.role === 'admin';

export function assertInbox(actor: Actor): void {
  if (!canOpenInbox(actor)) {
    throw new NewsroomError('forbidden', "Readers' messages go to the editors of each desk; a contributor's account has no inbox.");
  }
}

/** Whether the actor may read and mark a message sent to a desk. */
export const mayHandleMessage = (actor: Actor, editsDesk: boolean): boolean => canOpenInbox(actor) && hasEditorialAuthority(actor, { editsDesk });

/** The desks whose messages the actor reads: every desk for managing editors and administrators. */
export async function inboxDeskIds(db: Queryable, actor: Actor): Promise<number[] | 'all'> {
  if (hasEditorialAuthority(actor, { editsDesk: false })) return 'all';
  if (actor.role !== 'desk_editor' || actor.personId === null) return [];
  const rows = await db.selectFrom('desk_editors').select('desk_id').where('person_id', '=', actor.personId).execute();
  return rows.map((r) => r.desk_id);
}
