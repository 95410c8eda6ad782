// The workflow through the newsroom JSON API, authenticated by API tokens, on the real app.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import { createDesk, setDeskEditors } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';
import { createUser, type Role } from '../../src/newsroom/users.ts';
import { createApiToken } from '../../src/newsroom/auth/tokens.ts';
import { XMLParser } from 'fast-xml-parser';

type Who = 'writer' | 'otherWriter' | 'editorA' | 'managing' | 'admin';

eachDatabase('newsroom API', (kind) => {
  let t: TestApp;
  const tokens = {} as Record<Who, string>;
  let deskA: number;
  let deskB: number;

  before(async () => {
    t = await startApp(kind);
    const db = t.db.kysely;
    deskA = (await createDesk(db, { name: 'Politics' })).id;
    deskB = (await createDesk(db, { name: 'Sports' })).id;
    const people: Record<Who, [string, Role]> = {
      writer: ['Wendy Writer', 'contributor'],
      otherWriter: ['Otto Other', 'contributor'],
      editorA: ['Edith Editor', 'desk_editor'],
      managing: ['Max Managing', 'managing_editor'],
      admin: ['Ada Admin', 'admin'],
    };
    for (const [who, [name, role]] of Object.entries(people) as Array<[Who, [string, Role]]>) {
      const person = await createPerson(db, { name });
      const user = await createUser(db, { email: `${person.slug}@example.com`, role, personId: person.id });
      tokens[who] = (await createApiToken(db, user.id, 'tests')).secret;
      if (who === 'editorA') await setDeskEditors(db, deskA, [person.id]);
    }
  });
  after(() => t.close());

  const call = async (who: Who | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
    const res = await t.app.inject({
      method,
      url: `/api/newsroom/v1${url}`,
      headers: who ? { authorization: `Bearer ${tokens[who]}` } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.json() as Record<string, any>, headers: res.headers }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  test('anonymous requests get 401 JSON with a stable code', async () => {
    const res = await call(null, 'GET', '/stories');
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'unauthenticated');
  });

  test('a story walks from draft to correction through the API, and readers see it', async () => {
    const created = await call('writer', 'POST', '/stories', { headline: 'Cabinet meets on fuel prices', deskId: deskA, bodyHtml: '<p>The cabinet met <strong>today</strong>.</p>', tags: ['Fuel'] });
    assert.equal(created.status, 201);
    const id = created.body.story.id as number;
    assert.equal(created.body.story.status, 'draft');
    assert.deepEqual(created.body.story.bylines.map((b: { name: string }) => b.name), ['Wendy Writer']);
    assert.equal((await call('writer', 'POST', `/stories/${id}/submit`)).body.story.status, 'submitted');

    const noNote = await call('editorA', 'POST', `/stories/${id}/request-changes`, {});
    assert.equal(noNote.status, 400);
    assert.equal(noNote.body.error.code, 'invalid_input');
    assert.ok(noNote.body.error.fields.note);
    assert.equal((await call('editorA', 'POST', `/stories/${id}/request-changes`, { note: 'Quote the minister.' })).body.story.status, 'changes_requested');

    const saved = await call('writer', 'PUT', `/stories/${id}`, { baseVersion: 1, story: { headline: 'Cabinet meets on fuel prices', deskId: deskA, bodyHtml: '<p>The cabinet met today. “We will act,” the minister said.</p>', tags: ['Fuel'] } });
    assert.equal(saved.status, 200);
    assert.equal(saved.body.story.version, 2);
    await call('writer', 'POST', `/stories/${id}/submit`);
    assert.equal((await call('writer', 'POST', `/stories/${id}/approve`)).status, 403, 'a writer cannot approve');
    assert.equal((await call('editorA', 'POST', `/stories/${id}/approve`)).body.story.status, 'approved');
    assert.equal((await call('editorA', 'POST', `/stories/${id}/publish`)).body.story.status, 'published');

    const page = await t.app.inject({ method: 'GET', url: '/politics/cabinet-meets-on-fuel-prices' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /We will act/);
    assert.match((await t.app.inject({ method: 'GET', url: '/' })).body, /Cabinet meets on fuel prices/);

    const corrected = await call('editorA', 'POST', `/stories/${id}/correct`, {
      note: 'An earlier version misquoted the minister.',
      baseVersion: 2,
      story: { headline: 'Cabinet meets on fuel prices', deskId: deskA, bodyHtml: '<p>The cabinet met today. “We shall act,” the minister said.</p>', tags: ['Fuel'] },
    });
    assert.equal(corrected.status, 200, JSON.stringify(corrected.body));
    assert.equal(corrected.body.story.version, 3);
    assert.ok(corrected.body.story.updatedAt);

    const correctedPage = await t.app.inject({ method: 'GET', url: '/politics/cabinet-meets-on-fuel-prices' });
    assert.match(correctedPage.body, /We shall act/);
    assert.match(correctedPage.body, /<strong>Correction<\/strong> <time datetime="[^"]+">[^<]+<\/time>: An earlier version misquoted the minister\./);
    const corrections = await t.app.inject({ method: 'GET', url: '/corrections' });
    assert.equal(corrections.statusCode, 200);
    assert.match(corrections.body, /An earlier version misquoted the minister\./);
    assert.match(corrections.body, /href="\/politics\/cabinet-meets-on-fuel-prices"/);

    const rss = await t.app.inject({ method: 'GET', url: '/corrections/feed.xml' });
    assert.match(rss.headers['content-type'] as string, /application\/rss\+xml/);
    const channel = new XMLParser().parse(rss.body).rss.channel;
    const item = Array.isArray(channel.item) ? channel.item[0] : channel.item;
    assert.equal(item.title, 'Correction: Cabinet meets on fuel prices');
    assert.equal(item.link, 'http://127.0.0.1:3000/politics/cabinet-meets-on-fuel-prices');
    assert.equal(item.description, 'An earlier version misquoted the minister.');
    const atom = new XMLParser().parse((await t.app.inject({ method: 'GET', url: '/corrections/feed.atom' })).body).feed;
    assert.match(JSON.stringify(atom.entry), /Correction: Cabinet meets on fuel prices/);
    const json = (await t.app.inject({ method: 'GET', url: '/corrections/feed.json' })).json() as { items: Array<{ title: string; url: string }> };
    assert.equal(json.items[0]?.url, 'http://127.0.0.1:3000/politics/cabinet-meets-on-fuel-prices');
    assert.match(corrections.body, /<link rel="alternate" type="application\/rss\+xml" title="[^"]+" href="\/corrections\/feed\.xml"/);

    const history = await call('writer', 'GET', `/stories/${id}/history`);
    assert.deepEqual(history.body.history.map((h: { action: string }) => h.action), ['create', 'submit', 'request_changes', 'save', 'submit', 'approve', 'publish', 'correct']);
    assert.equal(history.body.history[2].note, 'Quote the minister.');
    const diff = await call('editorA', 'GET', `/stories/${id}/diff?from=2&to=3`);
    const bodyDiff = diff.body.fields.find((f: { field: string }) => f.field === 'Body');
    assert.ok(bodyDiff.changed);
    assert.deepEqual(bodyDiff.parts.filter((p: { kind: string }) => p.kind !== 'same').map((p: { kind: string; text: string }) => [p.kind, p.text]), [['removed', 'will'], ['added', 'shall']]);
    assert.equal((await call('otherWriter', 'GET', `/stories/${id}/history`)).status, 403, 'another writer cannot read it');
  });

  test('two saves of the same version: the second gets 409 with both texts, nothing is overwritten', async () => {
    const { body } = await call('managing', 'POST', '/stories', { headline: 'Shared draft', deskId: deskB, bodyHtml: '<p>Start.</p>' });
    const id = body.story.id as number;
    const first = await call('managing', 'PUT', `/stories/${id}`, { baseVersion: 1, story: { headline: 'Shared draft', deskId: deskB, bodyHtml: '<p>First editor.</p>' } });
    assert.equal(first.status, 200);
    const second = await call('admin', 'PUT', `/stories/${id}`, { baseVersion: 1, story: { headline: 'Shared draft', deskId: deskB, bodyHtml: '<p>Second editor.</p>' } });
    assert.equal(second.status, 409);
    assert.equal(second.body.error.code, 'conflict');
    assert.equal(second.body.error.details.yours.bodyHtml, '<p>Second editor.</p>');
    assert.equal(second.body.error.details.theirs.bodyHtml, '<p>First editor.</p>');
    assert.equal((await call('admin', 'GET', `/stories/${id}`)).body.story.bodyHtml, '<p>First editor.</p>');
  });

  test('the permission matrix holds through the API', async () => {
    const writerStory = async (desk: number) => (await call('writer', 'POST', '/stories', { headline: `Matrix ${Math.random()}`, deskId: desk })).body.story.id as number;
    const cases: Array<[Who, string, number, number]> = [];
    // [who, action, desk, expected status] on a submitted story of the writer's
    for (const who of ['writer', 'otherWriter', 'editorA', 'managing', 'admin'] as Who[]) {
      for (const [desk, deskName] of [[deskA, 'A'], [deskB, 'B']] as Array<[number, string]>) {
        const editorial = who === 'managing' || who === 'admin' || (who === 'editorA' && deskName === 'A');
        cases.push([who, 'approve', desk, editorial ? 200 : 403]);
        cases.push([who, 'request-changes', desk, editorial ? 200 : 403]);
        cases.push([who, 'publish', desk, editorial ? 200 : 403]);
      }
    }
    for (const [who, action, desk, expected] of cases) {
      const id = await writerStory(desk);
      await call('writer', 'POST', `/stories/${id}/submit`);
      const res = await call(who, 'POST', `/stories/${id}/${action}`, { note: 'n' });
      assert.equal(res.status, expected, `${who} ${action} on desk ${desk}`);
      if (expected === 403) assert.equal(res.body.error.code, 'forbidden');
    }
    const id = await writerStory(deskB);
    assert.equal((await call('otherWriter', 'GET', `/stories/${id}`)).status, 403);
    assert.equal((await call('editorA', 'GET', `/stories/${id}`)).status, 403, 'not an editor of that desk');
    assert.equal((await call('managing', 'GET', `/stories/${id}`)).status, 200);
    const mine = await call('writer', 'GET', '/stories?mine=true&limit=200');
    assert.ok(mine.body.stories.every((s: { headline: string }) => s.headline.startsWith('Matrix') || s.headline.startsWith('Cabinet')));
    const editorList = await call('editorA', 'GET', '/stories?limit=200');
    assert.ok(editorList.body.stories.every((s: { deskId: number }) => s.deskId === deskA));
  });

  test('bad input gets JSON errors, never a 500', async () => {
    assert.equal((await call('writer', 'POST', '/stories', { headline: 5 })).status, 400);
    assert.equal((await call('writer', 'POST', '/stories', { headline: 'x', deskId: 9999 })).body.error.code, 'invalid_input');
    assert.equal((await call('writer', 'GET', '/stories/abc')).status, 400);
    assert.equal((await call('writer', 'GET', '/stories/999999')).status, 404);
    assert.equal((await call('writer', 'POST', '/stories/1/frobnicate')).status, 400);
    assert.equal((await call('writer', 'GET', '/stories?status=bogus')).status, 400);
    const schedulePast = await call('managing', 'POST', '/stories', { headline: 'Past schedule', deskId: deskB });
    await call('managing', 'POST', `/stories/${schedulePast.body.story.id}/submit`);
    const res = await call('managing', 'POST', `/stories/${schedulePast.body.story.id}/schedule`, { at: '2001-01-01T00:00:00Z' });
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /future/);
  });
});
