// Seeds the demo newsroom into an empty database, so the first `npm start` shows a working
// site: the reference story's page looks like the reference page.
import type { Queryable } from '../db.ts';
import { createArticle } from '../articles/commands.ts';
import { createDesk, setDeskEditors } from '../desks/repository.ts';
import { createPerson } from '../people/repository.ts';
import { writeSetting } from '../settings/repository.ts';
import { minutesBefore } from '../time.ts';
import { DESKS, PEOPLE, SITE } from './newsroom.ts';
import { OLDER_STORIES, RECENT_STORIES, REFERENCE_STORY } from './stories.ts';

/** True when the newsroom has no desks and no stories: only then is the demo seeded. */
export async function isEmptyNewsroom(db: Queryable): Promise<boolean> {
  const [desk, article] = await Promise.all([
    db.selectFrom('desks').select('id').limit(1).executeTakeFirst(),
    db.selectFrom('articles').select('id').limit(1).executeTakeFirst(),
  ]);
  return !desk && !article;
}

/** Run inside one transaction: the demo is there whole or not at all. */
export async function seedDemo(db: Queryable, now = new Date()): Promise<{ desks: number; people: number; stories: number }> {
  await writeSetting(db, 'site_name', SITE.siteName);
  await writeSetting(db, 'tagline', SITE.tagline);
  const personIds = new Map<string, number>();
  for (const person of PEOPLE) personIds.set(person.slug, (await createPerson(db, person, now)).id);
  const deskIds = new Map<string, number>();
  for (const [position, { editors, ...desk }] of DESKS.entries()) {
    const created = await createDesk(db, { ...desk, position }, now);
    deskIds.set(created.slug, created.id);
    await setDeskEditors(db, created.id, editors.map((slug) => personIds.get(slug) ?? -1));
  }
  const stories = [REFERENCE_STORY, ...RECENT_STORIES, ...OLDER_STORIES];
  for (const story of stories) {
    const publishedAt = minutesBefore(now, story.ageMinutes);
    const id = await createArticle(
      db,
      {
        slug: story.slug,
        headline: story.headline,
        kicker: story.kicker,
        deskId: deskIds.get(story.desk) ?? -1,
        bodyHtml: story.bodyHtml,
        tags: story.tags,
        bylineIds: story.bylines.map((slug) => personIds.get(slug) ?? -1),
        language: 'en',
      },
      { status: 'published', publishedAt, now: publishedAt },
    );
    // The editors' choice: the reference story leads the front page.
    if (story === REFERENCE_STORY) await db.insertInto('front_page').values({ position: 0, article_id: id }).execute();
  }
  return { desks: DESKS.length, people: PEOPLE.length, stories: stories.length };
}
