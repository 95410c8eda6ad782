// The public content API under /api/v1 through the real app, on both databases: filters, cursor
// pages, single resources, redirects and errors, ETag/304, CORS, and that nothing unpublished or
// newsroom-only ever reaches it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import { createDesk, setDeskEditors, updateDesk } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';
import { createUser } from '../../src/newsroom/users.ts';
import { createStory, transition } from '../../src/newsroom/workflow/commands.ts';
import type { Actor } from '../../src/newsroom/workflow/policy.ts';
import { loadArticle } from '../../src/newsroom/articles/repository.ts';
import { encodeCursor } from '../../src/newsroom/articles/cursor.ts';
import { ArticleResponse } from '../../src/api/public/schemas.ts';
import { presentArticle } from '../../src/api/public/presenter.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = Record<string, any>;

const BASE = Date.parse('2026-06-01T12:00:00.000Z');
const minutes = (n: number) => new Date(BASE - n * 60_000);
const BULK = 45;
/** Keys that belong to the newsroom only: no public answer may hold one, at any depth. */
const NEWSROOM_KEYS = ['status', 'version', 'embargoUntil', 'embargo_until', 'createdBy', 'created_by', 'modifiedAt', 'modified_at', 'createdAt', 'created_at', 'role', 'password', 'passwordHash', 'userId', 'user', 'seoTitle'];

function keysDeep(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysDeep(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      keysDeep(v, out);
    }
  }
  return out;
}

