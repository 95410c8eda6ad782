// What readers can see changed, said as cache tags and written in the transaction of the change,
// so that no cached page outlives it (src/cache reads these rows on every serving instance).
//
// A tag names one thing a page shows: a story, a person, the front page … or a list whose
// membership a change can alter. A page carries the tags of everything on it; a change
// invalidates the tags of everything it alters, and nothing that does not show it.
import type { Queryable } from './db.ts';
import { iso } from './time.ts';

export const TAGS = {
  /** Site name, tagline, the desks in the navigation: on every page. */
  site: 'site',
  /** The breaking-news banner: on every page. */
  breaking: 'breaking',
  /** The curated lead and top stories. */
  front: 'front',
  /** Who works here: the staff page and the people API. */
  people: 'people',
  /** Any public story, any change (sitemaps, search: they show every story). */
  stories: 'stories',
  /** Which stories are public and in what order: every list of the latest (Recent Posts, feeds …). */
  latest: 'l:all',
  /** The corrections list. */
  corrections: 'l:corr',
  story: (id: number) => `s:${id}`,
  /** A person's name, photo and bio (by slug: it never changes), on bylines and author boxes. */
  person: (slug: string) => `p:${slug}`,
  deskList: (id: number) => `l:d:${id}`,
  tagList: (id: number) => `l:t:${id}`,
  personList: (id: number) => `l:p:${id}`,
} as const;

/** Records that readers may see these things changed (in the caller's transaction). */
export async function recordChange(db: Queryable, tags: Iterable<string>, now = new Date()): Promise<void> {
  const unique = [...new Set(tags)];
  if (unique.length === 0) return;
  await db.insertInto('cache_changes').values({ tags: unique.join(' '), at: iso(now) }).execute();
}

/** Where a story shows: whether readers see it, and the lists it belongs to. */
export interface StoryFootprint {
  id: number;
  visible: boolean;
  deskId: number;
  publishedAt: string | null;
  tagIds: number[];
  personIds: number[];
}

export async function storyFootprint(db: Queryable, id: number, now = new Date()): Promise<StoryFootprint | null> {
  const row = await db.selectFrom('articles').select(['id', 'status', 'desk_id', 'published_at', 'embargo_until']).where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const at = iso(now);
  const [tags, bylines] = await Promise.all([
    db.selectFrom('article_tags').select('tag_id').where('article_id', '=', id).orderBy('tag_id').execute(),
    db.selectFrom('article_bylines').select('person_id').where('article_id', '=', id).orderBy('person_id').execute(),
  ]);
  return {
    id: row.id,
    // The same rule as onlyPublic (src/newsroom/articles/visibility.ts).
    visible: row.status === 'published' && row.published_at !== null && row.published_at <= at && (row.embargo_until === null || row.embargo_until <= at),
    deskId: row.desk_id,
    publishedAt: row.published_at,
    tagIds: tags.map((t) => t.tag_id),
    personIds: bylines.map((b) => b.person_id),
  };
}

/**
 * The tags a story's change invalidates. Nothing while readers see it neither before nor after;
 * the story itself when only its content changed; and every list it left or joined when its
 * visibility, desk, date, tags or bylines changed.
 */
export function storyChangeTags(before: StoryFootprint | null, after: StoryFootprint | null): string[] {
  const seen = [before, after].filter((f): f is StoryFootprint => f !== null && f.visible);
  if (seen.length === 0) return [];
  const id = (after ?? before)!.id;
  const tags: string[] = [TAGS.story(id), TAGS.stories];
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  const moved =
    !before?.visible ||
    !after?.visible ||
    before.deskId !== after.deskId ||
    before.publishedAt !== after.publishedAt ||
    !same(before.tagIds, after.tagIds) ||
    !same(before.personIds, after.personIds);
  if (moved) {
    tags.push(TAGS.latest, TAGS.corrections);
    for (const f of seen) {
      tags.push(TAGS.deskList(f.deskId));
      for (const t of f.tagIds) tags.push(TAGS.tagList(t));
      for (const p of f.personIds) tags.push(TAGS.personList(p));
    }
  }
  return tags;
}

/**
 * Runs a change to one story and records what readers will see differently. `extra` adds tags
 * the footprint cannot know (a correction joins the corrections list).
 */
export async function changingStory<T>(db: Queryable, id: number, work: () => Promise<T>, extra: (result: T) => string[] = () => [], now = new Date()): Promise<T> {
  const before = await storyFootprint(db, id, now);
  const result = await work();
  const after = await storyFootprint(db, id, now);
  const tags = storyChangeTags(before, after);
  if (tags.length > 0 || (after?.visible ?? false)) tags.push(...extra(result));
  await recordChange(db, tags, now);
  return result;
}

/**
 * Changes time makes with no write: an embargo lifting, a story's publication time coming (an
 * import may set one ahead), a breaking-news banner expiring. Records those that
 * fell in (since, now]; the scheduler calls it every tick.
 */
export async function recordTimedChanges(db: Queryable, since: Date, now = new Date()): Promise<void> {
  const from = iso(since);
  const to = iso(now);
  // Two questions, each on its own index (status, published_at; embargo_until), never a scan.
  // Only what time alone made visible: a story written at or after the moment (published by a
  // person, or by publishDue) was recorded by that write.
  const [lifted, due] = await Promise.all([
    db
      .selectFrom('articles')
      .select('id')
      .where('embargo_until', '>', from)
      .where('embargo_until', '<=', to)
      .where('status', '=', 'published')
      .where('modified_at', '<', (eb) => eb.ref('embargo_until'))
      .execute(),
    db
      .selectFrom('articles')
      .select('id')
      .where('status', '=', 'published')
      .where('published_at', '>', from)
      .where('published_at', '<=', to)
      .where('modified_at', '<', (eb) => eb.ref('published_at'))
      .execute(),
  ]);
  const stories = [...new Map([...lifted, ...due].map((s) => [s.id, s])).values()];
  const tags: string[] = [];
  for (const { id } of stories) tags.push(...storyChangeTags(null, await storyFootprint(db, id, now)));
  const banner = await db
    .selectFrom('breaking_news')
    .select('id')
    .where('cleared_at', 'is', null)
    // A banner starts when it is set (a write, recorded then); only its expiry is time's doing.
    .where('expires_at', '>', from)
    .where('expires_at', '<=', to)
    .limit(1)
    .executeTakeFirst();
  if (banner) tags.push(TAGS.breaking);
  await recordChange(db, tags, now);
}
