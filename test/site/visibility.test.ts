// Nothing unpublished reaches a reader: drafts, submitted, approved, scheduled, embargoed and
// unpublished stories are absent from every public URL, with the page cache on: neither the first
// answer nor the one served from memory carries them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';
import { createUser } from '../../src/newsroom/users.ts';
import { createStory, transition } from '../../src/newsroom/workflow/commands.ts';
import type { Actor } from '../../src/newsroom/workflow/policy.ts';

eachDatabase('unpublished stories stay hidden', (kind) => {
  let t: TestApp;
  const hidden: Array<{ label: string; slug: string }> = [];
  let personSlug: string;

  before(async () => {
    t = await startApp(kind, { env: { DATELINE_PAGE_CACHE: 'on' } });
    const db = t.db.kysely;
    const desk = await createDesk(db, { name: 'Economy' });
    const person = await createPerson(db, { name: 'Hidden Writer' });
    personSlug = person.slug;
    const user = await createUser(db, { email: 'boss@example.com', role: 'managing_editor', personId: person.id });
    const boss: Actor = { userId: user.id, role: 'managing_editor', personId: person.id };
    const make = async (label: string, steps: Array<Parameters<typeof transition>[3]>, options: Parameters<typeof transition>[4] = {}) => {
      const slug = `secret-${label}`;
      const { id } = await createStory(db, boss, { headline: `Secret ${label} story`, slug, deskId: desk.id, bodyHtml: '<p>Secret text.</p>', tags: ['Secrets'] });
      for (const step of steps) await transition(db, boss, id, step, options);
      hidden.push({ label, slug });
    };
    await make('draft', []);
    await make('submitted', ['submit']);
    await make('approved', ['submit', 'approve']);
    await make('changes', ['submit', 'request_changes'], { note: 'More.' });
    await make('scheduled', ['submit', 'schedule'], { at: new Date(Date.now() + 3_600_000) });
    await make('embargoed', ['submit', 'publish'], { embargoUntil: new Date(Date.now() + 3_600_000) });
    await make('unpublished', ['submit', 'publish', 'unpublish']);
    // One public story, so the listings have something to show.
    const { id } = await createStory(db, boss, { headline: 'Public economy story', deskId: desk.id, bodyHtml: '<p>Open.</p>', tags: ['Secrets'] });
    await transition(db, boss, id, 'submit');
    await transition(db, boss, id, 'publish');
    await t.app.pageCache.sync();
  });
  after(() => t.close());

  test('not on its own URL', async () => {
    for (const { label, slug } of hidden) {
      const res = await t.app.inject({ method: 'GET', url: `/economy/${slug}` });
      assert.equal(res.statusCode, label === 'unpublished' ? 410 : 404, label);
      assert.doesNotMatch(res.body, /Secret text|Secret \w+ story/, label);
    }
  });

  test('not on any listing', async () => {
    const now = new Date();
    const month = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    for (const url of ['/', '/economy', '/tag/secrets', `/author/${personSlug}`, `/archive/${month}`, '/archive', '/corrections', '/staff']) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.doesNotMatch(res.body, /Secret \w+ story/, url);
    }
    assert.match((await t.app.inject({ method: 'GET', url: '/economy' })).body, /Public economy story/);
  });

  test('not in any answer the cache keeps: pages, feeds, sitemaps, the API', async () => {
    const urls = ['/', '/economy', '/tag/secrets', `/author/${personSlug}`, '/feed.xml', '/economy/feed.xml', '/economy/feed.json', '/tag/secrets/feed.atom', '/sitemap.xml', '/sitemaps/news.xml', '/sitemaps/pages.xml', '/api/v1/articles', '/api/v1/tags'];
    for (const url of urls) {
      for (const round of ['first', 'cached']) {
        const res = await t.app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 200, url);
        if (round === 'cached') assert.equal(res.headers['x-cache'], 'hit', `${url} comes from the cache the second time`);
        assert.doesNotMatch(res.body, /Secret \w+ story|secret-\w+/, `${url} (${round})`);
      }
    }
  });
});
