// The front page as editors curate it: an ordered list of stories (the first is the lead),
// topped up with the latest stories when fewer are chosen; and the breaking-news banner.
import type { Queryable } from './db.ts';
import { listPublic } from './articles/repository.ts';
import type { ArticleSummary } from './articles/types.ts';
import { invalid, NewsroomError } from './errors.ts';
import { iso } from './time.ts';
import { canCurateFrontPage, type Actor } from './workflow/policy.ts';
import { writeAudit } from './workflow/audit.ts';
import { recordChange, TAGS } from './changes.ts';

export const FRONT_PAGE_SLOTS = 5;

/** Lead and top stories: the curated ones readers may see, in order, then the latest. */
export async function frontPageStories(db: Queryable, now = new Date()): Promise<ArticleSummary[]> {
  // The curated ids first (a handful of rows), then those a reader may see: joined in one query,
  // a planner may walk every published story looking for the few on the front page.
  const ids = (await curatedIds(db)).slice(0, FRONT_PAGE_SLOTS);
  const chosen = ids.length ? (await listPublic(db, { ids, limit: ids.length }, now)).items : [];
  const byId = new Map(chosen.map((s) => [s.id, s]));
  const ordered = ids.map((id) => byId.get(id)).filter((s): s is ArticleSummary => s !== undefined);
  if (ordered.length >= FRONT_PAGE_SLOTS) return ordered;
  const fill = await listPublic(db, { limit: FRONT_PAGE_SLOTS - ordered.length, excludeIds: ordered.map((s) => s.id) }, now);
  return [...ordered, ...fill.items];
}

export async function curatedIds(db: Queryable): Promise<number[]> {
  const rows = await db.selectFrom('front_page').select('article_id').orderBy('position').execute();
  return rows.map((r) => r.article_id);
}

/** Replaces the curated list; only published stories may lead the front page. */
export async function setFrontPage(db: Queryable, actor: Actor, articleIds: number[], now = new Date()): Promise<number[]> {
  if (!canCurateFrontPage(actor)) throw new NewsroomError('forbidden', 'Only managing editors choose the front page.');
  const ids = [...new Set(articleIds)];
  if (ids.length > FRONT_PAGE_SLOTS) throw invalid({ articleIds: `Choose at most ${FRONT_PAGE_SLOTS} stories.` });
  if (ids.length > 0) {
    const published = await db.selectFrom('articles').select('id').where('id', 'in', ids).where('status', '=', 'published').execute();
    const missing = ids.filter((id) => !published.some((p) => p.id === id));
    if (missing.length > 0) throw invalid({ articleIds: `Only published stories can be on the front page (not ${missing.join(', ')}).` });
  }
  await db.deleteFrom('front_page').execute();
  if (ids.length > 0) await db.insertInto('front_page').values(ids.map((article_id, position) => ({ position, article_id }))).execute();
  for (const [position, id] of ids.entries()) {
    await writeAudit(db, { articleId: id, userId: actor.userId, action: 'front_page', note: position === 0 ? 'lead story' : `top story ${position}`, at: now });
  }
  await recordChange(db, [TAGS.front], now);
  return ids;
}

export interface Breaking {
  id: number;
  headline: string;
  url: string | null;
  expiresAt: string;
}

export async function currentBreaking(db: Queryable, now = new Date()): Promise<Breaking | undefined> {
  const row = await db
    .selectFrom('breaking_news')
    .select(['id', 'headline', 'url', 'expires_at'])
    .where('cleared_at', 'is', null)
    .where('starts_at', '<=', iso(now))
    .where('expires_at', '>', iso(now))
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && { id: row.id, headline: row.headline, url: row.url, expiresAt: row.expires_at };
}

export async function setBreaking(db: Queryable, actor: Actor, input: { headline: string; url?: string | null; expiresAt: Date }, now = new Date()): Promise<Breaking> {
  if (!canCurateFrontPage(actor)) throw new NewsroomError('forbidden', 'Only managing editors set the breaking-news banner.');
  const headline = input.headline.replace(/\s+/g, ' ').trim();
  const problems: Record<string, string> = {};
  if (!headline) problems.headline = 'The banner needs a headline.';
  if (headline.length > 200) problems.headline = 'Keep the banner under 200 characters.';
  const url = input.url?.trim() || null;
  if (url && !/^(https?:\/\/|\/)/.test(url)) problems.url = 'The link must be a site path or an http(s) URL.';
  if (input.expiresAt.getTime() <= now.getTime()) problems.expiresAt = 'The banner must expire in the future.';
  if (Object.keys(problems).length) throw invalid(problems);
  await clearBreaking(db, actor, now);
  const row = await db
    .insertInto('breaking_news')
    .values({ headline, url, starts_at: iso(now), expires_at: iso(input.expiresAt), cleared_at: null, created_by: actor.userId })
    .returning(['id', 'headline', 'url', 'expires_at'])
    .executeTakeFirstOrThrow();
  await recordChange(db, [TAGS.breaking], now);
  return { id: row.id, headline: row.headline, url: row.url, expiresAt: row.expires_at };
}

export async function clearBreaking(db: Queryable, actor: Actor, now = new Date()): Promise<void> {
  if (!canCurateFrontPage(actor)) throw new NewsroomError('forbidden', 'Only managing editors clear the breaking-news banner.');
  const cleared = await db.updateTable('breaking_news').set({ cleared_at: iso(now) }).where('cleared_at', 'is', null).executeTakeFirst();
  if (Number(cleared.numUpdatedRows) > 0) await recordChange(db, [TAGS.breaking], now);
}
