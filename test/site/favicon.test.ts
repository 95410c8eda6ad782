// The icon browsers ask for by themselves: an answer, not a 404 in every visitor's console.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

let t: TestApp;
before(async () => {
  t = await startApp(testDatabases()[0]!);
});
after(() => t.close());

test('/favicon.ico is the site mark, cacheable for a day', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/favicon.ico' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'image/png');
  assert.equal(res.headers['cache-control'], 'public, max-age=86400');
  assert.deepEqual([...res.rawPayload.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
});