eachDatabase('public content API', (kind) => {
  let t: TestApp;
  let boss: Actor;
  const userEmails = ['boss.secret@newsroom.example', 'sam.secret@newsroom.example'];
  /** Every public politics story of the bulk set, newest first. */
  let politics: number[] = [];
  const sports: number[] = [];
  const hidden: Array<{ label: string; slug: string; status: number }> = [];
  const seen: Json[] = [];

  before(async () => {
    t = await startApp(kind);
    const db = t.db.kysely;
    const deskP = await createDesk(db, { name: 'Politics', email: 'politics@paper.example', description: 'Government.' });
    const deskS = await createDesk(db, { name: 'Sports' });
    const pat = await createPerson(db, { name: 'Pat Writer', title: 'Journalist', bio: 'Covers parliament.', contacts: [{ kind: 'x', value: '@pat' }] });
    const sam = await createPerson(db, { name: 'Sam Sports', title: 'Analyst' });
    await createPerson(db, { name: 'Desk Team', kind: 'collective' });
    await setDeskEditors(db, deskP.id, [pat.id]);
    const user = await createUser(db, { email: userEmails[0]!, role: 'managing_editor', personId: pat.id });
    await createUser(db, { email: userEmails[1]!, role: 'contributor', personId: sam.id });
    boss = { userId: user.id, role: 'managing_editor', personId: pat.id };

    const publish = async (input: Parameters<typeof createStory>[2], at: Date) => {
      const { id } = await createStory(db, boss, input, at);
      await transition(db, boss, id, 'submit', {}, at);
      await transition(db, boss, id, 'publish', {}, at);
      return id;
    };
    // 45 politics stories a minute apart, except that 19–21 and 39–40 share a time: the page
    // boundaries (20, 40) fall inside those ties.
    const at = (i: number) => (i >= 19 && i <= 21 ? minutes(19) : i === 40 ? minutes(39) : minutes(i));
    const made: Array<{ id: number; at: number }> = [];
    for (let i = 0; i < BULK; i++) {
      const id = await publish(
        {
          headline: `Bulk story ${i}`,
          deskId: deskP.id,
          bodyHtml: `<p>Bulk body ${i}.</p>`,
          tags: i % 3 === 0 ? ['Bulk', 'Third'] : ['Bulk'],
          bylineIds: i % 5 === 0 ? [sam.id] : [pat.id],
        },
        at(i),
      );
      made.push({ id, at: at(i).getTime() });
    }
    politics = made.sort((a, b) => b.at - a.at || b.id - a.id).map((m) => m.id);
    for (const day of [10, 20, 30]) {
      sports.push(await publish({ headline: `Match day ${day}`, deskId: deskS.id, bodyHtml: '<p>Goal.</p>', tags: ['Football'], bylineIds: [sam.id] }, minutes(day * 24 * 60)));
    }

    const make = async (label: string, steps: Array<Parameters<typeof transition>[3]>, options: Parameters<typeof transition>[4] = {}, status = 404) => {
      const slug = `secret-${label}`;
      const { id } = await createStory(db, boss, { headline: `Secret ${label} story`, slug, deskId: deskP.id, bodyHtml: '<p>Secret text.</p>', tags: ['Bulk', 'Hush'], bylineIds: [pat.id, sam.id] });
      for (const step of steps) await transition(db, boss, id, step, options);
      hidden.push({ label, slug, status });
    };
    await make('draft', []);
    await make('submitted', ['submit']);
    await make('approved', ['submit', 'approve']);
    await make('changes', ['submit', 'request_changes'], { note: 'More.' });
    await make('scheduled', ['submit', 'schedule'], { at: new Date(Date.now() + 3_600_000) });
    await make('embargoed', ['submit', 'publish'], { embargoUntil: new Date(Date.now() + 3_600_000) });
    await make('unpublished', ['submit', 'publish', 'unpublish'], {}, 410);
  });
  after(() => t.close());

  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await t.app.inject({ method: 'GET', url, headers });
    const body = res.body && res.headers['content-type']?.toString().startsWith('application/json') ? (res.json() as Json) : {};
    if (res.statusCode === 200) seen.push(body);
    return { status: res.statusCode, body, headers: res.headers, raw: res.body };
  };

  /** Every story of a filtered list, walking the cursor pages. */
  const walk = async (query: string, limit = 20) => {
    const pages: number[][] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/api/v1/articles?${query}${query ? '&' : ''}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.status, 200, res.raw);
      pages.push(res.body.articles.map((a: Json) => a.id));
      cursor = res.body.nextCursor;
      assert.ok(pages.length < 100, 'the walk ends');
    } while (cursor);
    return pages;
  };

  test('the list: newest first, teaser fields only, canonical URLs', async () => {
    const res = await get('/api/v1/articles');
    assert.equal(res.status, 200);
    assert.equal(res.body.articles.length, 20);
    assert.equal(typeof res.body.nextCursor, 'string');
    const [first] = res.body.articles;
    assert.deepEqual(Object.keys(first).sort(), ['bylines', 'desk', 'dek', 'excerpt', 'headline', 'id', 'kicker', 'leadImage', 'publishedAt', 'slug', 'updatedAt', 'url'].sort());
    assert.equal(first.id, politics[0]);
    assert.equal(first.url, `${t.config.siteUrl}/politics/${first.slug}`);
    assert.deepEqual(first.desk, { slug: 'politics', name: 'Politics', url: `${t.config.siteUrl}/politics` });
    assert.deepEqual(first.bylines, [{ slug: 'sam-sports', name: 'Sam Sports', kind: 'person', url: `${t.config.siteUrl}/author/sam-sports` }]);
    assert.equal(first.excerpt, 'Bulk body 0.');
    const times = res.body.articles.map((a: Json) => a.publishedAt as string);
    assert.deepEqual(times, [...times].sort().reverse());
  });

  test('cursor pages walk 45 stories by 20 with no duplicate and no gap, across tied publication times', async () => {
    const pages = await walk('desk=politics');
    assert.deepEqual(pages.map((p) => p.length), [20, 20, 5]);
    const ids = pages.flat();
    assert.equal(new Set(ids).size, BULK);
    assert.deepEqual(ids, politics);
    // Smaller pages cut through each tie in other places.
    for (const limit of [1, 7, 19, 21]) assert.deepEqual((await walk('desk=politics', limit)).flat(), politics, `limit ${limit}`);
  });

  test('a page does not move when a story is published meanwhile, and the new story shows on the next request', async () => {
    const first = await get('/api/v1/articles?desk=politics&limit=20');
    const db = t.db.kysely;
    const { id } = await createStory(db, boss, { headline: 'Fresh news', deskId: (await db.selectFrom('desks').select('id').where('slug', '=', 'politics').executeTakeFirstOrThrow()).id });
    await transition(db, boss, id, 'submit');
    await transition(db, boss, id, 'publish');
    const second = await get(`/api/v1/articles?desk=politics&limit=20&cursor=${first.body.nextCursor}`);
    assert.deepEqual(second.body.articles.map((a: Json) => a.id), politics.slice(20, 40));
    const again = await get('/api/v1/articles?desk=politics&limit=20');
    assert.equal(again.body.articles[0].id, id);
    assert.equal(again.body.articles[0].headline, 'Fresh news');
    await transition(db, boss, id, 'unpublish');
    assert.notEqual((await get('/api/v1/articles?desk=politics&limit=20')).body.articles[0].id, id);
    assert.equal((await get('/api/v1/articles/fresh-news')).status, 410);
  });

  test('filters: desk, tag, author, from/to, combined', async () => {
    assert.deepEqual((await walk('desk=sports')).flat(), sports);
    const third = (await walk('tag=third')).flat();
    assert.equal(third.length, 15);
    const bySam = (await walk('author=sam-sports', 100)).flat();
    assert.equal(bySam.length, 9 + 3);
    assert.deepEqual((await walk('author=sam-sports&desk=sports')).flat(), sports);
    assert.deepEqual((await walk('author=sam-sports&tag=third&desk=politics')).flat().length, 3, 'i = 0, 15, 30');
    // Match days were 10, 20 and 30 days before BASE.
    const day = (n: number) => new Date(BASE - n * 86_400_000).toISOString();
    assert.deepEqual((await walk(`desk=sports&from=${day(25)}&to=${day(15)}`)).flat(), [sports[1]]);
    assert.deepEqual((await walk(`desk=sports&from=${day(20)}`)).flat(), [sports[0], sports[1]], 'from is inclusive');
    assert.deepEqual((await walk(`desk=sports&to=${day(20)}`)).flat(), [sports[2]], 'to is exclusive');
    // A date is a whole day in the newsroom's zone (UTC here); `to` takes the day in.
    const date = day(20).slice(0, 10);
    assert.deepEqual((await walk(`desk=sports&from=${date}&to=${date}`)).flat(), [sports[1]]);
    assert.deepEqual((await walk(`from=${encodeURIComponent('2026-06-01T13:59:30+02:00')}`)).flat(), politics.slice(0, 1));
  });

  test('bad filters and cursors are 400 invalid_input, never a silent empty list', async () => {
    const cases: Array<[string, string | undefined]> = [
      ['desk=nowhere', 'desk'],
      ['author=nobody', 'author'],
      ['tag=hush', 'tag'], // only unpublished stories have it: as unknown as a tag that never existed
      ['cursor=not-a-cursor', 'cursor'],
      [`cursor=${Buffer.from('2026-06-01T12:00:00.000Z|0').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('yesterday|5').toString('base64url')}`, 'cursor'],
      ['cursor=' + 'a'.repeat(300), undefined],
      ['limit=0', undefined],
      ['limit=101', undefined],
      ['limit=ten', undefined],
      ['from=2026-02-30', 'from'],
      ['to=next-week', undefined],
      ['desk=Not%20A%20Slug', undefined],
      ['desks=politics', undefined], // a misspelt filter is refused, not ignored
    ];
    for (const [query, field] of cases) {
      const res = await get(`/api/v1/articles?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.error.code, 'invalid_input', query);
      assert.equal(typeof res.body.error.message, 'string');
      if (field) assert.ok(res.body.error.fields?.[field], `${query}: ${JSON.stringify(res.body)}`);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.headers.etag, undefined);
    }
    // A well-formed cursor past the end is simply the end.
    const end = await get(`/api/v1/articles?cursor=${encodeCursor({ publishedAt: '1999-01-01T00:00:00.000Z', id: 1 })}`);
    assert.deepEqual(end.body, { articles: [], nextCursor: null });
  });

  test('one story, whole: body, bylines with profiles, tags, desk, events; a former slug redirects', async () => {
    const db = t.db.kysely;
    const id = politics[3]!;
    const story = await loadArticle(db, id);
    const patId = (await db.selectFrom('people').select('id').where('slug', '=', 'pat-writer').executeTakeFirstOrThrow()).id;
    await transition(db, boss, id, 'correct', {
      note: 'An earlier version misnamed the minister.',
      content: { input: { headline: 'Bulk story renamed', slug: 'bulk-story-renamed', deskId: story!.desk.id, bodyHtml: '<p>Fixed <em>body</em>.</p>', tags: ['Bulk', 'Fixed'], bylineIds: [patId] }, baseVersion: story!.version },
    });
    const res = await get('/api/v1/articles/bulk-story-renamed');
    assert.equal(res.status, 200, res.raw);
    const a = res.body.article;
    assert.deepEqual(Object.keys(a).sort(), ['bodyHtml', 'bylines', 'desk', 'dek', 'events', 'excerpt', 'headline', 'id', 'kicker', 'language', 'leadImage', 'publishedAt', 'slug', 'tags', 'updatedAt', 'url'].sort());
    assert.equal(a.id, id);
    assert.equal(a.url, `${t.config.siteUrl}/politics/bulk-story-renamed`);
    assert.equal(a.bodyHtml, '<p>Fixed <em>body</em>.</p>');
    assert.deepEqual(a.tags.map((x: Json) => x.slug), ['bulk', 'fixed']);
    assert.equal(a.tags[1].url, `${t.config.siteUrl}/tag/fixed`);
    assert.deepEqual(a.bylines, [
      { slug: 'pat-writer', name: 'Pat Writer', kind: 'person', title: 'Journalist', bio: 'Covers parliament.', photoUrl: null, contacts: [{ kind: 'x', value: '@pat', href: 'https://x.com/pat' }], url: `${t.config.siteUrl}/author/pat-writer` },
    ]);
    assert.equal(a.events.length, 1);
    assert.equal(a.events[0].kind, 'correction');
    assert.equal(a.events[0].note, 'An earlier version misnamed the minister.');
    assert.ok(a.updatedAt);

    const moved = await t.app.inject({ method: 'GET', url: '/api/v1/articles/bulk-story-3' });
    assert.equal(moved.statusCode, 301);
    assert.equal(moved.headers.location, '/api/v1/articles/bulk-story-renamed');
    assert.equal(moved.headers['access-control-allow-origin'], '*');

    const unknown = await get('/api/v1/articles/no-such-story');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'not_found');
    const bad = await get('/api/v1/articles/Not_A_Slug');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_input');
  });

  test('a story with a slug in another script is found by it', async () => {
    const db = t.db.kysely;
    const deskId = (await db.selectFrom('desks').select('id').where('slug', '=', 'sports').executeTakeFirstOrThrow()).id;
    const { id } = await createStory(db, boss, { headline: 'آزادی ورزشگاه', deskId });
    await transition(db, boss, id, 'submit');
    await transition(db, boss, id, 'publish');
    const slug = (await loadArticle(db, id))!.slug;
    const res = await get(`/api/v1/articles/${encodeURIComponent(slug)}`);
    assert.equal(res.status, 200, res.raw);
    assert.equal(res.body.article.headline, 'آزادی ورزشگاه');
    await transition(db, boss, id, 'unpublish');
  });

  test('nothing unpublished appears anywhere: lists, filters, single reads, tags', async () => {
    for (const { label, slug, status } of hidden) {
      const res = await get(`/api/v1/articles/${slug}`);
      assert.equal(res.status, status, label);
      assert.equal(res.body.error.code, status === 410 ? 'gone' : 'not_found', label);
      assert.doesNotMatch(res.raw, /Secret/, label);
    }
    for (const query of ['', 'desk=politics', 'tag=bulk', 'author=pat-writer', 'author=sam-sports', `from=2000-01-01`]) {
      for (const page of await walk(query, 100)) {
        for (const id of page) assert.ok(politics.includes(id) || sports.includes(id), `${query}: ${id}`);
      }
    }
    const bulk = await get('/api/v1/tags/bulk');
    assert.equal(bulk.body.tag.articleCount, BULK, 'hidden stories are not counted');
    assert.equal((await get('/api/v1/tags/hush')).status, 404, 'a tag only unpublished stories have is unknown');
    const tags = await get('/api/v1/tags?limit=200');
    assert.ok(!tags.body.tags.some((x: Json) => x.slug === 'hush'));
    assert.doesNotMatch(JSON.stringify(seen), /Secret/);
  });

  test('desks, people and tags', async () => {
    const desks = await get('/api/v1/desks');
    assert.deepEqual(desks.body.desks.map((d: Json) => d.slug), ['politics', 'sports']);
    assert.deepEqual(desks.body.desks[0], {
      slug: 'politics',
      name: 'Politics',
      description: 'Government.',
      email: 'politics@paper.example',
      url: `${t.config.siteUrl}/politics`,
      contactUrl: `${t.config.siteUrl}/contact?desk=politics`,
      editors: [{ slug: 'pat-writer', name: 'Pat Writer', kind: 'person', url: `${t.config.siteUrl}/author/pat-writer` }],
    });
    assert.equal((await get('/api/v1/desks/sports')).body.desk.name, 'Sports');
    assert.equal((await get('/api/v1/desks/nowhere')).status, 404);

    const db = t.db.kysely;
    const sportsDesk = (await db.selectFrom('desks').select('id').where('slug', '=', 'sports').executeTakeFirstOrThrow()).id;
    await updateDesk(db, sportsDesk, { name: 'Sport', slug: 'sport' });
    const moved = await t.app.inject({ method: 'GET', url: '/api/v1/desks/sports' });
    assert.equal(moved.statusCode, 301);
    assert.equal(moved.headers.location, '/api/v1/desks/sport');
    assert.deepEqual((await walk('desk=sports')).flat(), sports, 'a former desk slug still filters');
    await updateDesk(db, sportsDesk, { name: 'Sports', slug: 'sports' });

    const people = await get('/api/v1/people');
    assert.deepEqual(people.body.people.map((p: Json) => p.slug), ['desk-team', 'pat-writer', 'sam-sports']);
    assert.deepEqual(Object.keys(people.body.people[0]).sort(), ['bio', 'contacts', 'kind', 'name', 'photoUrl', 'slug', 'title', 'url']);
    assert.deepEqual((await get('/api/v1/people?kind=collective')).body.people.map((p: Json) => p.slug), ['desk-team']);
    assert.equal((await get('/api/v1/people/sam-sports')).body.person.title, 'Analyst');
    assert.equal((await get('/api/v1/people/nobody')).status, 404);
    assert.equal((await get('/api/v1/people?kind=robot')).status, 400);

    const all = await get('/api/v1/tags');
    assert.deepEqual(all.body.tags.map((x: Json) => x.slug), ['bulk', 'fixed', 'football', 'third']);
    assert.deepEqual(all.body.tags.find((x: Json) => x.slug === 'third'), { slug: 'third', name: 'Third', url: `${t.config.siteUrl}/tag/third`, articleCount: 14 }, 'the corrected story left it');
    assert.equal(all.body.nextCursor, null);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(`/api/v1/tags?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      walked.push(...page.body.tags.map((x: Json) => x.slug));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(walked, ['bulk', 'fixed', 'football', 'third']);
    assert.equal((await get(`/api/v1/tags?cursor=${Buffer.from('Bad Slug!').toString('base64url')}`)).body.error.code, 'invalid_input');
    assert.equal((await get('/api/v1/tags?limit=201')).status, 400);
  });

  test('no newsroom-only field or account email in any answer', async () => {
    assert.ok(seen.length > 50, 'the earlier tests fed this one');
    const keys = keysDeep(seen);
    for (const k of NEWSROOM_KEYS) assert.ok(!keys.has(k), k);
    const text = JSON.stringify(seen);
    for (const email of userEmails) assert.ok(!text.includes(email), email);
  });

  test('the response schema drops a newsroom-only field a presenter might let through', async () => {
    const article = (await loadArticle(t.db.kysely, politics[0]!))!;
    assert.equal(article.status, 'published');
    const probe = Fastify();
    probe.get('/', { schema: { response: ArticleResponse } }, async () => ({
      // A careless presenter: every field of the newsroom's article, plus the public ones.
      article: { ...article, ...presentArticle({ siteUrl: 'https://x.example' }, article), createdBy: 1, embargoUntil: '2030-01-01T00:00:00.000Z' },
      extra: true,
    }));
    const body = (await probe.inject({ method: 'GET', url: '/' })).json() as Json;
    await probe.close();
    const keys = keysDeep(body);
    for (const k of NEWSROOM_KEYS) assert.ok(!keys.has(k), k);
    assert.ok(!('extra' in body));
    assert.equal(body.article.headline, article.headline);
  });

  test('ETag and 304; cache lifetimes on reads, no-store on errors', async () => {
    for (const url of ['/api/v1/articles', '/api/v1/articles/bulk-story-0', '/api/v1/desks', '/api/v1/people/pat-writer', '/api/v1/tags']) {
      const first = await get(url);
      assert.equal(first.status, 200, url);
      const etag = first.headers.etag as string;
      assert.match(etag, /^"[A-Za-z0-9_-]{32}"$/, url);
      assert.equal(first.headers['cache-control'], 'public, max-age=60, s-maxage=300, stale-while-revalidate=600');
      const again = await get(url);
      assert.equal(again.headers.etag, etag, `${url}: same bytes, same tag`);
      for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const cached = await t.app.inject({ method: 'GET', url, headers: { 'if-none-match': header } });
        assert.equal(cached.statusCode, 304, `${url} ${header}`);
        assert.equal(cached.body, '');
        assert.equal(cached.headers.etag, etag);
        assert.equal(cached.headers['cache-control'], 'public, max-age=60, s-maxage=300, stale-while-revalidate=600');
        assert.equal(cached.headers['content-length'], undefined);
      }
      assert.equal((await t.app.inject({ method: 'GET', url, headers: { 'if-none-match': '"stale"' } })).statusCode, 200);
      const head = await t.app.inject({ method: 'HEAD', url });
      assert.equal(head.statusCode, 200);
      assert.equal(head.headers.etag, etag, `${url}: HEAD`);
    }
    // A change makes a new tag.
    const before = await get('/api/v1/desks');
    const db = t.db.kysely;
    await db.updateTable('desks').set({ description: 'Government and parliament.' }).where('slug', '=', 'politics').execute();
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/desks', headers: { 'if-none-match': before.headers.etag as string } });
    assert.equal(after.statusCode, 200);
    assert.notEqual(after.headers.etag, before.headers.etag);

    const missing = await get('/api/v1/people/nobody');
    assert.equal(missing.headers['cache-control'], 'no-store');
    assert.equal(missing.headers.etag, undefined);
  });

  test('CORS on /api/v1 only; preflights answered', async () => {
    const origin = { origin: 'https://reader.example' };
    const read = await get('/api/v1/articles?limit=1', origin);
    assert.equal(read.headers['access-control-allow-origin'], '*');
    assert.match(read.headers['access-control-expose-headers'] as string, /ETag/);
    assert.equal(read.headers['access-control-allow-credentials'], undefined);
    assert.equal(read.headers['cross-origin-resource-policy'], 'cross-origin');
    const preflight = await t.app.inject({ method: 'OPTIONS', url: '/api/v1/articles', headers: { ...origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' } });
    assert.equal(preflight.statusCode, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], '*');
    assert.match(preflight.headers['access-control-allow-methods'] as string, /GET/);
    assert.match(preflight.headers['access-control-allow-headers'] as string, /If-None-Match/i);
    assert.equal(preflight.body, '');
    // Errors of the API are readable cross-origin too.
    assert.equal((await get('/api/v1/nowhere', origin)).headers['access-control-allow-origin'], '*');

    for (const url of ['/api/newsroom/v1/stories', '/', '/staff']) {
      const res = await t.app.inject({ method: 'GET', url, headers: origin });
      assert.equal(res.headers['access-control-allow-origin'], undefined, url);
      assert.notEqual(res.headers['cross-origin-resource-policy'], 'cross-origin', url);
      const pre = await t.app.inject({ method: 'OPTIONS', url, headers: { ...origin, 'access-control-request-method': 'POST' } });
      assert.equal(pre.headers['access-control-allow-origin'], undefined, `${url} preflight`);
      assert.notEqual(pre.statusCode, 204, `${url} preflight`);
    }
  });

  test('unknown addresses under /api/v1 are 404 JSON not_found', async () => {
    for (const url of ['/api/v1', '/api/v1/nowhere', '/api/v1/articles/a/b', '/api/v2/articles']) {
      const res = await get(url);
      assert.equal(res.status, 404, url);
      assert.equal(res.body.error.code, 'not_found', url);
      assert.match(res.headers['content-type'] as string, /application\/json/);
    }
    const post = await t.app.inject({ method: 'POST', url: '/api/v1/articles', payload: {} });
    assert.equal(post.statusCode, 404);
    assert.equal((post.json() as Json).error.code, 'not_found');
  });
});
