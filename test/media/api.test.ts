// The media library through HTTP on the real app: multipart uploads, JSON errors, search,
// permissions, the served files and their headers, and a story page showing a library image.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import { Browser, makeUser } from '../auth/helpers.ts';
import { createApiToken } from '../../src/newsroom/auth/tokens.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { createArticle } from '../../src/newsroom/articles/commands.ts';
import type { Role } from '../../src/newsroom/users.ts';
import { exifGpsTags, formData, gif, photoJpeg, transparentPng } from './factories.ts';

type Who = 'writer' | 'otherWriter' | 'editor' | 'admin';
const API = '/api/newsroom/v1';
const MAX_BYTES = 300 * 1024;

function filesUnder(root: string): string[] {
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  try {
    return walk(root).sort();
  } catch {
    return [];
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

eachDatabase('media library API', (kind) => {
  let t: TestApp;
  let mediaDir: string;
  const tokens = {} as Record<Who, string>;

  before(async () => {
    mediaDir = mkdtempSync(join(tmpdir(), 'dateline-media-'));
    t = await startApp(kind, { env: { MEDIA_DIR: mediaDir, MEDIA_MAX_BYTES: String(MAX_BYTES) } });
    const roles: Record<Who, Role> = { writer: 'contributor', otherWriter: 'contributor', editor: 'desk_editor', admin: 'admin' };
    for (const [who, role] of Object.entries(roles) as Array<[Who, Role]>) {
      const user = await makeUser(t.db.kysely, { email: `${who}@example.com`, role, password: who === 'writer' ? undefined : null });
      tokens[who] = (await createApiToken(t.db.kysely, user.id, 'tests')).secret;
    }
  });
  after(async () => {
    await t.close();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  const auth = (who: Who | null): Record<string, string> => (who ? { authorization: `Bearer ${tokens[who]}` } : {});

  const send = async (who: Who | null, fields: Record<string, string>, file?: { data: Buffer; filename: string; type?: string; field?: string }, headers: Record<string, string> = {}) => {
    const body = await formData(fields, file);
    const res = await t.app.inject({ method: 'POST', url: `${API}/media`, headers: { ...auth(who), ...body.headers, ...headers }, payload: body.payload });
    return { status: res.statusCode, body: res.json() as Json, headers: res.headers };
  };

  const call = async (who: Who | null, method: 'GET' | 'PATCH' | 'DELETE', url: string, payload?: object) => {
    const res = await t.app.inject({ method, url: `${API}${url}`, headers: auth(who), ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: (res.body ? res.json() : {}) as Json };
  };

  test('anonymous: 401 JSON for every route, and the upload is not even read', async () => {
    const res = await send(null, { alt: 'x' }, { data: await photoJpeg(50, 50), filename: 'a.jpg', type: 'image/jpeg' });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'unauthenticated');
    for (const [method, url] of [['GET', '/media'], ['GET', '/media/1'], ['PATCH', '/media/1'], ['DELETE', '/media/1']] as const) {
      assert.equal((await call(null, method, url, method === 'PATCH' ? { alt: 'x' } : undefined)).status, 401, `${method} ${url}`);
    }
    assert.deepEqual(filesUnder(mediaDir), []);
  });

  test('a contributor uploads a photo: 201 with the library entry, files served with immutable caching and no metadata', async () => {
    const data = await photoJpeg(1000, 750, { metadata: true });
    assert.ok(exifGpsTags((await sharp(data).metadata()).exif).length > 0);
    const res = await send('writer', { alt: 'Crowd at the rally', caption: 'Azadi Square.', credit: 'IFP photo' }, { data, filename: 'rally.jpg', type: 'image/jpeg' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.headers['cache-control'], 'no-store');
    const m = res.body.media;
    assert.equal(res.headers.location, `${API}/media/${m.id}`);
    assert.match(m.key, /^[0-9a-f]{32}$/);
    assert.deepEqual(
      { url: m.url, filename: m.filename, mime: m.mime, width: m.width, height: m.height, bytes: m.bytes, alt: m.alt, caption: m.caption, credit: m.credit, fallback: m.fallback },
      { url: `/media/${m.key}/1000x750.jpg`, filename: 'rally.jpg', mime: 'image/jpeg', width: 1000, height: 750, bytes: data.length, alt: 'Crowd at the rally', caption: 'Azadi Square.', credit: 'IFP photo', fallback: 'jpeg' },
    );
    assert.deepEqual(m.leadImage, { url: m.url, alt: 'Crowd at the rally', caption: 'Azadi Square.', credit: 'IFP photo' });
    assert.equal(m.originalUrl, `/media/${m.key}/original.jpg`);
    assert.equal(m.thumbnailUrl, `/media/${m.key}/320x240.jpg`);
    assert.deepEqual(m.files.map((f: Json) => f.name), ['original.jpg', ...['320x240', '640x480', '1000x750'].flatMap((s) => ['avif', 'webp', 'jpg'].map((e) => `${s}.${e}`))]);

    const types: Record<string, string> = { avif: 'image/avif', webp: 'image/webp', jpg: 'image/jpeg' };
    for (const file of m.files as Json[]) {
      const served = await t.app.inject({ method: 'GET', url: file.url });
      assert.equal(served.statusCode, 200, file.url);
      assert.equal(served.headers['content-type'], types[file.name.split('.').pop()]);
      assert.equal(served.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.equal(served.headers['x-content-type-options'], 'nosniff');
      assert.equal(served.headers['cross-origin-resource-policy'], 'cross-origin');
      assert.equal(Number(served.headers['content-length']), file.bytes);
      const meta = await sharp(served.rawPayload).metadata();
      assert.deepEqual([meta.width, meta.height, meta.exif, meta.xmp], [file.width, file.height, undefined, undefined], file.url);
    }
    const etag = (await t.app.inject({ method: 'GET', url: m.url })).headers.etag as string;
    const again = await t.app.inject({ method: 'GET', url: m.url, headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal((await t.app.inject({ method: 'HEAD', url: m.url })).statusCode, 200);

    const read = await call('otherWriter', 'GET', `/media/${m.id}?sizes=${encodeURIComponent('(min-width: 40rem) 40rem, 100vw')}`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body.media, m);
    assert.equal(read.body.picture.sizes, '(min-width: 40rem) 40rem, 100vw');
    assert.deepEqual(read.body.picture.sources.map((s: Json) => s.type), ['image/avif', 'image/webp']);
    assert.match(read.body.bodyHtml, /^<figure class="image"><img src="\/media\/[0-9a-f]{32}\/1000x750\.jpg" alt="Crowd at the rally" width="1000" height="750" srcset="[^"]+" sizes="\(min-width: 40rem\) 40rem, 100vw"><figcaption>Azadi Square\. — <cite>IFP photo<\/cite><\/figcaption><\/figure>$/);
    assert.deepEqual(read.body.usedBy, []);
  });

  test('an upload larger than the JSON body limit (256 KB) but within MEDIA_MAX_BYTES is taken', async () => {
    const noise = await sharp(randomBytes(305 * 305 * 3), { raw: { width: 305, height: 305, channels: 3 } }).png().toBuffer();
    assert.ok(noise.length > 256 * 1024 && noise.length < MAX_BYTES, `${noise.length} bytes`);
    const res = await send('writer', { alt: 'Noise' }, { data: noise, filename: 'noise.png', type: 'image/png' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.media.bytes, noise.length);
  });

  test('unknown or malformed media URLs are 404, and nothing outside the store is reachable', async () => {
    const key = '0'.repeat(32);
    for (const url of [
      `/media/${key}/original.jpg`,
      '/media/convoy-lead.jpg',
      '/media/..%2F..%2Fpackage.json/original.jpg',
      `/media/${key}/..%2F..%2F..%2Fpackage.json`,
      `/media/${key}/original.jpg%00.png`,
      `/media/${key}/.original.jpg.abc.tmp`,
      `/media/${key.toUpperCase()}/original.jpg`,
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.headers['cache-control'], 'no-store', url);
    }
    // Dot segments are resolved by the router before any route sees them: never a file.
    const dots = await t.app.inject({ method: 'GET', url: '/media/%2E%2E/%2E%2E/package.json' });
    assert.doesNotMatch(String(dots.headers['content-type']), /^image\/|json/);
    assert.doesNotMatch(dots.body, /"name": "dateline"/);
  });

  test('refusals are clear 400/413 JSON errors by field, and store nothing', async () => {
    const before = filesUnder(mediaDir);
    const rows = async () => (await call('admin', 'GET', '/media')).body.total as number;
    const count = await rows();

    const isGif = await send('writer', { alt: 'A cat' }, { data: await gif(30, 30), filename: 'cat.gif', type: 'image/gif' });
    assert.equal(isGif.status, 400);
    assert.deepEqual(isGif.body.error, { code: 'invalid_input', message: 'This file is a GIF; upload JPEG, PNG, WebP or AVIF.', fields: { file: 'This file is a GIF; upload JPEG, PNG, WebP or AVIF.' } });

    const renamed = await send('writer', { alt: 'Text' }, { data: Buffer.from('Not a picture at all.\n'), filename: 'holiday.jpg', type: 'image/jpeg' });
    assert.equal(renamed.status, 400);
    assert.match(renamed.body.error.fields.file, /its name ends in \.jpg, but it is not a JPEG/);

    const noAlt = await send('writer', { caption: 'No alt' }, { data: await photoJpeg(60, 40), filename: 'a.jpg' });
    assert.equal(noAlt.status, 400);
    assert.match(noAlt.body.error.fields.alt, /alt text/);

    const noFile = await send('writer', { alt: 'Nothing' });
    assert.equal(noFile.status, 400);
    assert.match(noFile.body.error.fields.file, /Choose an image/);

    const wrongField = await send('writer', { alt: 'x' }, { data: await photoJpeg(60, 40), filename: 'a.jpg', field: 'image' });
    assert.equal(wrongField.status, 400);
    assert.match(wrongField.body.error.fields.file, /field named "file"/);

    const big = Buffer.concat([await photoJpeg(60, 40), Buffer.alloc(MAX_BYTES)]);
    const tooBig = await send('writer', { alt: 'Huge' }, { data: big, filename: 'huge.jpg', type: 'image/jpeg' });
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.body.error.code, 'payload_too_large');
    assert.match(tooBig.body.error.message, /^This file is larger than 300 KB; the largest image we accept is 300 KB\./);

    const json = await t.app.inject({ method: 'POST', url: `${API}/media`, headers: { ...auth('writer'), 'content-type': 'application/json' }, payload: { alt: 'x' } });
    assert.equal(json.statusCode, 400);
    assert.match(json.json().error.fields.file, /multipart\/form-data/);

    const twoFiles = new FormData();
    twoFiles.append('alt', 'Two');
    twoFiles.append('file', new Blob([new Uint8Array(await photoJpeg(20, 20))]), 'a.jpg');
    twoFiles.append('file', new Blob([new Uint8Array(await photoJpeg(21, 20))]), 'b.jpg');
    const request = new Request('http://x/', { method: 'POST', body: twoFiles });
    const two = await t.app.inject({ method: 'POST', url: `${API}/media`, headers: { ...auth('writer'), 'content-type': request.headers.get('content-type')! }, payload: Buffer.from(await request.arrayBuffer()) });
    assert.equal(two.statusCode, 400);
    assert.match(two.json().error.fields.file, /one image at a time/);

    assert.deepEqual(filesUnder(mediaDir), before, 'no orphan files');
    assert.equal(await rows(), count, 'no rows');
  });

  test('search, read, fix the text; permissions for text and delete', async () => {
    const up = async (who: Who, alt: string, caption: string, credit: string, w: number) =>
      (await send(who, { alt, caption, credit }, { data: await photoJpeg(w, 100), filename: `${alt.split(' ')[0]}.jpg` })).body.media as Json;
    const a = await up('writer', 'Tanker in the Gulf', 'Crude exports rise', 'Reza Karimi', 121);
    const b = await up('otherWriter', 'Cabinet meeting', 'Ministers on fuel prices', 'IFP photo', 122);
    const png = (await send('writer', { alt: 'Chart of fuel prices' }, { data: await transparentPng(400, 200), filename: 'chart.png' })).body.media as Json;
    assert.equal(png.fallback, 'png');
    assert.equal(png.url, `/media/${png.key}/400x200.png`);

    const search = async (query: string, who: Who = 'editor') => ((await call(who, 'GET', `/media${query}`)).body.media as Json[]).map((m) => m.id);
    assert.deepEqual(await search('?q=tanker'), [a.id]);
    assert.deepEqual(await search('?q=FUEL'), [png.id, b.id], 'caption and alt, any case, newest first');
    assert.deepEqual(await search('?q=karimi'), [a.id], 'credit');
    assert.deepEqual(await search('?q=chart.png'), [png.id], 'file name');
    assert.deepEqual(await search('?q=fuel&mine=true', 'writer'), [png.id]);
    const paged = await call('editor', 'GET', '/media?q=fuel&limit=1');
    assert.deepEqual([paged.body.media.length, paged.body.total, paged.body.more], [1, 2, true]);
    assert.equal((await call('editor', 'GET', '/media?limit=abc')).status, 400);
    assert.equal((await call('editor', 'GET', '/media/999999')).status, 404);

    assert.equal((await call('otherWriter', 'PATCH', `/media/${a.id}`, { alt: 'Not mine' })).status, 403);
    const fixed = await call('writer', 'PATCH', `/media/${a.id}`, { caption: 'Crude exports rise in November' });
    assert.equal(fixed.status, 200);
    assert.equal(fixed.body.media.caption, 'Crude exports rise in November');
    assert.equal(fixed.body.media.alt, 'Tanker in the Gulf');
    assert.ok(fixed.body.media.updatedAt);
    assert.equal((await call('editor', 'PATCH', `/media/${a.id}`, { credit: 'Reza Karimi/IFP' })).body.media.credit, 'Reza Karimi/IFP');
    const empty = await call('writer', 'PATCH', `/media/${a.id}`, { alt: ' ' });
    assert.equal(empty.status, 400);
    assert.ok(empty.body.error.fields.alt);
    assert.equal((await call('writer', 'PATCH', `/media/${a.id}`, { url: '/elsewhere' })).status, 400, 'only the text can change');

    assert.equal((await call('writer', 'DELETE', `/media/${a.id}`)).status, 403, 'a contributor may not delete, even their own');
    const deleted = await call('editor', 'DELETE', `/media/${b.id}`);
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.body.deleted, { id: b.id, filesRemoved: true, usedBy: [] });
    assert.equal((await t.app.inject({ method: 'GET', url: b.url })).statusCode, 404, 'its files are gone');
    assert.equal((await call('editor', 'GET', `/media/${b.id}`)).status, 404);
  });

  test('a story page shows a library lead image as <picture>; deleting it is refused while used', async () => {
    const up = await send('writer', { alt: 'Lorries at the border crossing', caption: 'The convoy at dawn.', credit: 'IFP photo' }, { data: await photoJpeg(1600, 900), filename: 'convoy.jpg' });
    const m = up.body.media as Json;
    const desk = await createDesk(t.db.kysely, { name: 'World' });
    await createArticle(t.db.kysely, { slug: 'convoy', headline: 'Convoy reaches the border', deskId: desk.id, leadImage: m.leadImage, bodyHtml: '<p>Text.</p>' }, { status: 'published', publishedAt: new Date(Date.now() - 60_000) });
    const page = await t.app.inject({ method: 'GET', url: '/world/convoy' });
    assert.equal(page.statusCode, 200);
    const picture = /<picture>[\s\S]*?<\/picture>/.exec(page.body)?.[0];
    assert.ok(picture, 'a <picture> on the page');
    assert.match(picture, /<source type="image\/avif" srcset="[^"]+" sizes="[^"]+"/);
    assert.match(picture, /<source type="image\/webp" srcset="[^"]+" sizes="[^"]+"/);
    assert.match(picture, /<img src="[^"]+1600x900\.jpg" srcset="[^"]+" sizes="[^"]+" alt="Lorries at the border crossing" width="1600" height="900"/);
    const urls = [...picture.matchAll(/(\/media\/[0-9a-f]{32}\/[^ ",]+)/g)].map((x) => x[1]!);
    assert.equal(new Set(urls).size, 15, '5 widths (320 to 1600) × 3 formats');
    for (const url of new Set(urls)) assert.equal((await t.app.inject({ method: 'GET', url })).statusCode, 200, url);

    const refused = await call('editor', 'DELETE', `/media/${m.id}`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'conflict');
    assert.deepEqual(refused.body.error.details.usedBy.map((u: Json) => [u.headline, u.status, u.as]), [['Convoy reaches the border', 'published', ['lead']]]);
    assert.deepEqual((await call('editor', 'GET', `/media/${m.id}`)).body.usedBy.map((u: Json) => u.headline), ['Convoy reaches the border']);
    const forced = await call('admin', 'DELETE', `/media/${m.id}?force=true`);
    assert.equal(forced.status, 200);
    assert.equal(forced.body.deleted.usedBy.length, 1);
  });

  test('a browser session uploads with its CSRF token in x-csrf-token, not without', async () => {
    const b = new Browser(t.app, '10.9.9.9');
    assert.equal((await b.login('writer@example.com')).statusCode, 303);
    const csrf = await b.csrf('/account');
    const file = { data: await photoJpeg(90, 60), filename: 'session.jpg', type: 'image/jpeg' };
    const without = await send(null, { alt: 'By session' }, file, { cookie: b.header() });
    assert.equal(without.status, 403);
    assert.match(without.body.error.message, /x-csrf-token/);
    const withToken = await send(null, { alt: 'By session' }, file, { cookie: b.header(), 'x-csrf-token': csrf });
    assert.equal(withToken.status, 201, JSON.stringify(withToken.body));
  });
});
