// The newsroom's story pages over HTTP, as browsers without JavaScript use them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, unescapeHtml, type TestApp } from '../helpers/app.ts';
import { Browser, makeUser } from '../auth/helpers.ts';
import { createDesk, setDeskEditors } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';

eachDatabase('newsroom story pages', (kind) => {
  let t: TestApp;
  let deskId: number;
  let writer: Browser;
  let editor: Browser;
  let writerPersonId: number;

  before(async () => {
    t = await startApp(kind);
    const db = t.db.kysely;
    deskId = (await createDesk(db, { name: 'Politics' })).id;
    const writerPerson = await createPerson(db, { name: 'Wanda Writer', title: 'Journalist' });
    const editorPerson = await createPerson(db, { name: 'Eddie Editor', title: 'Editor' });
    writerPersonId = writerPerson.id;
    await setDeskEditors(db, deskId, [editorPerson.id]);
    const w = await makeUser(db, { email: 'wanda@example.com', role: 'contributor' });
    const e = await makeUser(db, { email: 'eddie@example.com', role: 'desk_editor' });
    await db.updateTable('users').set({ person_id: writerPerson.id }).where('id', '=', w.id).execute();
    await db.updateTable('users').set({ person_id: editorPerson.id }).where('id', '=', e.id).execute();
    writer = new Browser(t.app, '10.0.0.1');
    editor = new Browser(t.app, '10.0.0.2');
    assert.equal((await writer.login('wanda@example.com')).statusCode, 303);
    assert.equal((await editor.login('eddie@example.com')).statusCode, 303);
  });
  after(() => t.close());

  const storyForm = (csrf: string, body: string, extra: Record<string, string> = {}) => ({
    _csrf: csrf,
    headline: 'Parliament passes the budget',
    kicker: 'Breaking',
    dek: 'After a long night of debate.',
    deskId: String(deskId),
    bodyHtml: body,
    tags: 'Budget, Parliament',
    language: 'en',
    ...extra,
  });
  const storyId = (location: string | undefined) => Number(/\/admin\/stories\/(\d+)/.exec(location ?? '')?.[1]);

  test('anonymous visitors are sent to the login page', async () => {
    const res = await new Browser(t.app, '10.0.0.9').get('/admin');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/login', 'the login page leads to /admin anyway');
  });

  test('a story from draft to correction through the forms', async () => {
    const dashboard = await writer.get('/admin');
    assert.equal(dashboard.statusCode, 200);
    assert.match(dashboard.body, /My drafts/);
    assert.equal(dashboard.headers['cache-control'], 'no-store');

    const created = await writer.post('/admin/stories', storyForm(await writer.csrf('/admin/stories/new'), '<p>The budget passed with a <strong>narrow</strong> majority. <a href="https://example.com/vote">Full vote</a>.</p><blockquote><p>“A fair budget,” the speaker said.</p></blockquote>'));
    assert.equal(created.statusCode, 303);
    const id = storyId(created.headers.location);
    const page = await writer.get(created.headers.location as string);
    assert.match(page.body, /Draft created/);
    assert.match(page.body, /Submit for review/);
    assert.doesNotMatch(page.body, />Approve</, 'a writer sees no approve button');

    assert.equal((await writer.post(`/admin/stories/${id}/submit`, { _csrf: await writer.csrf(`/admin/stories/${id}`) })).statusCode, 303);
    const queue = await editor.get('/admin');
    assert.match(unescapeHtml(queue.body), /Review queue[^]*Parliament passes the budget/);

    const noNote = await editor.post(`/admin/stories/${id}/request-changes`, { _csrf: await editor.csrf(`/admin/stories/${id}`), note: '' });
    assert.equal(noNote.statusCode, 400);
    assert.match(noNote.body, /Tell the writer what to change/);
    assert.equal((await editor.post(`/admin/stories/${id}/request-changes`, { _csrf: await editor.csrf(`/admin/stories/${id}`), note: 'Add the vote count.' })).statusCode, 303);
    assert.match(unescapeHtml((await writer.get('/admin')).body), /Changes requested of me[^]*Parliament passes the budget/);

    const revised = await writer.post(`/admin/stories/${id}`, storyForm(await writer.csrf(`/admin/stories/${id}`), '<p>The budget passed by 150 votes to 90.</p>', { baseVersion: '1', bylineIds: String(writerPersonId), seoTitle: 'Budget passes 150–90', seoDescription: 'How every party voted on the budget.' }));
    assert.equal(revised.statusCode, 303);
    await writer.post(`/admin/stories/${id}/submit`, { _csrf: await writer.csrf(`/admin/stories/${id}`) });
    assert.equal((await writer.post(`/admin/stories/${id}/approve`, { _csrf: await writer.csrf(`/admin/stories/${id}`) })).statusCode, 403);
    await editor.post(`/admin/stories/${id}/approve`, { _csrf: await editor.csrf(`/admin/stories/${id}`) });
    await editor.post(`/admin/stories/${id}/publish`, { _csrf: await editor.csrf(`/admin/stories/${id}`) });

    const publicPage = await t.app.inject({ method: 'GET', url: '/politics/parliament-passes-the-budget' });
    assert.equal(publicPage.statusCode, 200);
    assert.match(publicPage.body, /<title>Budget passes 150–90 – /, 'the SEO title serves search engines');
    assert.match(publicPage.body, /<meta name="description" content="How every party voted on the budget\."/);
    assert.match(publicPage.body, /<h1>Parliament passes the budget<\/h1>/, 'readers still see the headline');
    assert.match(publicPage.body, /150 votes to 90/);
    assert.match(publicPage.body, /Wanda Writer/);

    const corrected = await editor.post(
      `/admin/stories/${id}/correct`,
      storyForm(await editor.csrf(`/admin/stories/${id}`), '<p>The budget passed by 151 votes to 90.</p>', { baseVersion: '2', bylineIds: String(writerPersonId), seoTitle: 'Budget passes 150–90', seoDescription: 'How every party voted on the budget.', note: 'An earlier version gave the wrong vote count.' }),
    );
    assert.equal(corrected.statusCode, 303, corrected.body.slice(0, 300));
    const after = await t.app.inject({ method: 'GET', url: '/politics/parliament-passes-the-budget' });
    assert.match(after.body, /151 votes to 90/);
    assert.match(after.body, /Correction<\/strong> <time[^>]*>[^<]+<\/time>: An earlier version gave the wrong vote count\./);

    const history = await editor.get(`/admin/stories/${id}/history?from=2&to=3`);
    for (const step of ['Created', 'Submitted for review', 'Requested changes', 'Saved', 'Approved', 'Published', 'Published a correction']) assert.match(history.body, new RegExp(step));
    assert.match(history.body, /Add the vote count\./);
    assert.match(history.body, /<del>150<\/del>|<del>150 <\/del>/);
    assert.match(history.body, /<ins>151<\/ins>|<ins>151 <\/ins>/);
  });

  test('an action the workflow does not know is a 404 page, even one named like an object property', async () => {
    const created = await writer.post('/admin/stories', storyForm(await writer.csrf('/admin/stories/new'), '<p>Unknown actions.</p>', { headline: 'Unknown actions' }));
    const id = storyId(created.headers.location);
    for (const action of ['constructor', 'toString', '__proto__', 'frobnicate']) {
      const res = await editor.post(`/admin/stories/${id}/${action}`, { _csrf: await editor.csrf(`/admin/stories/${id}`) });
      assert.equal(res.statusCode, 404, action);
      assert.match(res.body, /<html/, `${action}: a page, not a stack trace`);
      assert.doesNotMatch(res.body, /TypeError|at .*\.ts:\d+/, action);
    }
  });

  test('two editors saving the same version: the second sees both texts and loses nothing', async () => {
    const created = await editor.post('/admin/stories', storyForm(await editor.csrf('/admin/stories/new'), '<p>First text.</p>', { headline: 'Shared story' }));
    const id = storyId(created.headers.location);
    const other = new Browser(t.app, '10.0.0.3');
    await other.login('eddie@example.com');
    const csrfA = await editor.csrf(`/admin/stories/${id}`);
    const csrfB = await other.csrf(`/admin/stories/${id}`);
    assert.equal((await editor.post(`/admin/stories/${id}`, storyForm(csrfA, '<p>Text from tab A.</p>', { headline: 'Shared story', baseVersion: '1' }))).statusCode, 303);
    const refused = await other.post(`/admin/stories/${id}`, storyForm(csrfB, '<p>Text from tab B.</p>', { headline: 'Shared story', baseVersion: '1' }));
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Someone else saved this story/);
    assert.match(refused.body, /Text from tab A\./, 'their version shown');
    assert.match(refused.body, /&lt;p>Text from tab B\.&lt;\/p>|Text from tab B\./, 'my text kept in the form');
    assert.match(refused.body, /name="baseVersion" value="2"/, 'saving again is a deliberate choice over version 2');
  });

  test('preview shows the public page with a banner, never cached or indexed; others cannot open the story', async () => {
    const created = await writer.post('/admin/stories', storyForm(await writer.csrf('/admin/stories/new'), '<p>Preview me.</p>', { headline: 'Preview story' }));
    const id = storyId(created.headers.location);
    const preview = await writer.get(`/admin/stories/${id}/preview`);
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /Preview of version 1/);
    assert.match(preview.body, /<h1>Preview story<\/h1>/);
    assert.equal(preview.headers['cache-control'], 'no-store');
    assert.match(preview.headers['x-robots-tag'] as string, /noindex/);
    assert.equal((await t.app.inject({ method: 'GET', url: '/politics/preview-story' })).statusCode, 404, 'still invisible to readers');
    const stranger = new Browser(t.app, '10.0.0.4');
    await makeUser(t.db.kysely, { email: 'stranger@example.com', role: 'contributor' });
    await stranger.login('stranger@example.com');
    assert.equal((await stranger.get(`/admin/stories/${id}`)).statusCode, 403);
    assert.equal((await stranger.get(`/admin/stories/${id}/preview`)).statusCode, 403);
  });

  test('a story opened by one editor shows who has it to the next, who may take over', async () => {
    const created = await editor.post('/admin/stories', storyForm(await editor.csrf('/admin/stories/new'), '<p>Locked.</p>', { headline: 'Locked story' }));
    const id = storyId(created.headers.location);
    await editor.get(`/admin/stories/${id}`);
    const second = new Browser(t.app, '10.0.0.5');
    await makeUser(t.db.kysely, { email: 'boss@example.com', role: 'managing_editor' });
    await second.login('boss@example.com');
    const page = await second.get(`/admin/stories/${id}`);
    assert.match(page.body, /eddie@example\.com has had this story open since/);
    const takeover = await second.post(`/admin/stories/${id}/takeover`, { _csrf: page.body.match(/name="_csrf" value="([^"]+)"/)![1]! });
    assert.equal(takeover.statusCode, 303);
    assert.match((await editor.get(`/admin/stories/${id}`)).body, /boss@example\.com has had this story open/);
  });
});

eachDatabase('long stories', (kind) => {
  test('a 300 KB body saves through the plain form and through the API', async () => {
    const t = await startApp(kind);
    try {
      const desk = await createDesk(t.db.kysely, { name: 'Long reads' });
      await makeUser(t.db.kysely, { email: 'long@example.com', role: 'managing_editor' });
      const b = new Browser(t.app, '10.2.0.1');
      await b.login('long@example.com');
      const body = `<p>${'A long paragraph of reporting. '.repeat(10_000)}</p>`;
      const res = await b.post('/admin/stories', { _csrf: await b.csrf('/admin/stories/new'), headline: 'A very long read', deskId: String(desk.id), bodyHtml: body, language: 'en' });
      assert.equal(res.statusCode, 303, res.body.slice(0, 200));
      const stored = await t.db.kysely.selectFrom('articles').select('body_html').where('slug', '=', 'a-very-long-read').executeTakeFirstOrThrow();
      assert.ok(stored.body_html.length > 300_000);
    } finally {
      await t.close();
    }
  });
});
