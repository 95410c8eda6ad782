// The page cache drops exactly what a change touches. For each kind of change (publish, update,
// correct, unpublish, curation, a person's bio, a desk's name, the breaking banner), every public
// URL is warmed, the change is made, and then every URL answers from the cache exactly what a
// second app with no cache renders from the same database (nothing stale), while the pages that
// do not show the change are still answered from memory (nothing needlessly dropped).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import { buildApp } from '../../src/server.ts';
import { makeUser } from '../auth/factories.ts';
import { createStory, transition } from '../../src/newsroom/workflow/commands.ts';
import { getRevision } from '../../src/newsroom/revisions/repository.ts';
import { findDeskBySlug } from '../../src/newsroom/desks/repository.ts';
import { findPersonBySlug } from '../../src/newsroom/people/repository.ts';
import { setBreaking, setFrontPage } from '../../src/newsroom/frontpage.ts';
import { adminUpdatePerson } from '../../src/newsroom/admin/people.ts';
import { adminUpdateDesk } from '../../src/newsroom/admin/desks.ts';
import { createApiToken } from '../../src/newsroom/auth/tokens.ts';

const REFERENCE = '/politics/no-talks-to-be-held-with-us-at-any-level-iran-leader';

eachDatabase('page cache invalidation', (kind) => {
  let t: TestApp;
  /** The same site with no cache, on the same database: what a fresh render says. */
  let fresh: FastifyInstance;
  let admin: Awaited<ReturnType<typeof makeUser>>;
  let worldId: number;
  let old: { id: number; path: string };
  let added: { id: number; path: string } | undefined;
  let urls: string[];

  before(async () => {
    t = await startApp(kind, { demo: true, env: { DATELINE_PAGE_CACHE: 'on' } });
    fresh = await buildApp({ config: { ...t.config, pageCache: { ...t.config.pageCache, enabled: false } }, db: t.db });
    const db = t.db.kysely;
    admin = await makeUser(db, { email: 'admin@example.com', role: 'admin' });
    worldId = (await findDeskBySlug(db, 'world'))!.id;
    // A story of years ago: on its desk, in the feeds and the API, but in no Recent Posts.
    const { id } = await createStory(db, admin, { headline: 'Caspian treaty signed', deskId: worldId, bodyHtml: '<p>Five states signed.</p>' });
    for (const command of ['submit', 'approve', 'publish'] as const) await transition(db, admin, id, command);
    await db.updateTable('articles').set({ published_at: '2020-01-15T10:00:00.000Z' }).where('id', '=', id).execute();
    old = { id, path: '/world/caspian-treaty-signed' };
    urls = [
      REFERENCE,
      old.path,
      '/',
      '/politics',
      '/world',
      '/sports',
      '/staff',
      '/author/nadia-farahani',
      '/corrections',
      '/feed.xml',
      '/world/feed.xml',
      '/sports/feed.xml',
      '/sitemap.xml',
      '/sitemaps/news.xml',
      '/robots.txt',
      '/api/v1/articles',
      '/api/v1/articles/caspian-treaty-signed',
      '/api/v1/people',
    ];
  });
  after(async () => {
    await fresh?.close();
    await t?.close();
  });

  const get = (app: FastifyInstance, url: string) => app.inject({ method: 'GET', url });

  /** Every URL in memory: its second answer comes from the cache. */
  async function warm(): Promise<void> {
    // Changes made outside any request (this file's set-up) reach the cache by its poll; not mid-warm-up.
    await t.app.pageCache.sync();
    for (const url of urls) {
      const first = await get(t.app, url);
      if (first.statusCode !== 200) continue;
      assert.equal((await get(t.app, url)).headers['x-cache'], 'hit', `${url} is cached`);
    }
  }

  /** After the change: nothing stale anywhere; these still from memory, those rendered again. */
  async function expectAfter(change: string, { hit, miss }: { hit: string[]; miss: string[] }): Promise<void> {
    await t.app.pageCache.sync();
    for (const url of urls) {
      const cached = await get(t.app, url);
      const truth = await get(fresh, url);
      assert.equal(cached.statusCode, truth.statusCode, `${change}: ${url} answers ${cached.statusCode}, a fresh render ${truth.statusCode}`);
      assert.equal(cached.body, truth.body, `${change}: ${url} is stale`);
    }
    // Read again on purpose: the loop above re-rendered the misses, so ask the store what it dropped.
    for (const url of hit) assert.ok(kept.has(url), `${change}: ${url} does not show it and should have stayed cached`);
    for (const url of miss) assert.ok(!kept.has(url), `${change}: ${url} shows it and must have been dropped`);
  }

  let kept = new Set<string>();
  /** Makes a change, remembering which warmed URLs the cache still held right after it. */
  async function change(work: () => Promise<unknown>): Promise<void> {
    await warm();
    await work();
    await t.app.pageCache.sync();
    kept = new Set(t.app.pageCache.store.keys());
  }

  test('an update of an old story: its page, its desk, the feeds, the API and sitemaps; not the pages that do not show it', async () => {
    await change(async () => {
      const { fields } = await getRevision(t.db.kysely, old.id, 1);
      await t.db.kysely.transaction().execute((trx) => transition(trx, admin, old.id, 'update', { content: { input: { ...fields, bodyHtml: '<p>Five states signed the treaty in Aktau.</p>' }, baseVersion: 1 } }));
    });
    await expectAfter('update', {
      miss: [old.path, '/world', '/feed.xml', '/world/feed.xml', '/api/v1/articles', '/api/v1/articles/caspian-treaty-signed', '/sitemap.xml'],
      hit: [REFERENCE, '/politics', '/sports', '/staff', '/sports/feed.xml', '/robots.txt', '/api/v1/people', '/corrections'],
    });
    assert.match((await get(t.app, old.path)).body, /in Aktau/);
  });

  test('publishing: every list of the latest and Recent Posts; not the staff page or another desk’s feed', async () => {
    await change(async () => {
      const { id } = await t.db.kysely.transaction().execute((trx) => createStory(trx, admin, { headline: 'Border crossing reopens', deskId: worldId, bodyHtml: '<p>Trucks moved again.</p>' }));
      for (const command of ['submit', 'approve', 'publish'] as const) await t.db.kysely.transaction().execute((trx) => transition(trx, admin, id, command));
      added = { id, path: '/world/border-crossing-reopens' };
    });
    await expectAfter('publish', {
      miss: ['/', REFERENCE, '/world', '/sports', '/feed.xml', '/world/feed.xml', '/api/v1/articles', '/sitemaps/news.xml'],
      hit: ['/staff', '/robots.txt', '/api/v1/people', '/sports/feed.xml', '/api/v1/articles/caspian-treaty-signed'],
    });
    urls.push(added!.path);
    assert.match((await get(t.app, '/')).body, /Border crossing reopens/);
  });

  test('a correction: the story and the corrections page; not the other desks', async () => {
    await change(() => t.db.kysely.transaction().execute((trx) => transition(trx, admin, old.id, 'correct', { note: 'An earlier version named the wrong city.' })));
    await expectAfter('correct', { miss: [old.path, '/corrections', '/world'], hit: ['/sports', '/staff', '/robots.txt', '/sports/feed.xml'] });
    assert.match((await get(t.app, '/corrections')).body, /named the wrong city/);
  });

  test('curation: the front page only', async () => {
    await change(() => t.db.kysely.transaction().execute((trx) => setFrontPage(trx, admin, [old.id])));
    await expectAfter('curation', { miss: ['/'], hit: [REFERENCE, old.path, '/world', '/sports', '/feed.xml', '/staff', '/api/v1/articles'] });
  });

  test('a person’s bio: their author page, the staff page and pages with their byline; not the feeds or robots.txt', async () => {
    const nadia = (await findPersonBySlug(t.db.kysely, 'nadia-farahani'))!;
    await change(() => t.db.kysely.transaction().execute((trx) => adminUpdatePerson(trx, admin, nadia.id, { bio: 'Nadia covers diplomacy from Tehran and Vienna.' })));
    await expectAfter('bio', { miss: ['/staff', '/author/nadia-farahani', '/api/v1/people'], hit: ['/robots.txt', '/sitemap.xml', old.path, '/world/feed.xml'] });
    assert.match((await get(t.app, '/author/nadia-farahani')).body, /Tehran and Vienna/);
  });

  test('a desk’s name: every page (it is in the navigation); not the people API', async () => {
    const sports = (await findDeskBySlug(t.db.kysely, 'sports'))!;
    await change(() => t.db.kysely.transaction().execute((trx) => adminUpdateDesk(trx, admin, sports.id, { name: 'Sport', slug: 'sports' })));
    await expectAfter('desk name', { miss: [REFERENCE, '/', '/sports', '/staff', '/api/v1/articles'], hit: ['/api/v1/people'] });
    assert.match((await get(t.app, '/')).body, />Sport</);
  });

  test('the breaking-news banner: every page; not the feeds, sitemaps or API', async () => {
    await change(() => t.db.kysely.transaction().execute((trx) => setBreaking(trx, admin, { headline: 'Earthquake in Kerman', expiresAt: new Date(Date.now() + 3_600_000) })));
    await expectAfter('breaking', { miss: [REFERENCE, '/', old.path, '/staff'], hit: ['/feed.xml', '/sitemap.xml', '/robots.txt', '/api/v1/articles', '/api/v1/people'] });
    assert.match((await get(t.app, '/world')).body, /Earthquake in Kerman/);
  });

  test('unpublishing: gone from every cached answer at once, its page 410', async () => {
    await change(() => t.db.kysely.transaction().execute((trx) => transition(trx, admin, added!.id, 'unpublish', { note: 'Legal review.' })));
    await expectAfter('unpublish', { miss: ['/', '/world', '/feed.xml', '/api/v1/articles', added!.path], hit: ['/staff', '/robots.txt', '/sports/feed.xml'] });
    assert.equal((await get(t.app, added!.path)).statusCode, 410);
    for (const url of urls) assert.doesNotMatch((await get(t.app, url)).body, /Border crossing reopens/, `${url} still shows the withdrawn story`);
  });

  describe('over HTTP', () => {
    test('a publish through the newsroom API shows on the cached front page in the very next request', async () => {
      await warm();
      const { secret } = await createApiToken(t.db.kysely, admin.id, 'cache test');
      const auth = { authorization: `Bearer ${secret}` };
      const created = await t.app.inject({ method: 'POST', url: '/api/newsroom/v1/stories', headers: auth, payload: { headline: 'Rial steadies', deskId: worldId, bodyHtml: '<p>The currency held.</p>' } });
      assert.equal(created.statusCode, 201, created.body);
      const id = (created.json() as { story: { id: number } }).story.id;
      for (const action of ['submit', 'approve', 'publish']) {
        const done = await t.app.inject({ method: 'POST', url: `/api/newsroom/v1/stories/${id}/${action}`, headers: auth });
        assert.equal(done.statusCode, 200, done.body);
      }
      // No waiting for the change log's poll: the write answered only after the drop.
      for (const url of ['/', '/world', '/feed.xml', '/api/v1/articles', REFERENCE]) assert.match((await get(t.app, url)).body, /Rial steadies/, url);
    });

    test('a thousand simultaneous misses on one URL render it once', async () => {
      await t.app.pageCache.sync();
      t.app.pageCache.store.clear();
      const before = t.app.pageCache.renders;
      const answers = await Promise.all(Array.from({ length: 1000 }, () => get(t.app, '/world')));
      assert.equal(t.app.pageCache.renders - before, 1);
      assert.ok(answers.every((a) => a.statusCode === 200 && a.body === answers[0]!.body));
    });

    test('over a real connection, a hit is answered before the framework, with the headers of the first answer', async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      for (const url of [old.path, '/api/v1/articles']) {
        await t.app.pageCache.sync();
        const first = await fetch(base + url, { headers: { 'accept-encoding': 'gzip' } });
        const firstBody = await first.text();
        const hit = await fetch(base + url, { headers: { 'accept-encoding': 'gzip' } });
        assert.equal(hit.headers.get('x-cache'), 'hit', url);
        assert.equal(await hit.text(), firstBody, url);
        for (const name of ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'content-type', 'cache-control', 'surrogate-key', 'etag', 'vary', 'content-encoding']) {
          assert.equal(hit.headers.get(name), first.headers.get(name), `${url}: ${name}`);
        }
        const conditional = await fetch(base + url, { headers: { 'accept-encoding': 'gzip', 'if-none-match': hit.headers.get('etag')! } });
        assert.equal(conditional.status, 304, url);
        const head = await fetch(base + url, { method: 'HEAD' });
        assert.equal(head.status, 200);
        assert.equal(head.headers.get('x-cache'), 'hit');
      }
      const api = await fetch(`${base}/api/v1/articles`, { headers: { origin: 'https://app.example' } });
      assert.equal(api.headers.get('access-control-allow-origin'), '*');
      assert.equal(api.headers.get('x-cache'), 'hit');
      // Never for the newsroom, a token's reader or a form.
      for (const url of ['/admin', '/contact', '/login']) assert.equal((await fetch(base + url, { redirect: 'manual' })).headers.get('x-cache'), null, url);
    });

    test('validators: strong ETag per encoding, 304 for If-None-Match and If-Modified-Since, CDN headers', async () => {
      const first = await t.app.inject({ method: 'GET', url: old.path, headers: { 'accept-encoding': 'br, gzip' } });
      assert.equal(first.headers['content-encoding'], 'br');
      assert.match(String(first.headers.etag), /^"[\w-]{32}-br"$/);
      assert.equal(first.headers.vary, 'accept-encoding');
      assert.match(String(first.headers['cache-control']), /^public, max-age=0, s-maxage=\d+, stale-while-revalidate=\d+$/);
      assert.match(String(first.headers['surrogate-key']), new RegExp(`(^| )s:${old.id}( |$)`));
      assert.match(String(first.headers['cache-tag']), new RegExp(`(^|,)s:${old.id}(,|$)`));
      const gzip = await t.app.inject({ method: 'GET', url: old.path, headers: { 'accept-encoding': 'gzip' } });
      assert.equal(gzip.headers['content-encoding'], 'gzip');
      const plain = await t.app.inject({ method: 'GET', url: old.path, headers: { 'accept-encoding': 'br;q=0, gzip;q=0' } });
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.match(plain.body, /Caspian treaty signed/);
      const notModified = await t.app.inject({ method: 'GET', url: old.path, headers: { 'if-none-match': String(first.headers.etag) } });
      assert.equal(notModified.statusCode, 304);
      assert.equal(notModified.body, '');
      const since = await t.app.inject({ method: 'GET', url: old.path, headers: { 'if-modified-since': String(first.headers['last-modified']) } });
      assert.equal(since.statusCode, 304);
      // Private pages are never cached, whatever they are.
      const contact = await get(t.app, '/contact');
      assert.equal(contact.headers['x-cache'], undefined);
      assert.equal((await get(t.app, '/contact')).headers['x-cache'], undefined);
    });
  });
});
