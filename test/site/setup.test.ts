import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';

eachDatabase('owner set-up page', (kind) => {
  let t: TestApp;
  before(async () => (t = await startApp(kind)));
  after(() => t.close());

  async function openForm(path: string) {
    const res = await t.app.inject({ method: 'GET', url: path });
    assert.equal(res.statusCode, 200);
    const csrf = res.body.match(/name="_csrf" value="([^"]+)"/)?.[1];
    const cookie = (res.headers['set-cookie'] as string | string[] | undefined) ?? [];
    const cookies = (Array.isArray(cookie) ? cookie : [cookie]).map((c) => c.split(';')[0]).join('; ');
    assert.ok(csrf);
    return { csrf, cookies, body: res.body };
  }

  test('sets the password through the form; errors keep the form; the link then expires', async () => {
    const path = `/setup/${t.firstRun.ownerToken}`;
    const form = await openForm(path);
    assert.match(form.body, /owner@example\.com/);
    assert.equal((await t.app.inject({ method: 'GET', url: path })).headers['cache-control'], 'no-store');

    const post = (payload: Record<string, string>, cookie = form.cookies) =>
      t.app.inject({ method: 'POST', url: path, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(payload).toString() });

    const noCsrf = await post({ password: 'a long passphrase', confirm: 'a long passphrase' });
    assert.equal(noCsrf.statusCode, 403);
    assert.match(noCsrf.body, /expired/);

    const mismatch = await post({ _csrf: form.csrf, password: 'a long passphrase', confirm: 'another' });
    assert.equal(mismatch.statusCode, 400);
    assert.match(mismatch.body, /The two passwords differ/);
    assert.match(mismatch.body, /aria-invalid="true"/);

    const ok = await post({ _csrf: form.csrf, password: 'a long passphrase', confirm: 'a long passphrase' });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /Your password is set/);

    const again = await t.app.inject({ method: 'GET', url: path });
    assert.equal(again.statusCode, 410);
    assert.match(again.body, /used already/);
    assert.equal((await t.app.inject({ method: 'GET', url: '/setup/bogus' })).statusCode, 404);
  });
});
