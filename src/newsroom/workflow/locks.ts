// Soft locks: who has a story open. Nobody is blocked; a second editor sees who is working on
// it and may take over, and the edit conflict check still guards every save.
import type { Queryable } from '../db.ts';
import { iso } from '../time.ts';
import type { Actor } from './policy.ts';
import { loadStoryFor } from './queries.ts';

/** An open editor that has not sent a heartbeat for this long no longer holds the story. */
export const LOCK_STALE_MS = 2 * 60_000;

export interface LockState {
  /** True when the actor now holds the lock. */
  mine: boolean;
  heldBy: { userId: number; email: string; since: string } | null;
}

/** Opens (or keeps open) a story; with `takeover`, takes it from whoever has it. */
export async function openStory(db: Queryable, actor: Actor, articleId: number, options: { takeover?: boolean } = {}, now = new Date()): Promise<LockState> {
  await loadStoryFor(db, actor, articleId);
  const current = await db
    .selectFrom('article_locks')
    .innerJoin('users', 'users.id', 'article_locks.user_id')
    .select(['article_locks.user_id', 'article_locks.since', 'article_locks.seen_at', 'users.email'])
    .where('article_locks.article_id', '=', articleId)
    .executeTakeFirst();
  const fresh = current !== undefined && Date.parse(current.seen_at) > now.getTime() - LOCK_STALE_MS;
  if (current && fresh && current.user_id !== actor.userId && !options.takeover) {
    return { mine: false, heldBy: { userId: current.user_id, email: current.email, since: current.since } };
  }
  const since = current && current.user_id === actor.userId && fresh ? current.since : iso(now);
  await db.deleteFrom('article_locks').where('article_id', '=', articleId).execute();
  await db.insertInto('article_locks').values({ article_id: articleId, user_id: actor.userId, since, seen_at: iso(now) }).execute();
  return { mine: true, heldBy: null };
}

export async function closeStory(db: Queryable, actor: Actor, articleId: number): Promise<void> {
  await db.deleteFrom('article_locks').where('article_id', '=', articleId).where('user_id', '=', actor.userId).execute();
}
