// Reading stories in the newsroom: each user sees what they may work on.
import type { ExpressionBuilder } from 'kysely';
import type { Database, Queryable } from '../db.ts';
import { loadArticle } from '../articles/repository.ts';
import type { Article, Status } from '../articles/types.ts';
import { NewsroomError, notFound } from '../errors.ts';
import { storyContext } from './commands.ts';
import { hasEditorialAuthority, type Actor } from './policy.ts';

export interface StoryListItem {
  id: number;
  slug: string;
  headline: string;
  status: Status;
  deskId: number;
  deskName: string;
  version: number;
  modifiedAt: string;
  publishedAt: string | null;
}

export interface StoryFilter {
  status?: Status;
  deskId?: number;
  mine?: boolean;
  /** Only stories of desks the actor edits (a review queue), not their own elsewhere. */
  editorialOnly?: boolean;
  limit: number;
  offset?: number;
}

/** Desks whose stories the actor edits (every desk for managing editors and admins). */
async function editedDeskIds(db: Queryable, actor: Actor): Promise<number[] | 'all'> {
  if (actor.role === 'admin' || actor.role === 'managing_editor') return 'all';
  if (actor.role !== 'desk_editor' || actor.personId === null) return [];
  const rows = await db.selectFrom('desk_editors').select('desk_id').where('person_id', '=', actor.personId).execute();
  return rows.map((r) => r.desk_id);
}

export async function listStoriesFor(db: Queryable, actor: Actor, filter: StoryFilter): Promise<{ items: StoryListItem[]; more: boolean }> {
  const desks = await editedDeskIds(db, actor);
  const personId = actor.personId ?? -1;
  let query = db
    .selectFrom('articles')
    .innerJoin('desks', 'desks.id', 'articles.desk_id')
    .select([
      'articles.id',
      'articles.slug',
      'articles.headline',
      'articles.status',
      'articles.desk_id',
      'desks.name as desk_name',
      'articles.version',
      'articles.modified_at',
      'articles.published_at',
    ]);
  const ownStory = (eb: ExpressionBuilder<Database, 'articles' | 'desks'>) =>
    eb.or([
      eb('articles.created_by', '=', actor.userId),
      eb('articles.id', 'in', eb.selectFrom('article_bylines').select('article_id').where('person_id', '=', personId)),
    ]);
  if (filter.editorialOnly && desks !== 'all') {
    query = query.where('articles.desk_id', 'in', desks.length ? desks : [-1]);
  } else if (filter.mine || desks !== 'all') {
    query = query.where((eb) => (filter.mine || desks === 'all' || desks.length === 0 ? ownStory(eb) : eb.or([ownStory(eb), eb('articles.desk_id', 'in', desks)])));
  }
  if (filter.status) query = query.where('articles.status', '=', filter.status);
  if (filter.deskId !== undefined) query = query.where('articles.desk_id', '=', filter.deskId);
  const rows = await query
    .orderBy('articles.modified_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(filter.limit + 1)
    .offset(filter.offset ?? 0)
    .execute();
  return {
    items: rows.slice(0, filter.limit).map((r) => ({
      id: r.id,
      slug: r.slug,
      headline: r.headline,
      status: r.status,
      deskId: r.desk_id,
      deskName: r.desk_name,
      version: r.version,
      modifiedAt: r.modified_at,
      publishedAt: r.published_at,
    })),
    more: rows.length > filter.limit,
  };
}

/** The whole story for someone who may work on it: its writer or an editor over its desk. */
export async function loadStoryFor(db: Queryable, actor: Actor, id: number): Promise<Article> {
  const { context } = await storyContext(db, actor, id);
  if (!context.own && !hasEditorialAuthority(actor, context)) throw new NewsroomError('forbidden', 'You may not open this story.');
  const article = await loadArticle(db, id);
  if (!article) throw notFound('That story');
  return article;
}

/** Throws unless the actor may read the story's history and revisions. */
export async function assertMayRead(db: Queryable, actor: Actor, id: number): Promise<void> {
  await loadStoryFor(db, actor, id);
}
