import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { DiskStorage } from '../../src/media/storage.ts';
import { importWxr } from '../../src/newsroom/import/wxr/importer.ts';
import { wxrMediaImporter } from '../../src/newsroom/import/wxr/media.ts';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';

const fixture = new URL('../fixtures/wxr/newsroom.xml', import.meta.url);

eachDatabase('import wxr with --media-dir', (kind) => {
  let t: TestApp;
  let dir: string;
  let uploads: string;
  let mediaDir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dateline-wxr-media-'));
    uploads = join(dir, 'uploads');
    mediaDir = join(dir, 'media');
    mkdirSync(join(uploads, '2026', '11'), { recursive: true });
    // tanker.jpg is there; vienna.jpg is not.
    await sharp({ create: { width: 800, height: 500, channels: 3, background: { r: 20, g: 80, b: 140 } } }).jpeg().toFile(join(uploads, '2026', '11', 'tanker.jpg'));
    t = await startApp(kind, { env: { MEDIA_DIR: mediaDir } });
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = () => importWxr(t.db.kysely, () => createReadStream(fixture), { media: wxrMediaImporter(t.db.kysely, new DiskStorage(mediaDir), uploads, 20 * 1024 * 1024) });

  test('found images join the library with alt text and caption; featured images and bodies point there; the rest stay remote and are reported', async () => {
    const s = await run();
    assert.deepEqual(s.media, { imported: 1, remote: 0, missing: 1 });
    assert.ok(s.notes.some((n) => n.id === '202' && /image kept at its old URL: 2026\/11\/vienna.jpg is not in --media-dir/.test(n.reason)));
    const media = await t.db.kysely.selectFrom('media').selectAll().execute();
    assert.equal(media.length, 1);
    assert.equal(media[0]?.alt, 'A tanker at Bandar Abbas');
    assert.equal(media[0]?.caption, 'A tanker at Bandar Abbas.');
    const oil = await t.db.kysely.selectFrom('articles').selectAll().where('slug', '=', 'oil-prices-climb').executeTakeFirstOrThrow();
    assert.match(oil.lead_image_url ?? '', /^\/media\/[0-9a-f]{32}\/\d+x\d+\.jpg$/);
    assert.ok(oil.body_html.includes(`src="${oil.lead_image_url}"`), 'the captioned image in the body');
    assert.ok(oil.body_html.includes('src="https://tehran-daily.example/wp-content/uploads/2026/11/vienna.jpg"'), 'the missing one stays remote');
    const file = await t.app.inject({ method: 'GET', url: oil.lead_image_url ?? '' });
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'image/jpeg');
  });

  test('a second run uploads nothing again', async () => {
    const s = await run();
    assert.equal(s.media.imported, 0);
    assert.equal((await t.db.kysely.selectFrom('media').select('id').execute()).length, 1);
  });
});
