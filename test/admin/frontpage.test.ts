// Front-page curation and the breaking-news banner over HTTP: the buttons (the keyboard and
// no-JavaScript way) and the order form the drag-and-drop script sends; what readers see on `/`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, unescapeHtml, type TestApp } from '../helpers/app.ts';
import { Browser, makeUser, type Injected } from '../auth/helpers.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { createArticle } from '../../src/newsroom/articles/commands.ts';
import { curatedIds } from '../../src/newsroom/frontpage.ts';
import { toLocalDateTime } from '../../src/newsroom/time.ts';

async function postPairs(browser: Browser, url: string, pairs: Array<[string, string]>): Promise<Injected> {
  return browser.app.inject({
    method: 'POST',
    url,
    remoteAddress: browser.remoteAddress,
    headers: { cookie: browser.header(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(pairs).toString(),
  });
}

eachDatabase('front-page curation pages', (kind) => {
  let t: TestApp;
  let managing: Browser;
  const ids: number[] = [];
  let deskId: number;

  before(async () => {
    t = await startApp(kind);
    const db = t.db.kysely;
    deskId = (await createDesk(db, { name: 'World' })).id;
    for (let i = 0; i < 7; i++) {
      ids.push(await createArticle(db, { headline: `World story ${i}`, deskId, bodyHtml: `<p>Story ${i}.</p>` }, { status: 'published', publishedAt: new Date(Date.now() - (70 - i * 10) * 60_000) }));
    }
    await makeUser(db, { email: 'boss@example.com', role: 'managing_editor' });
    managing = new Browser(t.app, '10.2.0.1');
    assert.equal((await managing.login('boss@example.com')).statusCode, 303);
  });
  after(() => t.close());

  /** The lead story's headline and the top stories' headlines, as readers see them on `/`. */
  async function home(): Promise<{ lead: string; top: string[]; html: string }> {
    const html = unescapeHtml((await t.app.inject({ method: 'GET', url: '/' })).body);
    const leadAt = html.indexOf('class="teaser lead"');
    const lead = /World story \d/.exec(html.slice(leadAt))?.[0] ?? '';
    const topAt = html.indexOf('id="top-stories"');
    const top = html.slice(topAt, html.indexOf('</section>', topAt)).match(/World story \d/g) ?? [];
    return { lead, top: [...new Set(top)], html };
  }

  const token = async () => managing.csrf('/admin/front-page');
  const act = async (id: number, action: 'up' | 'down' | 'remove') => managing.post('/admin/front-page/story', { _csrf: await token(), id: String(id), do: action });

  test('managing editors and administrators only; the curation script is served from a hashed path', async () => {
    await makeUser(t.db.kysely, { email: 'admin@example.com', role: 'admin' });
    await makeUser(t.db.kysely, { email: 'desk@example.com', role: 'desk_editor' });
    await makeUser(t.db.kysely, { email: 'writer@example.com', role: 'contributor' });
    const admin = new Browser(t.app, '10.2.0.2');
    const desk = new Browser(t.app, '10.2.0.3');
    const writer = new Browser(t.app, '10.2.0.4');
    await admin.login('admin@example.com');
    await desk.login('desk@example.com');
    await writer.login('writer@example.com');
    assert.equal((await admin.get('/admin/front-page')).statusCode, 200);
    assert.equal((await desk.get('/admin/front-page')).statusCode, 403);
    assert.equal((await writer.get('/admin/front-page')).statusCode, 403);
    assert.equal((await writer.post('/admin/front-page/add', { _csrf: await writer.csrf('/admin'), id: String(ids[0]) })).statusCode, 403);
    const anonymous = await new Browser(t.app, '10.2.0.9').get('/admin/front-page');
    assert.equal(anonymous.statusCode, 303);
    assert.equal(anonymous.headers.location, '/login?next=%2Fadmin%2Ffront-page');

    const page = await managing.get('/admin/front-page');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /No story is chosen/);
    assert.match(page.body, /<p id="curation-status" class="visually-hidden" role="status" aria-live="polite">/);
    const src = /<script src="(\/admin\/assets\/curation\.[0-9a-f]{12}\.js)" defer><\/script>/.exec(page.body)?.[1];
    assert.ok(src, 'an external, hashed script (the CSP allows no inline script)');
    const script = await t.app.inject({ method: 'GET', url: src });
    assert.equal(script.statusCode, 200);
    assert.match(script.headers['content-type'] as string, /javascript/);
    assert.match(script.headers['cache-control'] as string, /immutable/);
    assert.match(script.body, /curation-order/);
  });

  test('add, move up, move down and remove with buttons (no JavaScript): the front page follows', async () => {
    const added = await managing.post('/admin/front-page/add', { _csrf: await token(), id: String(ids[2]), place: 'end' });
    assert.equal(added.statusCode, 303);
    const lead = await managing.post('/admin/front-page/add', { _csrf: await token(), id: String(ids[4]), place: 'lead' });
    assert.equal(lead.headers.location, `/admin/front-page?done=added&story=${ids[4]}#story-${ids[4]}`);
    const shown = await managing.get(lead.headers.location as string);
    assert.match(unescapeHtml(shown.body), /“World story 4” is now the lead story\./);
    assert.deepEqual(await curatedIds(t.db.kysely), [ids[4], ids[2]]);
    let front = await home();
    assert.equal(front.lead, 'World story 4');
    assert.equal(front.top[0], 'World story 2', 'the second choice, then the latest');

    const down = await act(ids[4]!, 'down');
    assert.equal(down.statusCode, 303);
    assert.equal(down.headers.location, `/admin/front-page?done=down&story=${ids[4]}#story-${ids[4]}`);
    assert.match(unescapeHtml((await managing.get(down.headers.location as string)).body), /“World story 4” is now top story 1\./);
    front = await home();
    assert.equal(front.lead, 'World story 2');
    assert.equal(front.top[0], 'World story 4');

    assert.equal((await act(ids[4]!, 'up')).statusCode, 303);
    assert.equal((await home()).lead, 'World story 4');
    assert.equal((await act(ids[4]!, 'up')).statusCode, 303, 'moving the lead up changes nothing');
    assert.deepEqual(await curatedIds(t.db.kysely), [ids[4], ids[2]]);

    const page = await managing.get('/admin/front-page');
    assert.match(page.body, /<button class="button secondary small" type="submit" name="do" value="up" disabled>Move up<span class="visually-hidden">: World story 4<\/span>/);
    assert.match(page.body, /Filled with the latest stories/);

    assert.equal((await act(ids[2]!, 'remove')).statusCode, 303);
    assert.deepEqual(await curatedIds(t.db.kysely), [ids[4]]);
    assert.equal((await act(ids[2]!, 'remove')).headers.location, '/admin/front-page?done=gone', 'removing twice is harmless');

    const expired = await managing.post('/admin/front-page/story', { _csrf: 'stale', id: String(ids[4]), do: 'down' });
    assert.equal(expired.statusCode, 403);
    assert.match(expired.body, /This form had expired/);
  });

  test('the order the drag-and-drop script sends; a stale order changes nothing; refusals are explained', async () => {
    const page = await managing.get('/admin/front-page');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const expected = /name="expected" value="([^"]*)"/.exec(page.body)?.[1] ?? '';
    assert.equal(expected, (await curatedIds(t.db.kysely)).join(','));
    const order = [ids[1]!, ids[3]!, ids[4]!];
    const sent = await postPairs(managing, '/admin/front-page/order', [['_csrf', csrf], ['expected', expected], ...order.map((id): [string, string] => ['articleIds', String(id)])]);
    assert.equal(sent.statusCode, 303);
    assert.deepEqual(await curatedIds(t.db.kysely), order);
    const front = await home();
    assert.equal(front.lead, 'World story 1');
    assert.deepEqual(front.top.slice(0, 2), ['World story 3', 'World story 4']);

    const stale = await postPairs(managing, '/admin/front-page/order', [['_csrf', csrf], ['expected', expected], ['articleIds', String(ids[0])]]);
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Someone else changed the front page/);
    assert.deepEqual(await curatedIds(t.db.kysely), order);

    const draft = await createArticle(t.db.kysely, { headline: 'Unready draft', deskId }, { status: 'draft' });
    const refused = await managing.post('/admin/front-page/add', { _csrf: await token(), id: String(draft), place: 'lead' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Only published stories can be on the front page/);
    assert.match(refused.body, /<select id="add-story" name="id" required aria-invalid="true" aria-describedby="add-story-error">/);
    assert.match(refused.body, /<input type="radio" name="place" value="lead" checked/, 'the choice is kept');
    assert.equal((await managing.post('/admin/front-page/add', { _csrf: await token(), id: '' })).statusCode, 400);

    await managing.post('/admin/front-page/add', { _csrf: await token(), id: String(ids[5]) });
    await managing.post('/admin/front-page/add', { _csrf: await token(), id: String(ids[6]) });
    const full = await managing.get('/admin/front-page');
    assert.match(full.body, /All 5 places are taken/);
    const sixth = await managing.post('/admin/front-page/add', { _csrf: tokenFrom(full.body), id: String(ids[0]) });
    assert.equal(sixth.statusCode, 400);
    assert.match(sixth.body, /Choose at most 5 stories/);

    // A chosen story that was unpublished since is flagged, and can be removed.
    await t.db.kysely.updateTable('articles').set({ status: 'unpublished' }).where('id', '=', ids[3]!).execute();
    const flagged = await managing.get('/admin/front-page');
    assert.match(unescapeHtml(flagged.body), /World story 3<\/span><span class="meta">World[^<]*<strong class="warning"> · Not shown to readers \(Unpublished\): remove it/);
    assert.equal((await act(ids[3]!, 'remove')).statusCode, 303);
    assert.deepEqual(await curatedIds(t.db.kysely), [ids[1], ids[4], ids[5], ids[6]]);
  });

  test('the breaking-news banner: set on every page, refusals keep what was typed, cleared', async () => {
    const inAnHour = toLocalDateTime(new Date(Date.now() + 3_600_000), t.config.timeZone);
    const set = await managing.post('/admin/front-page/breaking', { _csrf: await token(), headline: 'Earthquake hits the north', url: `/world/world-story-1`, expiresAt: inAnHour });
    assert.equal(set.statusCode, 303);
    assert.match((await managing.get(set.headers.location as string)).body, /The banner is on every page now/);
    const front = await home();
    assert.match(front.html, /<strong>Breaking<\/strong> <a href="\/world\/world-story-1">Earthquake hits the north<\/a>/);
    assert.match((await t.app.inject({ method: 'GET', url: '/staff' })).body, /Earthquake hits the north/);
    const admin = unescapeHtml((await managing.get('/admin/front-page')).body);
    assert.match(admin, /<strong>Breaking<\/strong> Earthquake hits the north/);
    assert.match(admin, /Replace the banner/);

    const past = toLocalDateTime(new Date(Date.now() - 3_600_000), t.config.timeZone);
    const refused = await managing.post('/admin/front-page/breaking', { _csrf: await token(), headline: 'Typed headline', url: 'ftp://nope', expiresAt: past });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /id="breaking-expires" name="expiresAt" type="datetime-local" value="[^"]+" required aria-invalid="true"/);
    assert.match(refused.body, /id="breaking-url" name="url" type="text" value="ftp:\/\/nope"[^>]*aria-invalid="true"/);
    assert.match(refused.body, /value="Typed headline"/);
    assert.match(refused.body, /<a href="#breaking-expires">The banner must expire in the future\.<\/a>/);
    const malformed = await managing.post('/admin/front-page/breaking', { _csrf: await token(), headline: 'Typed again', url: '', expiresAt: 'tomorrow' });
    assert.equal(malformed.statusCode, 400);
    assert.match(malformed.body, /Give the date and time the banner ends/);
    const expired = await managing.post('/admin/front-page/breaking', { _csrf: 'stale', headline: 'Kept through an expired form', url: '', expiresAt: inAnHour });
    assert.equal(expired.statusCode, 403);
    assert.match(expired.body, /value="Kept through an expired form"/);
    assert.match((await home()).html, /Earthquake hits the north/, 'the banner stayed');

    const cleared = await managing.post('/admin/front-page/breaking/clear', { _csrf: await token() });
    assert.equal(cleared.statusCode, 303);
    assert.doesNotMatch((await home()).html, /Earthquake hits the north/);
    assert.match((await managing.get('/admin/front-page')).body, /No banner is shown/);
  });
});

function tokenFrom(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
}
