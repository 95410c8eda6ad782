// GET /api/v1/search through the real app on both databases: only published stories are found,
// the list's filters apply, pages are numbered, and matches come back marked as data, not HTML.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';
import { createUser } from '../../src/newsroom/users.ts';
import { createStory, transition } from '../../src/newsroom/workflow/commands.ts';
import type { Actor } from '../../src/newsroom/workflow/policy.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = Record<string, any>;

const BASE = Date.parse('2026-06-01T12:00:00.000Z');
const NEWSROOM_KEYS = ['status', 'version', 'embargoUntil', 'embargo_until', 'createdBy', 'created_by', 'modifiedAt', 'createdAt', 'role', 'userId'];

eachDatabase('public content API: search', (kind) => {
  let t: TestApp;
  let boss: Actor;
  const bodies: Json[] = [];

  before(async () => {
    t = await startApp(kind);
    const db = t.db.kysely;
    const politics = await createDesk(db, { name: 'Politics' });
    const economy = await createDesk(db, { name: 'Economy' });
    const pat = await createPerson(db, { name: 'Pat Writer' });
    const sam = await createPerson(db, { name: 'Sam Sums' });
    const user = await createUser(db, { email: 'boss.hidden@newsroom.example', role: 'managing_editor', personId: pat.id });
    boss = { userId: user.id, role: 'managing_editor', personId: pat.id };
    const publish = async (headline: string, deskId: number, at: Date, bylineIds = [pat.id]) => {
      const { id } = await createStory(db, boss, { headline, deskId, bodyHtml: `<p>${headline}. The <b>fuel</b> subsidy debate goes on.</p>`, bylineIds }, at);
      await transition(db, boss, id, 'submit', {}, at);
      await transition(db, boss, id, 'publish', {}, at);
      return id;
    };
    for (let i = 0; i < 25; i++) await publish(`Fuel prices report ${i}`, i < 20 ? politics.id : economy.id, new Date(BASE - i * 3_600_000), i % 2 ? [sam.id] : [pat.id]);
    const hide = async (label: string, steps: Array<Parameters<typeof transition>[3]>, options: Parameters<typeof transition>[4] = {}) => {
      const { id } = await createStory(db, boss, { headline: `Secret fuel ${label}`, slug: `secret-fuel-${label}`, deskId: politics.id, bodyHtml: '<p>Secret fuel text.</p>' });
      for (const step of steps) await transition(db, boss, id, step, options);
    };
    await hide('draft', []);
    await hide('submitted', ['submit']);
    await hide('scheduled', ['submit', 'schedule'], { at: new Date(Date.now() + 3_600_000) });
    await hide('embargoed', ['submit', 'publish'], { embargoUntil: new Date(Date.now() + 3_600_000) });
    await hide('unpublished', ['submit', 'publish', 'unpublish']);
  });
  after(() => t.close());

  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await t.app.inject({ method: 'GET', url, headers });
    const body = res.body ? (res.json() as Json) : {};
    if (res.statusCode === 200) bodies.push(body);
    return { status: res.statusCode, body, headers: res.headers };
  };

  const all = async (query: string) => {
    const ids: number[] = [];
    let page: number | null = 1;
    while (page) {
      const res = await get(`/api/v1/search?${query}&limit=10&page=${page}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      ids.push(...res.body.results.map((r: Json) => r.article.id));
      page = res.body.nextPage;
    }
    return ids;
  };

  test('finds published stories only, in pages, with the words marked', async () => {
    const first = await get('/api/v1/search?q=fuel&limit=10');
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.query, { text: 'fuel', truncated: false, problem: null });
    assert.equal(first.body.page, 1);
    assert.equal(first.body.nextPage, 2);
    const [hit] = first.body.results;
    assert.deepEqual(Object.keys(hit).sort(), ['article', 'headline', 'snippet']);
    assert.deepEqual(hit.headline[0], { text: 'Fuel', mark: true });
    assert.ok(hit.snippet.some((s: Json) => s.mark));
    assert.ok(!JSON.stringify(hit.snippet).includes('<b>'), 'segments are text, not HTML');
    assert.equal(hit.article.url, `${t.config.siteUrl}/${hit.article.desk.slug}/${hit.article.slug}`);
    const ids = await all('q=fuel');
    assert.equal(ids.length, 25);
    assert.equal(new Set(ids).size, 25);
    assert.doesNotMatch(JSON.stringify(bodies), /Secret/);
  });

  test('filters by desk, author and time', async () => {
    assert.equal((await all('q=fuel&desk=economy')).length, 5);
    assert.equal((await all('q=fuel&author=sam-sums')).length, 12);
    const from = new Date(BASE - 2.5 * 3_600_000).toISOString();
    assert.equal((await all(`q=fuel&from=${from}`)).length, 3);
    assert.equal((await get('/api/v1/search?q=fuel&desk=nowhere')).body.error.fields.desk, 'There is no desk "nowhere".');
  });

  test('bad input is 400 invalid_input; a query with nothing to search for says why', async () => {
    for (const url of ['/api/v1/search', '/api/v1/search?q=', '/api/v1/search?q=fuel&page=51', '/api/v1/search?q=fuel&limit=0', '/api/v1/search?q=fuel&tag=x']) {
      const res = await get(url);
      assert.equal(res.status, 400, url);
      assert.equal(res.body.error.code, 'invalid_input', url);
    }
    const common = await get('/api/v1/search?q=the');
    assert.equal(common.status, 200);
    assert.equal(common.body.query.problem, 'common');
    assert.deepEqual(common.body.results, []);
    assert.equal(common.body.nextPage, null);
  });

  test('cached and open like the rest of /api/v1; no newsroom field', async () => {
    const res = await get('/api/v1/search?q=fuel', { origin: 'https://reader.example' });
    assert.equal(res.headers['access-control-allow-origin'], '*');
    const cached = await t.app.inject({ method: 'GET', url: '/api/v1/search?q=fuel', headers: { 'if-none-match': res.headers.etag as string } });
    assert.equal(cached.statusCode, 304);
    const text = JSON.stringify(bodies);
    for (const key of NEWSROOM_KEYS) assert.ok(!text.includes(`"${key}":`), key);
    assert.ok(!text.includes('boss.hidden@newsroom.example'));
  });
});
