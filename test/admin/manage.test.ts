// The administration pages over HTTP, as a browser without JavaScript uses them: people, desks,
// users and settings; who may open them; what each form changes on the public site; refusals
// (CSRF, validation) that keep what was typed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, unescapeHtml, type TestApp } from '../helpers/app.ts';
import { Browser, makeUser, type Injected } from '../auth/helpers.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';

/** A form POST with repeated fields (several selects or rows of one name), through the browser's cookies. */
async function postPairs(browser: Browser, url: string, pairs: Array<[string, string]>): Promise<Injected> {
  return browser.app.inject({
    method: 'POST',
    url,
    remoteAddress: browser.remoteAddress,
    headers: { cookie: browser.header(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(pairs).toString(),
  });
}

const tokenOf = (html: string) => html.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
const text = (res: Injected) => unescapeHtml(res.body);

eachDatabase('administration pages', (kind) => {
  let t: TestApp;
  let admin: Browser;
  let managing: Browser;
  let writer: Browser;
  let personId: number;
  let deskId: number;

  before(async () => {
    t = await startApp(kind);
    const db = t.db.kysely;
    deskId = (await createDesk(db, { name: 'Culture', email: 'culture@example.com' })).id;
    personId = (await createPerson(db, { name: 'Maryam Rahimi', title: 'Journalist' })).id;
    await makeUser(db, { email: 'admin@example.com', role: 'admin' });
    await makeUser(db, { email: 'boss@example.com', role: 'managing_editor' });
    await makeUser(db, { email: 'writer@example.com', role: 'contributor' });
    admin = new Browser(t.app, '10.1.0.1');
    managing = new Browser(t.app, '10.1.0.2');
    writer = new Browser(t.app, '10.1.0.3');
    for (const [browser, email] of [[admin, 'admin@example.com'], [managing, 'boss@example.com'], [writer, 'writer@example.com']] as const) {
      assert.equal((await browser.login(email)).statusCode, 303);
    }
  });
  after(() => t.close());

  test('administrators open every page; other roles get 403; anonymous visitors go to the login page', async () => {
    const pages = ['/admin/people', '/admin/people/new', `/admin/people/${personId}`, '/admin/desks', '/admin/desks/new', `/admin/desks/${deskId}`, '/admin/users', '/admin/settings'];
    for (const url of pages) {
      const ok = await admin.get(url);
      assert.equal(ok.statusCode, 200, url);
      assert.equal(ok.headers['cache-control'], 'no-store', url);
      assert.match(ok.body, /aria-current="page"/, url);
      assert.equal((await managing.get(url)).statusCode, 403, url);
      const refusedPage = await writer.get(url);
      assert.equal(refusedPage.statusCode, 403, url);
      // Said in the newsroom's own frame, with the way back, and never cached or indexed.
      assert.match(refusedPage.body, /<nav class="sidebar" aria-label="Newsroom">/, url);
      assert.match(refusedPage.body, /<h1>Not allowed<\/h1>/, url);
      assert.match(refusedPage.body, /href="\/admin">Back to the dashboard/, url);
      assert.equal(refusedPage.headers['cache-control'], 'no-store', url);
      assert.equal(refusedPage.headers['x-robots-tag'], 'noindex, nofollow', url);
      const anonymous = await new Browser(t.app, '10.1.0.9').get(url);
      assert.equal(anonymous.statusCode, 303, url);
      assert.match(anonymous.headers.location as string, /^\/login\?next=/, url);
    }
    const missing = await admin.get('/admin/people/999999');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /<nav class="sidebar" aria-label="Newsroom">/);
    assert.equal((await admin.get('/admin/desks/abc')).statusCode, 404);
    // Writes are refused to others too, even with a valid token.
    const refused = await managing.post('/admin/settings', { _csrf: await managing.csrf('/admin'), siteName: 'Taken over' });
    assert.equal(refused.statusCode, 403);
    // The navigation offers administrators these pages and no one else.
    assert.match((await admin.get('/admin')).body, /href="\/admin\/users"/);
    assert.doesNotMatch((await managing.get('/admin')).body, /href="\/admin\/users"/);
  });

  test('settings: the new name is on the site; refusals keep what was typed', async () => {
    const page = await admin.get('/admin/settings');
    const saved = await admin.post('/admin/settings', { _csrf: tokenOf(page.body), siteName: 'Tehran Evening Post', tagline: 'News from the capital' });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/admin/settings?done=saved');
    assert.match((await admin.get('/admin/settings?done=saved')).body, /class="notice ok" role="status">Settings saved/);
    const home = await t.app.inject({ method: 'GET', url: '/' });
    assert.match(home.body, /Tehran Evening Post/);
    assert.match(home.body, /News from the capital/);

    const empty = await admin.post('/admin/settings', { _csrf: await admin.csrf('/admin/settings'), siteName: '  ', tagline: 'Kept tagline' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /role="alert"/);
    assert.match(empty.body, /<a href="#siteName">The site needs a name\.<\/a>/, 'the summary links to the field');
    assert.match(empty.body, /id="siteName" name="siteName"[^>]*aria-invalid="true" aria-describedby="siteName-hint siteName-error"/);
    assert.match(empty.body, /value="Kept tagline"/);

    const expired = await admin.post('/admin/settings', { _csrf: 'not-a-token', siteName: 'Typed before the token ran out', tagline: '' });
    assert.equal(expired.statusCode, 403);
    assert.match(expired.body, /This form had expired/);
    assert.match(expired.body, /value="Typed before the token ran out"/);
    assert.match((await t.app.inject({ method: 'GET', url: '/' })).body, /Tehran Evening Post/, 'nothing changed');
  });

  test('people: a new profile with contacts is on the staff page; edits show; bad input is kept with errors by its fields', async () => {
    const form = await admin.get('/admin/people/new');
    assert.equal((form.body.match(/name="contactValue"/g) ?? []).length, 3, 'three empty contact rows');
    const created = await postPairs(admin, '/admin/people', [
      ['_csrf', tokenOf(form.body)],
      ['name', 'Reza Karimi'],
      ['kind', 'person'],
      ['title', 'Analyst'],
      ['bio', 'Covers the economy.'],
      ['photoUrl', ''],
      ['contactKind', 'email'],
      ['contactValue', 'reza@example.com'],
      ['contactKind', 'x'],
      ['contactValue', '@rezak'],
      ['contactKind', 'phone'],
      ['contactValue', ''],
    ]);
    assert.equal(created.statusCode, 303, created.body.slice(0, 300));
    const location = created.headers.location as string;
    assert.match(location, /^\/admin\/people\/\d+\?done=created$/);
    const edit = await admin.get(location);
    assert.match(edit.body, /Profile added/);
    assert.equal((edit.body.match(/name="contactValue"/g) ?? []).length, 5, 'two filled rows and three empty ones');
    assert.match(edit.body, /value="reza@example\.com"/);
    const staff = await t.app.inject({ method: 'GET', url: '/staff' });
    assert.match(staff.body, /Reza Karimi/);
    assert.match(staff.body, /mailto:reza@example\.com/);

    const id = Number(/\/admin\/people\/(\d+)/.exec(location)?.[1]);
    const updated = await postPairs(admin, `/admin/people/${id}`, [
      ['_csrf', tokenOf(edit.body)],
      ['name', 'Reza Karimi'],
      ['kind', 'person'],
      ['title', 'Senior analyst'],
      ['bio', 'Covers the economy and oil.'],
      ['photoUrl', '/media/reza.jpg'],
      ['contactKind', 'email'],
      ['contactValue', 'reza@example.com'],
    ]);
    assert.equal(updated.statusCode, 303);
    const author = await t.app.inject({ method: 'GET', url: '/author/reza-karimi' });
    assert.match(author.body, /Senior analyst/);
    assert.doesNotMatch(author.body, /rezak/, 'the removed contact is gone');

    const bad = await postPairs(admin, `/admin/people/${id}`, [
      ['_csrf', await admin.csrf(`/admin/people/${id}`)],
      ['name', 'Reza Karimi'],
      ['kind', 'person'],
      ['title', 'Typed title'],
      ['bio', 'Typed bio'],
      ['photoUrl', 'javascript:alert(1)'],
      ['contactKind', 'email'],
      ['contactValue', 'not-an-address'],
    ]);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="person-photo" name="photoUrl"[^>]*aria-invalid="true"/);
    assert.match(text(bad), /"not-an-address" does not look like an email address/);
    assert.match(bad.body, /id="contact-value-0" name="contactValue" type="text" value="not-an-address"[^>]*aria-invalid="true" aria-describedby="contacts-error"/);
    assert.match(bad.body, /value="Typed title"/);
    assert.match(bad.body, />Typed bio<\/textarea>/);
    assert.match((await t.app.inject({ method: 'GET', url: '/author/reza-karimi' })).body, /Senior analyst/, 'nothing saved');

    const expired = await admin.post('/admin/people', { _csrf: 'stale', name: 'Unsaved Person', title: 'Kept' });
    assert.equal(expired.statusCode, 403);
    assert.match(expired.body, /value="Unsaved Person"/);
    assert.doesNotMatch((await t.app.inject({ method: 'GET', url: '/staff' })).body, /Unsaved Person/);
  });

  test('desks: a new desk with its editor; a rename leaves a 301 at the old address; bad input is kept', async () => {
    const form = await admin.get('/admin/desks/new');
    const created = await postPairs(admin, '/admin/desks', [
      ['_csrf', tokenOf(form.body)],
      ['name', 'Science'],
      ['slug', ''],
      ['description', 'Research and discoveries.'],
      ['email', 'science@example.com'],
      ['position', '5'],
      ['editorIds', String(personId)],
      ['editorIds', ''],
      ['editorIds', ''],
    ]);
    assert.equal(created.statusCode, 303, created.body.slice(0, 300));
    const location = created.headers.location as string;
    const id = Number(/\/admin\/desks\/(\d+)/.exec(location)?.[1]);
    const staff = unescapeHtml((await t.app.inject({ method: 'GET', url: '/staff' })).body);
    assert.match(staff, /Science[^]*science@example\.com[^]*Maryam Rahimi/);
    assert.equal((await t.app.inject({ method: 'GET', url: '/science' })).statusCode, 200);

    const edit = await admin.get(location);
    assert.match(edit.body, /Desk added/);
    assert.match(edit.body, new RegExp(`<option value="${personId}" selected`));
    const renamed = await postPairs(admin, `/admin/desks/${id}`, [
      ['_csrf', tokenOf(edit.body)],
      ['name', 'Science and Technology'],
      ['slug', 'science'],
      ['description', 'Research and discoveries.'],
      ['email', 'science@example.com'],
      ['position', '5'],
      ['editorIds', String(personId)],
    ]);
    assert.equal(renamed.statusCode, 303);
    const old = await t.app.inject({ method: 'GET', url: '/science' });
    assert.equal(old.statusCode, 301);
    assert.equal(old.headers.location, '/science-and-technology');
    assert.equal((await t.app.inject({ method: 'GET', url: '/science-and-technology' })).statusCode, 200);
    assert.match(text(await admin.get('/admin/desks')), /Science and Technology[^]*\/science-and-technology[^]*Maryam Rahimi/);

    const bad = await postPairs(admin, `/admin/desks/${id}`, [
      ['_csrf', await admin.csrf(`/admin/desks/${id}`)],
      ['name', 'Typed desk name'],
      ['slug', 'science-and-technology'],
      ['description', ''],
      ['email', 'nobody at example'],
      ['position', '-3'],
      ['editorIds', String(personId)],
    ]);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="desk-email" name="email" type="email" value="nobody at example"[^>]*aria-invalid="true"/);
    assert.match(bad.body, /id="desk-position"[^>]*aria-invalid="true"/);
    assert.match(bad.body, /value="Typed desk name"/);
    assert.match(bad.body, /<a href="#desk-email">/);
    assert.equal((await t.app.inject({ method: 'GET', url: '/science-and-technology' })).statusCode, 200, 'nothing saved');

    const collective = await createPerson(t.db.kysely, { name: 'Desk Collective', kind: 'collective' });
    const refusedEditor = await postPairs(admin, `/admin/desks/${deskId}`, [
      ['_csrf', await admin.csrf(`/admin/desks/${deskId}`)],
      ['name', 'Culture'],
      ['slug', 'culture'],
      ['email', 'culture@example.com'],
      ['position', '0'],
      ['editorIds', String(collective.id)],
    ]);
    assert.equal(refusedEditor.statusCode, 400, 'the domain refuses a collective as editor');
    assert.match(text(refusedEditor), /Desk Collective is a collective profile/);
  });

  test('users: an invitation shows its set-up link once, and the link works; account actions', async () => {
    const page = await admin.get('/admin/users');
    const invited = await admin.post('/admin/users', { _csrf: tokenOf(page.body), email: 'New.Reporter@example.com', role: 'desk_editor', personId: String(personId) });
    assert.equal(invited.statusCode, 200);
    const link = /id="setup-link" type="text" readonly value="([^"]+)"/.exec(invited.body)?.[1];
    assert.ok(link, 'the set-up link is on the page');
    assert.ok(link.startsWith(`${t.config.siteUrl}/setup/`), `absolute, from the site URL: ${link}`);
    assert.match(text(invited), /new\.reporter@example\.com[^]*Desk editor · writes as Maryam Rahimi[^]*No password yet/);
    const setup = await t.app.inject({ method: 'GET', url: link.slice(t.config.siteUrl.length) });
    assert.equal(setup.statusCode, 200);
    assert.match(setup.body, /type="password"/);
    assert.doesNotMatch((await admin.get('/admin/users')).body, /id="setup-link"/, 'shown once');

    const twice = await admin.post('/admin/users', { _csrf: await admin.csrf('/admin/users'), email: 'new.reporter@example.com', role: 'contributor', personId: '' });
    assert.equal(twice.statusCode, 400);
    assert.match(twice.body, /id="invite-email" name="email" type="email" value="new.reporter@example.com"[^>]*aria-invalid="true"/);
    assert.match(text(twice), /exists already/);
    const badRole = await admin.post('/admin/users', { _csrf: await admin.csrf('/admin/users'), email: 'other@example.com', role: 'emperor', personId: '' });
    assert.equal(badRole.statusCode, 400);
    assert.match(badRole.body, /id="invite-role"[^>]*aria-invalid="true"/);
    assert.match(badRole.body, /value="other@example.com"/);

    const target = await makeUser(t.db.kysely, { email: 'locked@example.com', role: 'contributor' });
    await t.db.kysely
      .updateTable('users')
      .set({ locked_until: new Date(Date.now() + 600_000).toISOString(), failed_logins: 5, totp_secret: 'JBSWY3DPEHPK3PXP', totp_enabled_at: new Date().toISOString() })
      .where('id', '=', target.id)
      .execute();
    const listed = text(await admin.get('/admin/users'));
    assert.match(listed, /locked@example\.com[^]*Locked until[^]*Two-factor on/);
    const act = async (action: string) => admin.post(`/admin/users/${target.id}/${action}`, { _csrf: await admin.csrf('/admin/users') });

    const unlocked = await act('unlock');
    assert.equal(unlocked.statusCode, 303);
    assert.match(text(await admin.get(unlocked.headers.location as string)), /locked@example\.com can log in again\./);
    assert.equal((await act('reset-two-factor')).statusCode, 303);
    assert.equal((await act('disable')).statusCode, 303);
    const after = text(await admin.get('/admin/users'));
    assert.match(after, /locked@example\.com[^]*Disabled[^]*Two-factor off/);
    assert.equal((await new Browser(t.app, '10.1.0.7').login('locked@example.com')).statusCode !== 303, true, 'a disabled account cannot log in');
    assert.equal((await act('enable')).statusCode, 303);
    assert.equal((await new Browser(t.app, '10.1.0.8').login('locked@example.com')).statusCode, 303, 'enabled again');

    const reset = await act('reset-password');
    assert.equal(reset.statusCode, 200);
    const resetLink = /id="setup-link" type="text" readonly value="([^"]+)"/.exec(reset.body)?.[1] ?? '';
    assert.equal((await t.app.inject({ method: 'GET', url: resetLink.slice(t.config.siteUrl.length) })).statusCode, 200);

    const me = await t.db.kysely.selectFrom('users').select('id').where('email', '=', 'admin@example.com').executeTakeFirstOrThrow();
    const self = await admin.get('/admin/users');
    assert.match(self.body, new RegExp(`action="/admin/users/${me.id}/reset-password"`));
    assert.doesNotMatch(self.body, new RegExp(`action="/admin/users/${me.id}/disable"`), 'no button to disable oneself');
    const selfDisable = await admin.post(`/admin/users/${me.id}/disable`, { _csrf: await admin.csrf('/admin/users') });
    assert.equal(selfDisable.statusCode, 400, 'and the domain refuses it anyway');
    assert.match(text(selfDisable), /You cannot disable your own account\./);
    const expired = await admin.post('/admin/users', { _csrf: 'stale', email: 'kept@example.com', role: 'admin', personId: '' });
    assert.equal(expired.statusCode, 403);
    assert.match(expired.body, /value="kept@example.com"/);
    assert.match(expired.body, /<option value="admin" selected>/);
  });
});
