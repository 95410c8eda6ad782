import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createArticle } from '../../src/newsroom/articles/commands.ts';
import { backupSqlite, restoreSqlite } from '../../src/newsroom/backup/sqlite.ts';
import { importWxr } from '../../src/newsroom/import/wxr/importer.ts';
import { buildApp } from '../../src/server.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/wxr/newsroom.xml', import.meta.url));
const bin = join(root, 'bin/dateline.js');
const KEY = '0123456789abcdef0123456789abcdef';

async function pages(db: Db, dir: string, urls: string[]): Promise<Array<[string, number, string]>> {
  const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'x.db')}`, DATELINE_DEMO: 'false', MEDIA_DIR: join(dir, 'media') });
  const app = await buildApp({ config, db });
  try {
    const out: Array<[string, number, string]> = [];
    for (const url of urls) {
      const res = await app.inject({ method: 'GET', url });
      // Relative times and the CSRF cookie differ between two runs; the content must not.
      out.push([url, res.statusCode, res.statusCode === 301 ? String(res.headers.location) : res.body.replace(/<time[^>]*>[^<]*<\/time>/g, '')]);
    }
    return out;
  } finally {
    await app.close();
  }
}

describe('backup and restore (SQLite)', () => {
  let dir: string;
  let db: Db;
  let dbPath: string;
  let mediaDir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dateline-backup-'));
    dbPath = join(dir, 'data', 'dateline.db');
    mediaDir = join(dir, 'data', 'media');
    db = openDatabase(`sqlite:${dbPath}`);
    await migrateToLatest(db);
    await importWxr(db.kysely, () => createReadStream(fixture));
    // One library image with its files, as the media library stores them.
    mkdirSync(join(mediaDir, KEY.slice(0, 2), KEY), { recursive: true });
    for (const name of ['original.jpg', '320x200.webp']) writeFileSync(join(mediaDir, KEY.slice(0, 2), KEY, name), `bytes of ${name}`);
    await db.kysely
      .insertInto('media')
      .values({ key: KEY, original_name: 'x.jpg', mime: 'image/jpeg', width: 320, height: 200, bytes: 10, alt: 'x', caption: '', credit: '', variants: JSON.stringify([{ name: 'original.jpg' }, { name: '320x200.webp' }]), uploaded_by: null, created_at: new Date().toISOString(), updated_at: null })
      .execute();
  });
  after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a backup taken while stories are being written restores to the same site', async () => {
    const desk = await db.kysely.selectFrom('desks').select('id').executeTakeFirstOrThrow();
    // Writes go on during the backup, as they would while the site serves.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await db.kysely.transaction().execute((trx) => createArticle(trx, { headline: `Live ${written}`, deskId: desk.id, bodyHtml: '<p>x</p>' }, { status: 'published' }));
        written++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const file = join(dir, 'backup.tar.gz');
    const report = await backupSqlite({ databasePath: dbPath, mediaDir, file });
    writing = false;
    await writer;
    assert.ok(written > 0);
    assert.equal(report.manifest.media.files, 2);
    assert.deepEqual(report.manifest.media.missing, []);
    assert.ok(report.manifest.migrations.includes('2026-11-28T0830-wordpress'));

    const target = join(dir, 'restored');
    const restored = await restoreSqlite({ file, databasePath: join(target, 'dateline.db'), mediaDir: join(target, 'media') });
    assert.equal(restored.mediaFiles, 2);
    assert.equal(readFileSync(join(target, 'media', KEY.slice(0, 2), KEY, 'original.jpg'), 'utf8'), 'bytes of original.jpg');
    const copy = openDatabase(`sqlite:${join(target, 'dateline.db')}`);
    try {
      const n = await copy.kysely.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(n.n), report.manifest.counts.articles, 'the copy is the moment the manifest counted');
      const urls = ['/', '/economy/oil-prices-climb', '/about', '/about/team', '/2026/11/20/oil-prices-climb/', '/?p=101', '/middle-east', '/author/sara-karimi'];
      // The original, minus the stories written after the copy, is the same site.
      await db.kysely.deleteFrom('articles').where('headline', 'like', 'Live %').where('id', '>', Number(n.n)).execute();
      assert.deepEqual(await pages(copy, target, urls), await pages(db, dir, urls));
    } finally {
      await copy.close();
    }
  });

  test('restore refuses a place that is not empty, unless forced; a damaged or foreign file changes nothing', async () => {
    const file = join(dir, 'second.tar');
    await backupSqlite({ databasePath: dbPath, mediaDir, file });
    const target = join(dir, 'busy');
    mkdirSync(join(target, 'media'), { recursive: true });
    writeFileSync(join(target, 'media', 'keep.txt'), 'keep');
    await assert.rejects(restoreSqlite({ file, databasePath: join(target, 'dateline.db'), mediaDir: join(target, 'media') }), /not empty; restore into an empty data folder, or add --force/);
    assert.ok(existsSync(join(target, 'media', 'keep.txt')));
    const foreign = join(dir, 'foreign.tar');
    writeFileSync(foreign, 'this is not a tar file at all'.repeat(40));
    await assert.rejects(restoreSqlite({ file: foreign, databasePath: join(target, 'dateline.db'), mediaDir: join(target, 'media'), force: true }), /is not a Dateline backup/);
    assert.ok(existsSync(join(target, 'media', 'keep.txt')), 'nothing replaced');
    const done = await restoreSqlite({ file, databasePath: join(target, 'dateline.db'), mediaDir: join(target, 'media'), force: true });
    assert.equal(done.mediaFiles, 2);
    assert.ok(!existsSync(join(target, 'media', 'keep.txt')));
  });

  test('dateline backup and dateline restore on the command line', () => {
    const env = { ...process.env, DATABASE_URL: `sqlite:${dbPath}`, MEDIA_DIR: mediaDir, DATELINE_DEMO: 'false' };
    const file = join(dir, 'cli.tgz');
    const made = spawnSync(process.execPath, [bin, 'backup', file], { cwd: root, env, encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    assert.match(made.stdout, /Backed up .* to .*cli\.tgz/);
    assert.match(made.stdout, /media: 2 files/);
    const target = join(dir, 'cli-restore');
    const targetEnv = { ...env, DATABASE_URL: `sqlite:${join(target, 'dateline.db')}`, MEDIA_DIR: join(target, 'media') };
    const restored = spawnSync(process.execPath, [bin, 'restore', file], { cwd: root, env: targetEnv, encoding: 'utf8' });
    assert.equal(restored.status, 0, restored.stderr);
    assert.match(restored.stdout, /Restored the backup of/);
    const again = spawnSync(process.execPath, [bin, 'restore', file], { cwd: root, env: targetEnv, encoding: 'utf8' });
    assert.equal(again.status, 1);
    assert.match(again.stderr, /^dateline: .* not empty; restore into an empty data folder, or add --force to replace what is there\n$/);
  });
});

describe('backup on PostgreSQL', { skip: !process.env.TEST_DATABASE_URL }, () => {
  test('prints the pg_dump steps and checks the media', () => {
    const env = { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL ?? '', MEDIA_DIR: mkdtempSync(join(tmpdir(), 'dateline-media-')) };
    const run = spawnSync(process.execPath, [bin, 'backup', '/tmp/x'], { cwd: root, env, encoding: 'utf8' });
    assert.match(run.stdout, /pg_dump --format=custom --no-owner --file "\/tmp\/x.dump" "\$DATABASE_URL"/);
    const restore = spawnSync(process.execPath, [bin, 'restore', '/tmp/x'], { cwd: root, env, encoding: 'utf8' });
    assert.match(restore.stdout, /pg_restore --no-owner/);
  });
});
