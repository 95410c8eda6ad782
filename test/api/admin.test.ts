// Administration through the newsroom API on the real app: accounts, desks, staff profiles and
// site settings; only administrators change them, and readers see the changes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, unescapeHtml, type TestApp } from '../helpers/app.ts';
import { Browser } from '../auth/helpers.ts';
import { makeUser } from '../auth/factories.ts';
import { adminApiRoutes } from '../../src/api/newsroom/admin.ts';
import { createDesk, setDeskEditors } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';
import { createApiToken } from '../../src/newsroom/auth/tokens.ts';
import { createArticle } from '../../src/newsroom/articles/commands.ts';
import type { Role } from '../../src/newsroom/users.ts';

type Who = 'admin' | 'managing' | 'deskEditor' | 'writer';
const REFUSED: Who[] = ['managing', 'deskEditor', 'writer'];
const API = '/api/newsroom/v1';

eachDatabase('administration API', (kind) => {
  let t: TestApp;
  const tokens = {} as Record<Who, string>;
  const users = {} as Record<Who, { id: number; email: string; personId: number }>;
  let politics: number;

  before(async () => {
    t = await startApp(kind);
    // Until src/server.ts registers these routes itself (the app is not ready yet: routes still fit).
    if (!t.app.hasRoute({ method: 'GET', url: `${API}/users` })) adminApiRoutes(t.app, t.db.kysely);
    const db = t.db.kysely;
    politics = (await createDesk(db, { name: 'Politics' })).id;
    const roles: Record<Who, Role> = { admin: 'admin', managing: 'managing_editor', deskEditor: 'desk_editor', writer: 'contributor' };
    for (const [who, role] of Object.entries(roles) as Array<[Who, Role]>) {
      const person = await createPerson(db, { name: `${who} person` });
      const user = await makeUser(db, { email: `${who}@example.com`, role });
      await db.updateTable('users').set({ person_id: person.id }).where('id', '=', user.id).execute();
      users[who] = { id: user.id, email: user.email, personId: person.id };
      tokens[who] = (await createApiToken(db, user.id, 'tests')).secret;
    }
    await setDeskEditors(db, politics, [users.deskEditor.personId]);
  });
  after(() => t.close());

  const call = async (who: Who | null, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) => {
    const res = await t.app.inject({
      method,
      url: `${API}${url}`,
      headers: who ? { authorization: `Bearer ${tokens[who]}` } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.json() as Record<string, any>, raw: res.body, headers: res.headers }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const page = (url: string) => t.app.inject({ method: 'GET', url });

  test('every administrative change is refused to managing editors, desk editors and contributors, and allowed to administrators', async () => {
    const db = t.db.kysely;
    const target = await makeUser(db, { email: 'target@example.com', role: 'contributor' });
    const desk = (await createDesk(db, { name: 'Matrix desk' })).id;
    const person = (await createPerson(db, { name: 'Matrix Person' })).id;
    const endpoints: Array<[method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown]> = [
      ['GET', '/users'],
      ['POST', '/users', { email: 'matrix-invite@example.com', role: 'contributor' }],
      ['POST', `/users/${target.id}/reset-password`],
      ['POST', `/users/${target.id}/unlock`],
      ['POST', `/users/${target.id}/disable`],
      ['POST', `/users/${target.id}/enable`],
      ['POST', `/users/${target.id}/reset-two-factor`],
      ['POST', '/desks', { name: 'Matrix created' }],
      ['PATCH', `/desks/${desk}`, { description: 'Changed by the matrix.' }],
      ['PUT', `/desks/${desk}/editors`, { personIds: [person] }],
      ['POST', '/people', { name: 'Matrix Created Person' }],
      ['PATCH', `/people/${person}`, { bio: 'Changed by the matrix.' }],
      ['PATCH', '/settings', { tagline: 'Changed by the matrix' }],
    ];
    for (const who of REFUSED) {
      for (const [method, url, payload] of endpoints) {
        const res = await call(who, method, url, payload);
        assert.equal(res.status, 403, `${who} ${method} ${url}`);
        assert.equal(res.body.error.code, 'forbidden', `${who} ${method} ${url}`);
        assert.match(res.body.error.message, /Only an administrator/);
        assert.equal(res.headers['cache-control'], 'no-store');
      }
      for (const [method, url, payload] of endpoints) {
        const res = await call(null, method, url, payload);
        assert.equal(res.status, 401, `anonymous ${method} ${url}`);
      }
    }
    // Nothing was changed by the refused calls.
    assert.equal(await db.selectFrom('users').select('id').where('email', '=', 'matrix-invite@example.com').executeTakeFirst(), undefined);
    assert.equal((await db.selectFrom('desks').select('description').where('id', '=', desk).executeTakeFirstOrThrow()).description, '');
    assert.equal((await call('admin', 'GET', '/settings')).body.settings.tagline, 'News as it happens');
    assert.deepEqual((await call('admin', 'GET', '/desks')).body.desks.find((d: { id: number }) => d.id === desk).editors, []);

    for (const [method, url, payload] of endpoints) {
      const res = await call('admin', method, url, payload);
      assert.ok(res.status === 200 || res.status === 201, `admin ${method} ${url}: ${res.status} ${res.raw}`);
      assert.equal(res.headers['cache-control'], 'no-store');
    }
    const audit = await db.selectFrom('audit_log').select(['action', 'user_id']).where('article_id', 'is', null).execute();
    for (const action of ['user.invite', 'user.reset_password', 'user.disable', 'desk.create', 'desk.editors', 'person.update', 'settings.update']) {
      assert.ok(audit.some((a) => a.action === action && a.user_id === users.admin.id), `audited: ${action}`);
    }
  });

  test('desks, people and settings are readable by every signed-in user', async () => {
    for (const who of ['writer', 'deskEditor', 'managing', 'admin'] as Who[]) {
      const desks = await call(who, 'GET', '/desks');
      assert.equal(desks.status, 200);
      const listed = desks.body.desks.find((d: { id: number }) => d.id === politics);
      assert.deepEqual(listed.editors.map((e: { name: string }) => e.name), ['deskEditor person']);
      assert.equal((await call(who, 'GET', '/people')).status, 200);
      assert.equal((await call(who, 'GET', '/settings')).status, 200);
    }
    assert.equal((await call(null, 'GET', '/desks')).status, 401);
  });

  test('an invitation returns a set-up link once; the link opens the set-up page', async () => {
    const person = await createPerson(t.db.kysely, { name: 'Newcomer Reporter' });
    const invited = await call('admin', 'POST', '/users', { email: 'Newcomer@Example.com', role: 'desk_editor', personId: person.id, displayName: 'Newcomer' });
    assert.equal(invited.status, 201, invited.raw);
    assert.equal(invited.body.user.email, 'newcomer@example.com');
    assert.equal(invited.body.user.role, 'desk_editor');
    assert.equal(invited.body.user.personId, person.id);
    assert.equal(invited.body.user.hasPassword, false);
    assert.match(invited.body.setupPath, /^\/setup\/[A-Za-z0-9_-]{20,}$/);
    const setup = await page(invited.body.setupPath);
    assert.equal(setup.statusCode, 200);
    assert.match(setup.body, /newcomer@example\.com/);

    const list = await call('admin', 'GET', '/users');
    const listed = list.body.users.find((u: { email: string }) => u.email === 'newcomer@example.com');
    assert.deepEqual(Object.keys(listed).sort(), ['createdAt', 'disabled', 'displayName', 'email', 'hasPassword', 'id', 'lockedUntil', 'personId', 'role', 'twoFactorEnabled']);
    assert.ok(list.body.users.find((u: { email: string }) => u.email === 'admin@example.com').hasPassword);
    assert.doesNotMatch(list.raw, /argon2|password_hash|totp_secret|setup\//, 'no hash, secret or link in the list');

    const again = await call('admin', 'POST', '/users', { email: 'newcomer@example.com', role: 'contributor' });
    assert.equal(again.status, 400);
    assert.ok(again.body.error.fields.email);
    const noPerson = await call('admin', 'POST', '/users', { email: 'ghost@example.com', role: 'contributor', personId: 999_999 });
    assert.equal(noPerson.status, 400);
    assert.ok(noPerson.body.error.fields.personId);
    const badRole = await call('admin', 'POST', '/users', { email: 'king@example.com', role: 'king' });
    assert.equal(badRole.status, 400);
    assert.equal(badRole.body.error.code, 'invalid_input');
    assert.ok(badRole.body.error.fields.role);
    const badEmail = await call('admin', 'POST', '/users', { email: 'not an address', role: 'contributor' });
    assert.equal(badEmail.status, 400);
    assert.ok(badEmail.body.error.fields.email);
  });

  test('a password reset ends the old sessions, stops the old password and returns a working link', async () => {
    const db = t.db.kysely;
    const reporter = await makeUser(db, { email: 'reset-me@example.com', role: 'contributor' });
    const browser = new Browser(t.app);
    assert.equal((await browser.login('reset-me@example.com')).statusCode, 303);
    assert.equal((await browser.get(`${API}/me`)).statusCode, 200, 'signed in');
    await db.updateTable('users').set({ failed_logins: 3, locked_until: new Date(Date.now() + 600_000).toISOString() }).where('id', '=', reporter.id).execute();

    const reset = await call('admin', 'POST', `/users/${reporter.id}/reset-password`);
    assert.equal(reset.status, 200, reset.raw);
    assert.match(reset.body.setupPath, /^\/setup\/[A-Za-z0-9_-]{20,}$/);
    assert.equal(reset.body.user.hasPassword, false);
    assert.equal(reset.body.user.lockedUntil, null, 'a reset lifts a lock-out');
    assert.equal((await browser.get(`${API}/me`)).statusCode, 401, 'the old session is gone');
    assert.equal((await db.selectFrom('sessions').select('user_id').where('user_id', '=', reporter.id).execute()).length, 0);
    const retry = new Browser(t.app, '10.0.0.2');
    const login = await retry.login('reset-me@example.com');
    assert.notEqual(login.statusCode, 303, 'the old password no longer works');
    assert.equal((await page(reset.body.setupPath)).statusCode, 200);
    assert.equal((await call('admin', 'POST', '/users/999999/reset-password')).status, 404);
    assert.equal((await call('admin', 'POST', '/users/99999999999/reset-password')).status, 404);
  });

  test('unlock, disable, enable and turning off two-factor login', async () => {
    const db = t.db.kysely;
    const someone = await makeUser(db, { email: 'someone@example.com', role: 'contributor' });
    const secret = (await createApiToken(db, someone.id, 'script')).secret;
    await db
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: new Date(Date.now() + 600_000).toISOString(), totp_secret: 'JBSWY3DPEHPK3PXP', totp_enabled_at: new Date().toISOString() })
      .where('id', '=', someone.id)
      .execute();
    const listed = (await call('admin', 'GET', '/users')).body.users.find((u: { id: number }) => u.id === someone.id);
    assert.ok(listed.lockedUntil);
    assert.equal(listed.twoFactorEnabled, true);

    const unlocked = await call('admin', 'POST', `/users/${someone.id}/unlock`);
    assert.equal(unlocked.body.user.lockedUntil, null);
    const noTwoFactor = await call('admin', 'POST', `/users/${someone.id}/reset-two-factor`);
    assert.equal(noTwoFactor.body.user.twoFactorEnabled, false);
    assert.equal((await db.selectFrom('users').select('totp_secret').where('id', '=', someone.id).executeTakeFirstOrThrow()).totp_secret, null);

    const asSomeone = () => t.app.inject({ method: 'GET', url: `${API}/me`, headers: { authorization: `Bearer ${secret}` } });
    assert.equal((await asSomeone()).statusCode, 200);
    const disabled = await call('admin', 'POST', `/users/${someone.id}/disable`);
    assert.equal(disabled.body.user.disabled, true);
    assert.equal((await asSomeone()).statusCode, 401, 'a disabled account acts no more');
    const refused = await new Browser(t.app, '10.0.0.3').login('someone@example.com');
    assert.notEqual(refused.statusCode, 303);
    const enabled = await call('admin', 'POST', `/users/${someone.id}/enable`);
    assert.equal(enabled.body.user.disabled, false);
    assert.equal((await new Browser(t.app, '10.0.0.4').login('someone@example.com')).statusCode, 303, 'enabled again');

    const self = await call('admin', 'POST', `/users/${users.admin.id}/disable`);
    assert.equal(self.status, 400);
    assert.ok(self.body.error.fields.user);
    assert.equal((await call('admin', 'POST', '/users/abc/unlock')).status, 400);
    assert.equal((await call('admin', 'POST', '/users/999999/enable')).status, 404);
  });

  test('a renamed desk answers at its new address; the old one redirects with 301', async () => {
    const created = await call('admin', 'POST', '/desks', { name: 'Science', description: 'Research and space.', email: 'science@example.com', position: 3 });
    assert.equal(created.status, 201, created.raw);
    const desk = created.body.desk;
    assert.deepEqual({ slug: desk.slug, email: desk.email, position: desk.position, editors: desk.editors }, { slug: 'science', email: 'science@example.com', position: 3, editors: [] });
    await createArticle(t.db.kysely, { headline: 'Telescope finds a new comet', deskId: desk.id, bodyHtml: '<p>Far away.</p>' }, { status: 'published' });
    assert.equal((await page('/science')).statusCode, 200);

    const renamed = await call('admin', 'PATCH', `/desks/${desk.id}`, { name: 'Science and Technology' });
    assert.equal(renamed.status, 200, renamed.raw);
    assert.equal(renamed.body.desk.slug, 'science-and-technology');
    assert.equal(renamed.body.desk.description, 'Research and space.', 'unsent fields stay');
    const old = await page('/science?page=1');
    assert.equal(old.statusCode, 301);
    assert.equal(old.headers.location, '/science-and-technology?page=1');
    const story = await page('/science/telescope-finds-a-new-comet');
    assert.equal(story.statusCode, 301);
    assert.equal(story.headers.location, '/science-and-technology/telescope-finds-a-new-comet');
    const now = await page('/science-and-technology');
    assert.equal(now.statusCode, 200);
    assert.match(unescapeHtml(now.body), /<h1>Science and Technology<\/h1>/);

    const described = await call('admin', 'PATCH', `/desks/${desk.id}`, { description: 'Research, technology and space.', email: null });
    assert.equal(described.body.desk.slug, 'science-and-technology', 'no new name, no new slug');
    assert.equal(described.body.desk.email, null);
    const ownSlug = await call('admin', 'PATCH', `/desks/${desk.id}`, { name: 'Sci & Tech', slug: 'scitech' });
    assert.equal(ownSlug.body.desk.slug, 'scitech');
    assert.equal((await page('/science')).headers.location, '/scitech', 'every former slug still leads home');

    const reserved = await call('admin', 'PATCH', `/desks/${desk.id}`, { slug: 'staff' });
    assert.equal(reserved.status, 400);
    assert.ok(reserved.body.error.fields.slug);
    const taken = await call('admin', 'POST', '/desks', { name: 'Politics' });
    assert.equal(taken.status, 400);
    assert.ok(taken.body.error.fields.slug);
    const badEmail = await call('admin', 'PATCH', `/desks/${desk.id}`, { email: 'science at example' });
    assert.equal(badEmail.status, 400);
    assert.ok(badEmail.body.error.fields.email);
    const noName = await call('admin', 'POST', '/desks', { description: 'Nameless' });
    assert.equal(noName.status, 400);
    assert.equal(noName.body.error.code, 'invalid_input');
    assert.equal(noName.body.error.fields.name, 'This field is required.');
    const blank = await call('admin', 'POST', '/desks', { name: '   ' });
    assert.ok(blank.body.error.fields.name);
    const badPosition = await call('admin', 'POST', '/desks', { name: 'Weather', position: -1 });
    assert.equal(badPosition.status, 400);
    assert.ok(badPosition.body.error.fields.position);
    assert.equal((await call('admin', 'PATCH', '/desks/999999', { description: 'x' })).status, 404);
  });

  test("a desk's editors are chosen from existing people and shown on the staff page", async () => {
    const db = t.db.kysely;
    const desk = (await call('admin', 'POST', '/desks', { name: 'Economy' })).body.desk;
    const a = await createPerson(db, { name: 'Anna Editor' });
    const b = await createPerson(db, { name: 'Bijan Editor' });
    const team = await createPerson(db, { name: 'Economy Team', kind: 'collective' });
    const set = await call('admin', 'PUT', `/desks/${desk.id}/editors`, { personIds: [b.id, a.id] });
    assert.equal(set.status, 200, set.raw);
    assert.deepEqual(set.body.desk.editors.map((e: { name: string }) => e.name), ['Bijan Editor', 'Anna Editor']);
    const staff = unescapeHtml((await page('/staff')).body);
    const section = staff.slice(staff.indexOf('Economy'));
    assert.ok(section.indexOf('Bijan Editor') > 0 && section.indexOf('Bijan Editor') < section.indexOf('Anna Editor'), 'in the chosen order');

    for (const [personIds, why] of [
      [[a.id, 999_999], 'unknown person'],
      [[a.id, a.id], 'listed twice'],
      [[team.id], 'a collective'],
    ] as Array<[number[], string]>) {
      const res = await call('admin', 'PUT', `/desks/${desk.id}/editors`, { personIds });
      assert.equal(res.status, 400, why);
      assert.ok(res.body.error.fields.personIds, why);
    }
    assert.equal((await call('admin', 'PUT', `/desks/${desk.id}/editors`, { personIds: ['x'] })).body.error.fields.personIds, 'Must be an integer.');
    assert.deepEqual((await call('admin', 'PUT', `/desks/${desk.id}/editors`, { personIds: [] })).body.desk.editors, []);
  });

  test('people and collectives with their contacts appear on the staff and author pages', async () => {
    const created = await call('admin', 'POST', '/people', {
      name: 'Mina Rostami',
      title: 'Journalist',
      bio: 'Mina Rostami covers energy and climate.',
      photoUrl: 'https://images.example.com/mina.jpg',
      contacts: [
        { kind: 'email', value: 'mina@example.com' },
        { kind: 'x', value: '@mina_example' },
      ],
    });
    assert.equal(created.status, 201, created.raw);
    const mina = created.body.person;
    assert.equal(mina.slug, 'mina-rostami');
    assert.equal(mina.kind, 'person');
    const author = await page('/author/mina-rostami');
    assert.equal(author.statusCode, 200);
    assert.match(author.body, /Mina Rostami covers energy and climate\./);
    assert.match(author.body, /href="mailto:mina@example\.com"/);
    assert.match(author.body, /href="https:\/\/x\.com\/mina_example"/);
    assert.match((await page('/staff')).body, /Mina Rostami/);

    const team = await call('admin', 'POST', '/people', { name: 'Climate Desk Team', kind: 'collective', bio: 'Our climate reporters together.', contacts: [{ kind: 'telegram', value: '@climate_example' }] });
    assert.equal(team.status, 201);
    assert.equal(team.body.person.kind, 'collective');
    const teamPage = await page(`/author/${team.body.person.slug}`);
    assert.match(teamPage.body, /Editorial team/);
    assert.match(teamPage.body, /href="https:\/\/t\.me\/climate_example"/);

    const changed = await call('admin', 'PATCH', `/people/${mina.id}`, { bio: 'Mina Rostami now edits the climate pages.', contacts: [{ kind: 'phone', value: '+98 21 5555 0199' }] });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.person.title, 'Journalist', 'unsent fields stay');
    const after = (await page('/author/mina-rostami')).body;
    assert.match(after, /now edits the climate pages/);
    assert.match(after, /href="tel:\+982155550199"/);
    assert.doesNotMatch(after, /mailto:mina@example\.com/);
    assert.deepEqual((await call('admin', 'PATCH', `/people/${mina.id}`, {})).body.person.bio, 'Mina Rostami now edits the climate pages.', 'an empty change changes nothing');

    const listed = await call('writer', 'GET', '/people?kind=collective');
    assert.ok(listed.body.people.every((p: { kind: string }) => p.kind === 'collective'));
    assert.ok(listed.body.people.some((p: { slug: string }) => p.slug === 'climate-desk-team'));

    const duplicate = await call('admin', 'POST', '/people', { name: 'Mina Rostami' });
    assert.equal(duplicate.status, 400);
    assert.ok(duplicate.body.error.fields.slug);
    const badKind = await call('admin', 'POST', '/people', { name: 'Pigeon', contacts: [{ kind: 'pigeon', value: 'coo' }] });
    assert.equal(badKind.status, 400);
    assert.ok(badKind.body.error.fields.contacts);
    const badEmail = await call('admin', 'POST', '/people', { name: 'Typo', contacts: [{ kind: 'email', value: 'typo@' }] });
    assert.equal(badEmail.status, 400);
    assert.ok(badEmail.body.error.fields.contacts);
    const badPhoto = await call('admin', 'PATCH', `/people/${mina.id}`, { photoUrl: 'javascript:alert(1)' });
    assert.equal(badPhoto.status, 400);
    assert.ok(badPhoto.body.error.fields.photoUrl);
    const blank = await call('admin', 'PATCH', `/people/${mina.id}`, { name: ' ' });
    assert.ok(blank.body.error.fields.name);
    const editor = await call('admin', 'PATCH', `/people/${users.deskEditor.personId}`, { kind: 'collective' });
    assert.equal(editor.status, 400, 'a desk editor cannot become a collective');
    assert.ok(editor.body.error.fields.kind);
    assert.equal((await call('admin', 'PATCH', '/people/999999', { bio: 'x' })).status, 404);
  });

  test("the site's name and tagline change on every page", async () => {
    const res = await call('admin', 'PATCH', '/settings', { siteName: '  The Morning   Ledger ', tagline: 'Local news, early' });
    assert.equal(res.status, 200, res.raw);
    assert.deepEqual(res.body.settings, { siteName: 'The Morning Ledger', tagline: 'Local news, early' });
    const home = (await page('/')).body;
    assert.match(home, /<title>The Morning Ledger<\/title>|<title>[^<]*The Morning Ledger[^<]*<\/title>/);
    assert.match(home, /Local news, early/);
    assert.match((await page('/staff')).body, /The Morning Ledger/);
    assert.deepEqual((await call('writer', 'GET', '/settings')).body.settings, { siteName: 'The Morning Ledger', tagline: 'Local news, early' });

    for (const [payload, field] of [
      [{ siteName: '   ' }, 'siteName'],
      [{ siteName: 'x'.repeat(101) }, 'siteName'],
      [{ tagline: 'y'.repeat(201) }, 'tagline'],
      [{ siteName: { text: 'Ledger' } }, 'siteName'],
    ] as Array<[object, string]>) {
      const bad = await call('admin', 'PATCH', '/settings', payload);
      assert.equal(bad.status, 400, JSON.stringify(payload));
      assert.equal(bad.body.error.code, 'invalid_input');
      assert.ok(bad.body.error.fields[field], JSON.stringify(bad.body));
    }
    assert.equal((await call('admin', 'PATCH', '/settings', { tagline: '' })).body.settings.tagline, '', 'a tagline may be empty');
    assert.match((await page('/')).body, /The Morning Ledger/, 'refused changes left the name alone');
  });

  test('a browser session must send its CSRF token to change anything', async () => {
    const browser = new Browser(t.app, '10.0.0.9');
    assert.equal((await browser.login('admin@example.com')).statusCode, 303);
    const listed = await browser.get(`${API}/users`);
    assert.equal(listed.statusCode, 200, 'reads need no token');
    const res = await t.app.inject({ method: 'POST', url: `${API}/desks`, headers: { cookie: browser.header() }, payload: { name: 'Forged desk' } });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'forbidden');
    assert.equal((await call('admin', 'GET', '/desks')).body.desks.some((d: { name: string }) => d.name === 'Forged desk'), false);
  });
});
