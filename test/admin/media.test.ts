// The media library page: upload through a plain multipart form with its CSRF token, errors
// that keep the typed text, search, and the addresses to reuse.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import { Browser, makeUser } from '../auth/helpers.ts';
import { formData, gif, photoJpeg } from '../media/factories.ts';

eachDatabase('media library page', (kind) => {
  let t: TestApp;
  let mediaDir: string;
  let b: Browser;
  before(async () => {
    mediaDir = mkdtempSync(join(tmpdir(), 'dateline-media-page-'));
    t = await startApp(kind, { env: { MEDIA_DIR: mediaDir } });
    await makeUser(t.db.kysely, { email: 'photo@example.com', role: 'contributor' });
    b = new Browser(t.app, '10.1.0.1');
    await b.login('photo@example.com');
  });
  after(async () => {
    await t.close();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  const upload = async (fields: Record<string, string>, file?: { data: Buffer; filename: string; type?: string }) => {
    const { payload, headers } = await formData(fields, file);
    return t.app.inject({ method: 'POST', url: '/admin/media', remoteAddress: '10.1.0.1', headers: { ...headers, cookie: b.header() }, payload });
  };

  test('the page offers an accessible upload form', async () => {
    const page = await b.get('/admin/media');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /enctype="multipart\/form-data"/);
    assert.match(page.body, /<label for="alt">Alt text \(required\)<\/label>/);
    assert.match(page.body, /No images yet/);
    assert.equal((await new Browser(t.app, '10.1.0.9').get('/admin/media')).statusCode, 303);
  });

  test('upload, then find it and its address to reuse', async () => {
    const csrf = await b.csrf('/admin/media');
    const res = await upload({ _csrf: csrf, alt: 'Protesters outside parliament', caption: 'Tehran, Monday.', credit: 'IFP photo' }, { data: await photoJpeg(1200, 800), filename: 'protest.jpg', type: 'image/jpeg' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const id = /uploaded=(\d+)/.exec(res.headers.location as string)?.[1];
    const page = await b.get(res.headers.location as string);
    assert.match(page.body, /Uploaded\./);
    assert.match(page.body, new RegExp(`id="media-${id}" class="highlight"`));
    assert.match(page.body, /value="\/media\/[0-9a-f]{32}\/\d+x\d+\.jpg"/);
    const found = await b.get('/admin/media?q=parliament');
    assert.match(found.body, /Protesters outside parliament/);
    assert.match((await b.get('/admin/media?q=nothing-like-this')).body, /No image matches/);
  });

  test('refusals keep the typed text and say what to do', async () => {
    const noCsrf = await upload({ alt: 'Kept alt', caption: 'Kept caption', credit: '' }, { data: await photoJpeg(400, 300), filename: 'a.jpg' });
    assert.equal(noCsrf.statusCode, 403);
    assert.match(noCsrf.body, /value="Kept alt"/);
    assert.match(noCsrf.body, /Choose the file again/);

    const csrf = await b.csrf('/admin/media');
    const wrongType = await upload({ _csrf: csrf, alt: 'An animation', caption: '', credit: '' }, { data: await gif(50, 50), filename: 'x.gif', type: 'image/gif' });
    assert.equal(wrongType.statusCode, 400);
    assert.match(wrongType.body, /GIF; upload JPEG, PNG, WebP or AVIF/);
    assert.match(wrongType.body, /value="An animation"/);

    const noAlt = await upload({ _csrf: await b.csrf('/admin/media'), alt: '', caption: 'Caption only', credit: '' }, { data: await photoJpeg(400, 300), filename: 'b.jpg' });
    assert.equal(noAlt.statusCode, 400);
    assert.match(noAlt.body, /aria-invalid="true"/);
    assert.match(noAlt.body, /value="Caption only"/);
  });
});
