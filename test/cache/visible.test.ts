// A published story is on every surface at once, with the page cache on and every surface
// already in memory: its page (with its OpenGraph preview), the front page, its desk, each feed,
// the news sitemap, search (page and API) and the content API. Published by a person through the
// newsroom (the very next request shows it) and by the scheduler at its time (with no request
// to prompt it; the benchmark times it).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import { makeUser } from '../auth/factories.ts';
import { createApiToken } from '../../src/newsroom/auth/tokens.ts';
import { findDeskBySlug } from '../../src/newsroom/desks/repository.ts';

const SURFACES = (slug: string, word: string) => [
  `/world/${slug}`,
  '/',
  '/world',
  '/feed.xml',
  '/feed.atom',
  '/feed.json',
  '/world/feed.xml',
  '/sitemaps/news.xml',
  `/search?q=${word}`,
  `/api/v1/search?q=${word}`,
  '/api/v1/articles',
  `/api/v1/articles/${slug}`,
];

eachDatabase('a published story on every surface within a second', (kind) => {
  let t: TestApp;
  let auth: Record<string, string>;
  let worldId: number;

  before(async () => {
    t = await startApp(kind, { demo: true, env: { DATELINE_PAGE_CACHE: 'on' } });
    const admin = await makeUser(t.db.kysely, { email: 'chief@example.com', role: 'admin' });
    auth = { authorization: `Bearer ${(await createApiToken(t.db.kysely, admin.id, 'visible test')).secret}` };
    worldId = (await findDeskBySlug(t.db.kysely, 'world'))!.id;
  });
  after(() => t.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const api = async (method: 'POST', url: string, payload?: object) => {
    const res = await t.app.inject({ method, url: `/api/newsroom/v1${url}`, headers: auth, ...(payload ? { payload } : {}) });
    assert.ok(res.statusCode < 300, `${url}: ${res.statusCode} ${res.body}`);
    return res.json() as { story: { id: number } };
  };
  const shows = (body: string, headline: string, slug: string) => body.includes(headline) || body.includes(slug);

  /** Every surface in memory, and none shows the story yet. */
  async function warm(slug: string, headline: string, word: string): Promise<void> {
    await t.app.pageCache.sync();
    for (const url of SURFACES(slug, word)) {
      const first = await get(url);
      assert.ok(!shows(first.body, headline, slug), `${url} shows the story before it is published`);
      if (first.statusCode === 200 && !url.startsWith('/search')) assert.equal((await get(url)).headers['x-cache'], 'hit', `${url} is in memory`);
    }
  }

  test('published in the newsroom: the very next request on each surface shows it', async () => {
    const headline = 'Zanjan vineyards reopen';
    const slug = 'zanjan-vineyards-reopen';
    await warm(slug, headline, 'zanjan');
    const { story } = await api('POST', '/stories', { headline, deskId: worldId, bodyHtml: '<p>The vineyards of Zanjan reopened to visitors.</p>' });
    await api('POST', `/stories/${story.id}/submit`);
    await api('POST', `/stories/${story.id}/approve`);
    await api('POST', `/stories/${story.id}/publish`);
    for (const url of SURFACES(slug, 'zanjan')) {
      const res = await get(url);
      assert.equal(res.statusCode, 200, url);
      assert.ok(shows(res.body, headline, slug), `${url} does not show the story on the next request`);
    }
    const page = (await get(`/world/${slug}`)).body;
    assert.match(page, new RegExp(`<meta property="og:title" content="${headline}"`), 'the OpenGraph preview');
  });

  test('an embargo lifting: the story joins the cached pages with no write at all', async () => {
    const headline = 'Tabriz carpet fair opens';
    const slug = 'tabriz-carpet-fair-opens';
    await warm(slug, headline, 'tabriz');
    const { story } = await api('POST', '/stories', { headline, deskId: worldId, bodyHtml: '<p>The carpet fair of Tabriz opened.</p>' });
    await api('POST', `/stories/${story.id}/submit`);
    const until = new Date(Date.now() + 1500);
    await api('POST', `/stories/${story.id}/publish`, { embargoUntil: until.toISOString() });
    // Published but held: every surface answers from memory without it.
    for (const url of ['/', '/world', '/feed.xml']) assert.ok(!shows((await get(url)).body, headline, slug), `${url} before the embargo lifts`);
    const deadline = Date.now() + 6000;
    const pending = new Set(['/', '/world', '/feed.xml', `/world/${slug}`, '/api/v1/articles']);
    while (pending.size > 0 && Date.now() < deadline) {
      for (const url of [...pending]) if (shows((await get(url)).body, headline, slug)) pending.delete(url);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual([...pending], [], 'still without the story after its embargo lifted');
  });

  // How soon is measured by the benchmark (bench/, "publish → visible"); here, that it happens
  // with no request to trigger it, and the delays are reported.
  test('published by the scheduler: on every surface with no request to prompt it', async (ctx) => {
    const headline = 'Qazvin bazaar restored';
    const slug = 'qazvin-bazaar-restored';
    await warm(slug, headline, 'qazvin');
    const { story } = await api('POST', '/stories', { headline, deskId: worldId, bodyHtml: '<p>The bazaar of Qazvin was restored.</p>' });
    await api('POST', `/stories/${story.id}/submit`);
    const at = new Date(Date.now() + 1500);
    await api('POST', `/stories/${story.id}/schedule`, { at: at.toISOString() });
    const pending = new Set(SURFACES(slug, 'qazvin'));
    const seen = new Map<string, number>();
    while (pending.size > 0 && Date.now() < at.getTime() + 5000) {
      for (const url of [...pending]) {
        const res = await get(url);
        if (res.statusCode === 200 && shows(res.body, headline, slug)) {
          seen.set(url, Date.now() - at.getTime());
          pending.delete(url);
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.deepEqual([...pending], [], 'never showed the story');
    ctx.diagnostic(`after its time: ${[...seen].map(([url, ms]) => `${url} ${ms} ms`).join(', ')}`);
  });
});
