// Login, logout, account pages and the newsroom API's tokens, through the real app.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import type { TestApp } from '../helpers/app.ts';
import { totpCode } from '../../src/newsroom/auth/totp.ts';
import { sha256 } from '../../src/newsroom/auth/sessions.ts';
import { Browser, makeUser, PASSWORD, startAuthApp } from './helpers.ts';

let ip = 0;
/** Every test browses from its own address, so the per-address login rate limit stays out of the way. */
const fresh = (t: TestApp) => new Browser(t.app, `10.0.0.${++ip}`);

const setCookie = (res: { headers: Record<string, unknown> }, name: string): string | undefined => {
  const raw = res.headers['set-cookie'];
  const all = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  return all.find((c) => c.startsWith(`${name}=`));
};

eachDatabase('login, logout and account pages', (kind) => {
  let t: TestApp;
  before(async () => (t = await startAuthApp(kind)));
  after(() => t.close());

  test('the login page is private: no-store and noindex', async () => {
    const res = await fresh(t).get('/login');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(res.body, /<meta name="robots" content="noindex"\/?>/);
    assert.match(res.body, /name="_csrf"/);
  });

  test('logs in: a session cookie (HttpOnly, SameSite=Lax, not Secure on http), then the account page', async () => {
    await makeUser(t.db.kysely, { email: 'writer@example.com', role: 'desk_editor' });
    const b = fresh(t);
    const res = await b.login('writer@example.com');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/admin');
    const cookie = setCookie(res, 'dl_session');
    assert.ok(cookie);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.match(cookie, /; Path=\//);
    assert.doesNotMatch(cookie, /Secure/);
    // Only the hash is stored.
    const token = b.cookies.get('dl_session')!;
    const rows = await t.db.kysely.selectFrom('sessions').select('token_hash').execute();
    assert.ok(rows.some((r) => r.token_hash === sha256(token)));
    assert.ok(!rows.some((r) => r.token_hash === token));

    const account = await b.get('/account');
    assert.equal(account.statusCode, 200);
    assert.equal(account.headers['cache-control'], 'no-store');
    assert.match(account.body, /noindex/);
    assert.match(account.body, /writer@example\.com/);
    assert.match(account.body, /desk editor/);
    // Already logged in: /login goes on.
    assert.equal((await b.get('/login')).headers.location, '/admin');
  });

  test('a wrong password or unknown email gets the same 401 and keeps the email', async () => {
    await makeUser(t.db.kysely, { email: 'wrong@example.com' });
    const b = fresh(t);
    const wrong = await b.login('wrong@example.com', 'not it');
    const unknown = await b.login('ghost@example.com', 'not it');
    for (const res of [wrong, unknown]) {
      assert.equal(res.statusCode, 401);
      assert.match(res.body, /The email or password is not right/);
      assert.equal(setCookie(res, 'dl_session'), undefined);
    }
    assert.match(wrong.body, /value="wrong@example\.com"/);
    const empty = await b.post('/login', { _csrf: await b.csrf('/login'), email: '', password: '' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Enter your email address/);
  });

  test('five failures lock the account with a clear message, even for the right password', async () => {
    await makeUser(t.db.kysely, { email: 'locked@example.com' });
    const b = fresh(t);
    for (let i = 0; i < 4; i++) assert.equal((await b.login('locked@example.com', `wrong ${i}`)).statusCode, 401);
    const fifth = await b.login('locked@example.com', 'wrong again');
    assert.equal(fifth.statusCode, 429);
    assert.match(fifth.body, /This account is locked after 5 failed logins in a row\. Try again in 15 minutes/);
    const right = await fresh(t).login('locked@example.com');
    assert.equal(right.statusCode, 429);
    assert.equal(setCookie(right, 'dl_session'), undefined);
  });

  test('a disabled account cannot log in, and its open session stops working', async () => {
    const user = await makeUser(t.db.kysely, { email: 'gone@example.com' });
    const b = fresh(t);
    assert.equal((await b.login('gone@example.com')).statusCode, 303);
    await t.db.kysely.updateTable('users').set({ disabled_at: new Date().toISOString() }).where('id', '=', user.id).execute();
    assert.equal((await b.get('/account')).statusCode, 303);
    const res = await fresh(t).login('gone@example.com');
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /This account has been disabled/);
  });

  test('CSRF is required on the login, logout and password forms', async () => {
    await makeUser(t.db.kysely, { email: 'csrf@example.com' });
    const b = fresh(t);
    await b.get('/login');
    const login = await b.post('/login', { email: 'csrf@example.com', password: PASSWORD });
    assert.equal(login.statusCode, 403);
    assert.match(login.body, /expired/);
    assert.match(login.body, /value="csrf@example\.com"/);
    assert.equal(setCookie(login, 'dl_session'), undefined);

    assert.equal((await b.login('csrf@example.com')).statusCode, 303);
    const password = await b.post('/account/password', { current: PASSWORD, password: 'a brand new passphrase', confirm: 'a brand new passphrase' });
    assert.equal(password.statusCode, 403);
    const logout = await b.post('/logout', {});
    assert.equal(logout.statusCode, 403);
    assert.match(logout.body, /still logged in/);
    assert.equal((await b.get('/account')).statusCode, 200);
  });

  test('logging out ends the session in the database, not just the cookie', async () => {
    await makeUser(t.db.kysely, { email: 'bye@example.com' });
    const b = fresh(t);
    await b.login('bye@example.com');
    const token = b.cookies.get('dl_session')!;
    const _csrf = await b.csrf('/account');
    const res = await b.post('/logout', { _csrf });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/');
    assert.match(setCookie(res, 'dl_session') ?? '', /dl_session=;/);
    assert.equal(await t.db.kysely.selectFrom('sessions').select('token_hash').where('token_hash', '=', sha256(token)).executeTakeFirst(), undefined);
    // The old cookie, replayed, is anonymous.
    const replay = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: `dl_session=${token}` } });
    assert.equal(replay.statusCode, 303);
    assert.equal(replay.headers.location, '/login?next=%2Faccount');
  });

  test('pages behind login send anonymous visitors to /login?next=…, and back after login', async () => {
    await makeUser(t.db.kysely, { email: 'next@example.com' });
    const b = fresh(t);
    const res = await b.get('/account/password');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/login?next=%2Faccount%2Fpassword');
    const login = await b.login('next@example.com', PASSWORD, '/account/password');
    assert.equal(login.headers.location, '/account/password');
  });

  test('next may not leave the site', async () => {
    await makeUser(t.db.kysely, { email: 'redirect@example.com' });
    for (const next of ['//evil.example', 'https://evil.example', '/\\evil.example', '//evil.example/%2F..', 'javascript:alert(1)', '/\tevil']) {
      const res = await fresh(t).login('redirect@example.com', PASSWORD, next);
      assert.equal(res.statusCode, 303, next);
      assert.equal(res.headers.location, '/admin', next);
    }
  });

  test('changing the password keeps this session and ends the others', async () => {
    await makeUser(t.db.kysely, { email: 'change@example.com' });
    const here = fresh(t);
    const there = fresh(t);
    await here.login('change@example.com');
    await there.login('change@example.com');
    const _csrf = await here.csrf('/account/password');
    const wrong = await here.post('/account/password', { _csrf, current: 'nope', password: 'a brand new passphrase', confirm: 'a brand new passphrase' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /not your current password/);
    const ok = await here.post('/account/password', { _csrf, current: PASSWORD, password: 'a brand new passphrase', confirm: 'a brand new passphrase' });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /Your password is changed/);
    assert.equal((await here.get('/account')).statusCode, 200);
    assert.equal((await there.get('/account')).statusCode, 303);
    assert.equal((await fresh(t).login('change@example.com')).statusCode, 401);
    assert.equal((await fresh(t).login('change@example.com', 'a brand new passphrase')).statusCode, 303);
  });

  test('two-factor: enroll and confirm on the page; login then asks for the code; a wrong code is refused', async () => {
    await makeUser(t.db.kysely, { email: 'totp@example.com' });
    const b = fresh(t);
    await b.login('totp@example.com');
    const _csrf = await b.csrf('/account/two-factor');
    const enroll = await b.post('/account/two-factor', { _csrf, action: 'enroll' });
    assert.equal(enroll.statusCode, 200);
    const secret = enroll.body.match(/id="totp-secret">([A-Z2-7 ]+)</)?.[1]?.replace(/ /g, '');
    assert.ok(secret);
    assert.match(enroll.body, /otpauth:\/\/totp\//);
    const wrongCode = String((Number(totpCode(secret)) + 500_000) % 1_000_000).padStart(6, '0');
    const bad = await b.post('/account/two-factor', { _csrf, action: 'confirm', code: wrongCode });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="totp-secret"/); // the same key is shown again
    const on = await b.post('/account/two-factor', { _csrf, action: 'confirm', code: totpCode(secret) });
    assert.equal(on.statusCode, 200);
    assert.match(on.body, /Two-factor login is on/);

    const c = fresh(t);
    const first = await c.login('totp@example.com', PASSWORD, '/account/two-factor');
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, '/login/two-factor?next=%2Faccount%2Ftwo-factor');
    assert.equal(setCookie(first, 'dl_session'), undefined);
    assert.match(setCookie(first, 'dl_login') ?? '', /HttpOnly/);
    const step = '/login/two-factor?next=%2Faccount%2Ftwo-factor';
    const codeCsrf = await c.csrf(step);
    const refused = await c.post(step, { _csrf: codeCsrf, code: wrongCode, next: '/account/two-factor' });
    assert.equal(refused.statusCode, 401);
    assert.match(refused.body, /That code is not right/);
    assert.equal(setCookie(refused, 'dl_session'), undefined);
    const done = await c.post(step, { _csrf: codeCsrf, code: totpCode(secret), next: '/account/two-factor' });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/account/two-factor');
    assert.ok(setCookie(done, 'dl_session'));
    assert.equal((await c.get('/account')).statusCode, 200);

    // Without the password step there is no code step.
    assert.equal((await fresh(t).get('/login/two-factor')).headers.location, '/login');

    const offCsrf = await c.csrf('/account/two-factor');
    const off = await c.post('/account/two-factor', { _csrf: offCsrf, action: 'disable', password: PASSWORD });
    assert.match(off.body, /Two-factor login is off/);
    assert.equal((await fresh(t).login('totp@example.com')).headers.location, '/admin');
  });

  test('API tokens: made on the account page (shown once) and revoked there', async () => {
    await makeUser(t.db.kysely, { email: 'page-token@example.com' });
    const b = fresh(t);
    await b.login('page-token@example.com');
    const _csrf = await b.csrf('/account');
    const made = await b.post('/account/tokens', { _csrf, name: 'nightly import' });
    assert.equal(made.statusCode, 200);
    const secret = made.body.match(/id="new-token">(dl_[A-Za-z0-9_-]+)</)?.[1];
    assert.ok(secret);
    assert.doesNotMatch((await b.get('/account')).body, new RegExp(secret));
    const me = await t.app.inject({ method: 'GET', url: '/api/newsroom/v1/me', headers: { authorization: `Bearer ${secret}` } });
    assert.equal(me.statusCode, 200);
    const id = (await t.db.kysely.selectFrom('api_tokens').select('id').where('name', '=', 'nightly import').executeTakeFirstOrThrow()).id;
    const revoked = await b.post(`/account/tokens/${id}/revoke`, { _csrf });
    assert.equal(revoked.statusCode, 200);
    assert.match(revoked.body, /is revoked/);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/newsroom/v1/me', headers: { authorization: `Bearer ${secret}` } })).statusCode, 401);
  });

  test('API tokens through the API: session needs the CSRF header; Bearer works; 401 JSON without or after revoke', async () => {
    await makeUser(t.db.kysely, { email: 'api@example.com', role: 'managing_editor' });
    const b = fresh(t);
    await b.login('api@example.com');
    const csrf = await b.csrf('/account');
    const json = (headers: Record<string, string>, payload?: object) => ({ headers: { 'content-type': 'application/json', ...headers }, payload: payload && JSON.stringify(payload) });

    const noHeader = await t.app.inject({ method: 'POST', url: '/api/newsroom/v1/tokens', ...json({ cookie: b.header() }, { name: 'script' }) });
    assert.equal(noHeader.statusCode, 403);
    assert.equal(noHeader.json().error.code, 'forbidden');

    const created = await t.app.inject({ method: 'POST', url: '/api/newsroom/v1/tokens', ...json({ cookie: b.header(), 'x-csrf-token': csrf }, { name: 'script' }) });
    assert.equal(created.statusCode, 201);
    const { secret, token } = created.json();
    assert.match(secret, /^dl_/);
    assert.equal(token.name, 'script');
    assert.equal(token.secret, undefined);

    const bearer = { authorization: `Bearer ${secret}` };
    const me = await t.app.inject({ method: 'GET', url: '/api/newsroom/v1/me', headers: bearer });
    assert.equal(me.statusCode, 200);
    assert.equal(me.headers['cache-control'], 'no-store');
    assert.deepEqual({ ...me.json().user, id: 0, createdAt: '' }, { id: 0, email: 'api@example.com', role: 'managing_editor', personId: null, displayName: '', twoFactorEnabled: false, createdAt: '' });
    assert.equal(me.json().via, 'token');
    assert.equal(JSON.stringify(me.json()).includes('password'), false);

    // A token makes another token without CSRF (no browser involved) and lists its owner's tokens.
    const second = await t.app.inject({ method: 'POST', url: '/api/newsroom/v1/tokens', ...json(bearer, { name: 'second' }) });
    assert.equal(second.statusCode, 201);
    const list = await t.app.inject({ method: 'GET', url: '/api/newsroom/v1/tokens', headers: bearer });
    assert.deepEqual(list.json().tokens.map((x: { name: string }) => x.name).sort(), ['script', 'second']);
    const blank = await t.app.inject({ method: 'POST', url: '/api/newsroom/v1/tokens', ...json(bearer, { name: ' ' }) });
    assert.equal(blank.statusCode, 400);
    assert.equal(blank.json().error.code, 'invalid_input');

    const anonymous = await t.app.inject({ method: 'GET', url: '/api/newsroom/v1/me' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().error.code, 'unauthenticated');
    const bogus = await t.app.inject({ method: 'GET', url: '/api/newsroom/v1/me', headers: { authorization: 'Bearer dl_bogus' } });
    assert.equal(bogus.statusCode, 401);

    const revoke = await t.app.inject({ method: 'DELETE', url: `/api/newsroom/v1/tokens/${token.id}`, headers: bearer });
    assert.equal(revoke.statusCode, 200);
    assert.ok(revoke.json().token.revokedAt);
    const afterRevoke = await t.app.inject({ method: 'GET', url: '/api/newsroom/v1/me', headers: bearer });
    assert.equal(afterRevoke.statusCode, 401);
    assert.deepEqual(afterRevoke.json().error.code, 'unauthenticated');
    // Someone else's token is not found for you.
    const other = await makeUser(t.db.kysely, { email: 'api-other@example.com' });
    const theirs = await t.db.kysely.insertInto('api_tokens').values({ user_id: other.id, name: 'x', token_hash: 'h', created_at: new Date().toISOString(), last_used_at: null, revoked_at: null }).returning('id').executeTakeFirstOrThrow();
    const secondSecret = second.json().secret as string;
    const notYours = await t.app.inject({ method: 'DELETE', url: `/api/newsroom/v1/tokens/${theirs.id}`, headers: { authorization: `Bearer ${secondSecret}` } });
    assert.equal(notYours.statusCode, 404);
  });

  test('POST /login is rate limited per address: the 11th in a minute gets 429', async () => {
    const b = fresh(t);
    const _csrf = await b.csrf('/login');
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await b.post('/login', { _csrf, email: 'nobody@example.com', password: 'x' })).statusCode);
    assert.deepEqual(codes.slice(0, 10), Array(10).fill(401));
    assert.equal(codes[10], 429);
    // Another address is not affected.
    assert.equal((await fresh(t).login('nobody@example.com', 'x')).statusCode, 401);
  });
});

eachDatabase('session cookie behind HTTPS', (kind) => {
  let t: TestApp;
  before(async () => (t = await startAuthApp(kind, { env: { SITE_URL: 'https://news.example' } })));
  after(() => t.close());

  test('the session cookie is Secure when SITE_URL is https', async () => {
    await makeUser(t.db.kysely, { email: 'secure@example.com' });
    const res = await new Browser(t.app, '10.1.0.1').login('secure@example.com');
    assert.equal(res.statusCode, 303);
    const cookie = setCookie(res, 'dl_session');
    assert.match(cookie ?? '', /; Secure/);
    assert.match(cookie ?? '', /; HttpOnly/);
    assert.match(cookie ?? '', /; SameSite=Lax/);
  });
});
