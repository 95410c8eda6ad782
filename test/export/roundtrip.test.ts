import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJsonl, importExport } from '../../src/newsroom/export/jsonl.ts';
import { importWxr } from '../../src/newsroom/import/wxr/importer.ts';
import { createArticle } from '../../src/newsroom/articles/commands.ts';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';

const fixture = fileURLToPath(new URL('../fixtures/wxr/newsroom.xml', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

/** What a reader gets, less what changes from one request to the next (times, form tokens). */
const normalise = (body: string) =>
  body
    .replace(/<time[^>]*>[^<]*<\/time>/g, '<time/>')
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf"');

eachDatabase('export jsonl and import it into an empty newsroom', (kind) => {
  let source: TestApp;
  let target: TestApp;
  let lines: string[];
  before(async () => {
    source = await startApp(kind, { demo: true });
    await importWxr(source.db.kysely, () => createReadStream(fixture));
    // A story whose search title and description differ from its headline and dek.
    await source.db.kysely.updateTable('articles').set({ seo_title: 'Oil: Brent above $90 & rising', seo_description: 'Why "talks stall" moved the oil price.' }).where('slug', '=', 'oil-prices-climb').execute();
    target = await startApp(kind);
  });
  after(async () => {
    await source.close();
    await target.close();
  });

  test('the export names every table, parents first, with no account and no secret', async () => {
    lines = [];
    const counts = await exportJsonl(source.db.kysely, (line) => {
      lines.push(line);
    });
    assert.equal(JSON.parse(lines[0] as string).format, 'dateline-export');
    assert.ok((counts.articles ?? 0) >= 17);
    assert.ok((counts.static_pages ?? 0) === 3);
    assert.ok((counts.legacy_redirects ?? 0) > 10);
    assert.ok(!lines.some((l) => l.includes('cookie_secret')));
    assert.ok(!lines.some((l) => l.includes('"type":"users"') || l.includes('password_hash')));
  });

  test('the imported newsroom serves the same public pages', async () => {
    await importExport(target.db.kysely, lines);
    const published = await source.db.kysely
      .selectFrom('articles')
      .innerJoin('desks', 'desks.id', 'articles.desk_id')
      .select(['articles.slug', 'desks.slug as desk'])
      .where('articles.status', '=', 'published')
      .orderBy('articles.id')
      .execute();
    const desks = await source.db.kysely.selectFrom('desks').select('slug').execute();
    const urls = [
      '/', '/staff', '/corrections', '/archive', '/archive/2026/11', '/about', '/about/team', '/?p=101', '/2026/11/20/oil-prices-climb/',
      '/tag/oil', '/author/sara-karimi', '/author/ifp-editorial-staff', '/feed.xml', '/sitemap.xml',
      ...desks.map((d) => `/${d.slug}`),
      ...published.map((a) => `/${a.desk}/${a.slug}`),
    ];
    let compared = 0;
    for (const url of urls) {
      const [a, b] = await Promise.all([source.app.inject({ method: 'GET', url }), target.app.inject({ method: 'GET', url })]);
      assert.equal(b.statusCode, a.statusCode, url);
      if (a.statusCode === 301) assert.equal(b.headers.location, a.headers.location, url);
      else assert.equal(normalise(b.body), normalise(a.body), url);
      compared++;
    }
    assert.ok(compared > 25);
  });

  test('the SEO title and description come along: the <title> and meta description of the story page', async () => {
    const desk = await target.db.kysely.selectFrom('articles').innerJoin('desks', 'desks.id', 'articles.desk_id').select('desks.slug').where('articles.slug', '=', 'oil-prices-climb').executeTakeFirstOrThrow();
    const page = await target.app.inject({ method: 'GET', url: `/${desk.slug}/oil-prices-climb` });
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('<title>Oil: Brent above $90 &amp; rising'), 'the SEO title');
    assert.ok(page.body.includes('<meta name="description" content="Why &quot;talks stall&quot; moved the oil price."/>'), 'the SEO description');
    assert.ok(lines.some((l) => l.includes('"seo_title":"Oil: Brent above $90 & rising"')));
  });

  test('a second import is refused: the newsroom is not empty', async () => {
    await assert.rejects(importExport(target.db.kysely, lines), /not empty/);
  });

  test('new stories after the import get new ids', async () => {
    const desk = await target.db.kysely.selectFrom('desks').select('id').executeTakeFirstOrThrow();
    const id = await target.db.kysely.transaction().execute((trx) => createArticle(trx, { headline: 'After the move', deskId: desk.id }));
    const max = await source.db.kysely.selectFrom('articles').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow();
    assert.ok(id > Number(max.m));
  });
});

test('dateline export and dateline import export on the command line', { skip: false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-export-'));
  try {
    const env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'a.db')}`, DATELINE_DEMO: 'false' };
    const load = spawnSync(process.execPath, ['bin/dateline.js', 'import', 'wxr', fixture], { cwd: root, env, encoding: 'utf8' });
    assert.equal(load.status, 0, load.stderr);
    const out = join(dir, 'site.jsonl');
    const made = spawnSync(process.execPath, ['bin/dateline.js', 'export', '--output', out], { cwd: root, env, encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    assert.match(made.stderr, /Exported to .*site\.jsonl: .*articles 7/);
    assert.ok(readFileSync(out, 'utf8').split('\n').length > 40);
    const targetEnv = { ...env, DATABASE_URL: `sqlite:${join(dir, 'b.db')}` };
    const loaded = spawnSync(process.execPath, ['bin/dateline.js', 'import', 'export', out], { cwd: root, env: targetEnv, encoding: 'utf8' });
    assert.equal(loaded.status, 0, loaded.stderr);
    assert.match(loaded.stdout, /Imported .*articles 7/);
    const again = spawnSync(process.execPath, ['bin/dateline.js', 'import', 'export', out], { cwd: root, env: targetEnv, encoding: 'utf8' });
    assert.equal(again.status, 1);
    assert.match(again.stderr, /not empty.*nothing was imported/);
    const wxr = spawnSync(process.execPath, ['bin/dateline.js', 'export', '--format', 'wxr'], { cwd: root, env, encoding: 'utf8' });
    assert.equal(wxr.status, 0, wxr.stderr);
    assert.match(wxr.stdout, /^<\?xml version="1\.0" encoding="UTF-8" \?>/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
