import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';
import { createUser, type Role } from '../../src/newsroom/users.ts';
import { createApiToken } from '../../src/newsroom/auth/tokens.ts';
import { createArticle } from '../../src/newsroom/articles/commands.ts';
import { currentBreaking, setBreaking } from '../../src/newsroom/frontpage.ts';
import { openStory } from '../../src/newsroom/workflow/locks.ts';

type Who = 'writer' | 'editor' | 'managing';

eachDatabase('curation and soft locks', (kind) => {
  let t: TestApp;
  const tokens = {} as Record<Who, string>;
  const users = {} as Record<Who, { userId: number; role: Role; personId: number }>;
  let deskId: number;
  const ids: number[] = [];

  before(async () => {
    t = await startApp(kind);
    const db = t.db.kysely;
    deskId = (await createDesk(db, { name: 'World' })).id;
    for (const [who, role] of [['writer', 'contributor'], ['editor', 'managing_editor'], ['managing', 'managing_editor']] as Array<[Who, Role]>) {
      const person = await createPerson(db, { name: `${who} person` });
      const user = await createUser(db, { email: `${who}@example.com`, role, personId: person.id });
      users[who] = { userId: user.id, role, personId: person.id };
      tokens[who] = (await createApiToken(db, user.id, 'tests')).secret;
    }
    for (const [i, minutes] of [10, 20, 30, 40, 50, 60, 70].entries()) {
      ids.push(await createArticle(db, { headline: `World story ${i}`, deskId, bodyHtml: `<p>Story ${i}.</p>` }, { status: 'published', publishedAt: new Date(Date.now() - minutes * 60_000) }));
    }
  });
  after(() => t.close());

  const call = async (who: Who, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => {
    const res = await t.app.inject({ method, url: `/api/newsroom/v1${url}`, headers: { authorization: `Bearer ${tokens[who]}` }, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.body ? (res.json() as Record<string, any>) : {} }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  test('managing editors choose the lead and top stories; the home page follows', async () => {
    assert.equal((await call('writer', 'PUT', '/front-page', { articleIds: [ids[6]!] })).status, 403);
    const draft = await createArticle(t.db.kysely, { headline: 'Unready draft', deskId }, { status: 'draft' });
    const bad = await call('managing', 'PUT', '/front-page', { articleIds: [draft] });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /Only published stories/);

    assert.deepEqual((await call('managing', 'PUT', '/front-page', { articleIds: [ids[6]!, ids[5]!] })).body.articleIds, [ids[6], ids[5]]);
    const home = (await t.app.inject({ method: 'GET', url: '/' })).body;
    const lead = home.slice(home.indexOf('class="teaser lead"'));
    assert.match(lead, /^class="teaser lead"[^]*?World story 6/, 'the curated story leads');
    const topStart = home.indexOf('id="top-stories"');
    const top = home.slice(topStart, home.indexOf('</section>', topStart));
    assert.ok(top.indexOf('World story 5') < top.indexOf('World story 0'), 'then the second choice, then the latest');
    assert.deepEqual((await call('editor', 'GET', '/front-page')).body.articleIds, [ids[6], ids[5]]);
  });

  test('the breaking-news banner shows on every page until cleared or expired', async () => {
    assert.equal((await call('writer', 'PUT', '/breaking', { headline: 'Nope', expiresAt: new Date(Date.now() + 60_000).toISOString() })).status, 403);
    const set = await call('managing', 'PUT', '/breaking', { headline: 'Earthquake hits the south', url: `/world/world-story-0`, expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    assert.equal(set.status, 200);
    for (const url of ['/', '/world', '/world/world-story-1', '/staff']) {
      const page = (await t.app.inject({ method: 'GET', url })).body;
      assert.match(page, /<section class="breaking" aria-label="Breaking news"><p class="wrap"><strong>Breaking<\/strong> <a href="\/world\/world-story-0">Earthquake hits the south<\/a>/, url);
    }
    assert.equal((await call('managing', 'DELETE', '/breaking')).status, 204);
    assert.doesNotMatch((await t.app.inject({ method: 'GET', url: '/' })).body, /Earthquake/);

    const managing = { ...users.managing, email: 'managing@example.com' };
    await setBreaking(t.db.kysely, managing, { headline: 'Short-lived', expiresAt: new Date(Date.now() + 60_000) });
    assert.equal((await currentBreaking(t.db.kysely))?.headline, 'Short-lived');
    assert.equal(await currentBreaking(t.db.kysely, new Date(Date.now() + 120_000)), undefined, 'expired banners vanish');
    const past = await call('managing', 'PUT', '/breaking', { headline: 'Old', expiresAt: '2001-01-01T00:00:00Z' });
    assert.equal(past.status, 400);
  });

  test('who has a story open is visible; a second editor may take over; stale locks lapse', async () => {
    const story = ids[0]!;
    assert.deepEqual((await call('editor', 'POST', `/stories/${story}/lock`)).body.lock, { mine: true, heldBy: null });
    const second = (await call('managing', 'POST', `/stories/${story}/lock`, {})).body.lock;
    assert.equal(second.mine, false);
    assert.equal(second.heldBy.email, 'editor@example.com');
    assert.equal((await call('managing', 'POST', `/stories/${story}/lock`, { takeover: true })).body.lock.mine, true);
    assert.equal((await call('editor', 'POST', `/stories/${story}/lock`)).body.lock.heldBy.email, 'managing@example.com');
    const later = new Date(Date.now() + 3 * 60_000);
    const lapsed = await openStory(t.db.kysely, { ...users.editor }, story, {}, later);
    assert.deepEqual(lapsed, { mine: true, heldBy: null }, 'an editor gone quiet for two minutes no longer holds it');
    assert.equal((await call('writer', 'POST', `/stories/${story}/lock`)).status, 403, 'only people who may open the story');
    assert.equal((await call('managing', 'DELETE', `/stories/${story}/lock`)).status, 204);
  });
});
