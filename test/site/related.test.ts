// Related stories beside an article: the public stories sharing the most of its tags, newest first
// among equals, never the story itself, what Recent Posts already shows, or anything unpublished;
// and a listed story's excerpt is its own or, without one, the start of its body.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { createArticle } from '../../src/newsroom/articles/commands.ts';
import { listPublic, listRelated, loadArticle } from '../../src/newsroom/articles/repository.ts';
import type { Article } from '../../src/newsroom/articles/types.ts';

eachDatabase('related stories', (kind) => {
  let t: TestApp;
  let article: Article;
  const ids: Record<string, number> = {};
  const now = new Date();
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

  before(async () => {
    t = await startApp(kind);
    const db = t.db.kysely;
    const desk = await createDesk(db, { name: 'World' });
    const story = async (name: string, tags: string[], hours: number, options: { status?: 'draft' | 'published'; excerpt?: string; embargoHours?: number } = {}) => {
      ids[name] = await createArticle(
        db,
        { headline: `Story ${name}`, slug: `story-${name}`, deskId: desk.id, tags, bodyHtml: `<p>Body of <b>${name}</b> begins here.</p>`, excerpt: options.excerpt ?? '' },
        { status: options.status ?? 'published', publishedAt: hoursAgo(hours), now },
      );
      if (options.embargoHours) {
        await db.updateTable('articles').set({ embargo_until: new Date(now.getTime() + options.embargoHours * 3_600_000).toISOString() }).where('id', '=', ids[name]!).execute();
      }
    };
    await story('main', ['Iran', 'Oil', 'Sanctions'], 1);
    await story('two-tags-old', ['Iran', 'Oil'], 50, { excerpt: 'An excerpt of its own.' });
    await story('one-tag-new', ['Iran'], 30);
    await story('one-tag-older', ['Sanctions'], 40);
    await story('three-tags-draft', ['Iran', 'Oil', 'Sanctions'], 20, { status: 'draft' });
    await story('three-tags-embargoed', ['Iran', 'Oil', 'Sanctions'], 20, { embargoHours: 5 });
    await story('unrelated', ['Football'], 10);
    // Newer than every related story: Recent Posts shows these six.
    for (let i = 1; i <= 6; i++) await story(`filler-${i}`, ['Football'], 1 + i / 10);
    article = (await loadArticle(db, ids.main!))!;
  });
  after(() => t.close());

  test('ranks by shared tags, then by date, and shows only what readers may see', async () => {
    const related = await listRelated(t.db.kysely, article, 4, [article.id], now);
    assert.deepEqual(related.map((s) => s.slug), ['story-two-tags-old', 'story-one-tag-new', 'story-one-tag-older']);
    assert.equal(related[0]!.excerpt, 'An excerpt of its own.');
    assert.equal(related[1]!.excerpt, 'Body of one-tag-new begins here.');
    assert.equal(related[0]!.desk.slug, 'world');
  });

  test('leaves out what it is told to and stops at the limit', async () => {
    const related = await listRelated(t.db.kysely, article, 1, [article.id, ids['two-tags-old']!], now);
    assert.deepEqual(related.map((s) => s.slug), ['story-one-tag-new']);
  });

  test('listings make excerpts from the body only when a story has none', async () => {
    const { items } = await listPublic(t.db.kysely, { limit: 20 }, now);
    const bySlug = new Map(items.map((s) => [s.slug, s.excerpt]));
    assert.equal(bySlug.get('story-two-tags-old'), 'An excerpt of its own.');
    assert.equal(bySlug.get('story-unrelated'), 'Body of unrelated begins here.');
  });

  test('the article page shows them, without the stories Recent Posts shows', async () => {
    const res = await t.app.inject('/world/story-main');
    assert.equal(res.statusCode, 200);
    const section = /<section class="related"[\s\S]*?<\/section>/.exec(res.body)?.[0] ?? '';
    const shown = [...section.matchAll(/href="\/world\/(story-[a-z-]+)"/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(shown)], ['story-two-tags-old', 'story-one-tag-new', 'story-one-tag-older']);
    assert.doesNotMatch(res.body, /three-tags-(draft|embargoed)/);
    assert.doesNotMatch(section, /filler/);
  });
});
