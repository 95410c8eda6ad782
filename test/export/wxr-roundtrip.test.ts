import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { exportWxr } from '../../src/newsroom/export/wxr/writer.ts';
import { importWxr } from '../../src/newsroom/import/wxr/importer.ts';
import { sanitizeBody } from '../../src/newsroom/body.ts';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, unescapeHtml, type TestApp } from '../helpers/app.ts';

const fixture = fileURLToPath(new URL('../fixtures/wxr/newsroom.xml', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

/** The parts of a story page that are the story, each as the reader gets it. */
function storyParts(html: string) {
  const one = (re: RegExp) => re.exec(html)?.[1]?.trim() ?? null;
  const byline = one(/<span class="byline">([\s\S]*?)<\/span>/) ?? '';
  const tags = one(/<ul class="tags" aria-label="Tags">([\s\S]*?)<\/ul>/) ?? '';
  return {
    title: one(/<title>([^<]*)<\/title>/),
    description: one(/<meta name="description" content="([^"]*)"/),
    kicker: one(/<p class="kicker">([^<]*)<\/p>/),
    headline: one(/<h1>([^<]*)<\/h1>/),
    dek: one(/<p class="dek">([^<]*)<\/p>/),
    bylines: [...byline.matchAll(/rel="author">([^<]*)</g)].map((m) => m[1]),
    published: one(/Published <time datetime="([^".]*)/),
    body: one(/<div class="body">([\s\S]*?)<\/div>\s*(?:<aside|<footer|<section)/)?.replace(/>\s+</g, '><'),
    tags: [...tags.matchAll(/href="([^"]*)" rel="tag">([^<]*)</g)].map((m) => `${m[1]} ${m[2]}`),
    leadAlt: one(/<figure class="lead-figure">[\s\S]*?alt="([^"]*)"/),
    lang: one(/<article lang="([^"]*)"/),
  };
}

async function stories(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('articles')
    .innerJoin('desks', 'desks.id', 'articles.desk_id')
    .select(['articles.id', 'articles.slug', 'articles.headline', 'articles.kicker', 'articles.dek', 'articles.body_html', 'articles.excerpt', 'articles.status', 'articles.published_at', 'articles.seo_title', 'articles.seo_description', 'articles.language', 'articles.lead_image_alt', 'desks.slug as desk'])
    .orderBy('articles.headline')
    .execute();
  const out = [];
  for (const row of rows) {
    const bylines = await db.selectFrom('article_bylines').innerJoin('people', 'people.id', 'article_bylines.person_id').select('people.name').where('article_id', '=', row.id).orderBy('position').execute();
    const tags = await db.selectFrom('article_tags').innerJoin('tags', 'tags.id', 'article_tags.tag_id').select('tags.slug').where('article_id', '=', row.id).orderBy('position').execute();
    const { id: _id, published_at, ...rest } = row;
    // WordPress keeps times to the second.
    const publishedAt = published_at && new Date(Math.floor(Date.parse(published_at) / 1000) * 1000).toISOString();
    // The importer writes one block a line; the reader sees the same.
    out.push({ ...rest, body_html: rest.body_html.replace(/>\s+</g, '><'), published_at: publishedAt, bylines: bylines.map((b) => b.name), tags: tags.map((t) => t.slug) });
  }
  return out;
}

eachDatabase('export wxr and import it with import wxr into an empty newsroom', (kind) => {
  let source: TestApp;
  let target: TestApp;
  let xml = '';
  const dir = mkdtempSync(join(tmpdir(), 'dateline-wxr-'));
  before(async () => {
    source = await startApp(kind, { demo: true });
    const db = source.db.kysely;
    await importWxr(db, () => createReadStream(fixture));
    // What WordPress has no field for, and what breaks naive XML: set on one published story.
    const story = await db.selectFrom('articles').select(['id']).where('status', '=', 'published').orderBy('id').executeTakeFirstOrThrow();
    await db
      .updateTable('articles')
      .set({
        kicker: 'Exclusive',
        dek: 'What the minister said & did not say',
        seo_title: 'Minister: talks "close" — IFP',
        seo_description: 'The minister spoke to IFP about the talks & the deadline.',
        body_html: sanitizeBody('<p>A price above $90 ]]> forecasts.</p><p>Second <a href="/staff">paragraph</a>.</p>'),
        excerpt: 'Brent above $90 ]]> forecasts, and a second ]]]]> too.',
        language: 'fa',
      })
      .where('id', '=', story.id)
      .execute();
    // WordPress has no "taken down": an unpublished story travels as a private post.
    const withdrawn = await db.selectFrom('articles').select('id').where('status', '=', 'published').orderBy('id', 'desc').executeTakeFirstOrThrow();
    await db.updateTable('articles').set({ status: 'unpublished' }).where('id', '=', withdrawn.id).execute();
    const people = await db.selectFrom('people').select('id').orderBy('id').limit(3).execute();
    await db.deleteFrom('article_bylines').where('article_id', '=', story.id).execute();
    await db.insertInto('article_bylines').values(people.reverse().map((p, position) => ({ article_id: story.id, person_id: p.id, position }))).execute();
    target = await startApp(kind);
  });
  after(async () => {
    await source.close();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the export is well-formed WXR 1.2, streamed in pieces', async () => {
    let pieces = 0;
    const counts = await exportWxr(source.db.kysely, (chunk) => {
      xml += chunk;
      pieces++;
    }, { siteUrl: 'https://news.example', timeZone: 'Asia/Tehran', language: 'en' });
    assert.ok(counts.posts >= 17, `posts ${counts.posts}`);
    assert.equal(counts.pages, 3);
    assert.ok(pieces > counts.posts, 'written item by item, not as one string');
    const file = join(dir, 'site.xml');
    writeFileSync(file, xml);
    const lint = spawnSync('xmllint', ['--noout', file], { encoding: 'utf8' });
    assert.equal(lint.status, 0, lint.stderr);
    assert.match(xml, /<wp:wxr_version>1\.2<\/wp:wxr_version>/);
    assert.match(xml, /<wp:base_site_url>https:\/\/news\.example<\/wp:base_site_url>/);
    assert.ok(xml.includes('<excerpt:encoded><![CDATA[Brent above $90 ]]]]><![CDATA[> forecasts, and a second ]]]]]]><![CDATA[> too.]]></excerpt:encoded>'), 'a "]]>" in the text is split as WordPress splits it');
    assert.match(xml, /<wp:meta_key><!\[CDATA\[_yoast_wpseo_title\]\]><\/wp:meta_key>\s*<wp:meta_value><!\[CDATA\[Minister: talks "close" — IFP\]\]><\/wp:meta_value>/);
    // Tehran is UTC+03:30: a story's post_date is its post_date_gmt three and a half hours on.
    const dates = /<wp:post_date><!\[CDATA\[(.*?)\]\]><\/wp:post_date>\s*<wp:post_date_gmt><!\[CDATA\[(.*?)\]\]>/.exec(xml.slice(xml.indexOf('<wp:post_type><![CDATA[post]]>') - 1500));
    assert.ok(dates);
    assert.equal(Date.parse(`${dates[1]}Z`) - Date.parse(`${dates[2]}Z`), 3.5 * 3600_000);
    for (const status of ['publish', 'draft', 'pending', 'future', 'private']) assert.ok(xml.includes(`<wp:status><![CDATA[${status}]]></wp:status>`), status);
    assert.match(xml, /<wp:post_type><!\[CDATA\[attachment\]\]><\/wp:post_type>[\s\S]*?<wp:attachment_url>/);
  });

  test('import wxr of the export gives the same stories: statuses, times, desks, bylines, tags, bodies, SEO', async () => {
    const summary = await importWxr(target.db.kysely, () => Readable.from([Buffer.from(xml, 'utf8')]));
    assert.deepEqual(summary.skipped.filter((s) => !/attachment/.test(s.reason)), []);
    assert.deepEqual(await stories(target.db.kysely), await stories(source.db.kysely));
  });

  test('the same people, desks and tags', async () => {
    const names = async (db: Kysely<Database>, table: 'people' | 'desks' | 'tags') =>
      (await db.selectFrom(table).select('name').orderBy('name').execute()).map((r) => r.name);
    assert.deepEqual(await names(target.db.kysely, 'people'), await names(source.db.kysely, 'people'));
    const used = async (db: Kysely<Database>) => (await db.selectFrom('desks').select(['slug', 'name']).where('id', 'in', db.selectFrom('articles').select('desk_id')).orderBy('slug').execute());
    assert.deepEqual(await used(target.db.kysely), await used(source.db.kysely));
    const tags = async (db: Kysely<Database>) => (await db.selectFrom('tags').select(['slug', 'name']).where('id', 'in', db.selectFrom('article_tags').select('tag_id')).orderBy('slug').execute());
    assert.deepEqual(await tags(target.db.kysely), await tags(source.db.kysely));
  });

  test('every public page of the source answers the same on the imported site (or 301s to it)', async () => {
    const db = source.db.kysely;
    const articles = await db.selectFrom('articles').innerJoin('desks', 'desks.id', 'articles.desk_id').select(['articles.slug', 'desks.slug as desk']).orderBy('articles.id').execute();
    const people = await db.selectFrom('people').select(['slug', 'name']).execute();
    const desks = await db.selectFrom('desks').select('slug').where('id', 'in', db.selectFrom('articles').select('desk_id')).execute();
    const get = async (app: TestApp, url: string) => {
      let res = await app.app.inject({ method: 'GET', url });
      for (let hops = 0; res.statusCode === 301 && hops < 3; hops++) res = await app.app.inject({ method: 'GET', url: String(res.headers.location) });
      return res;
    };
    let compared = 0;
    for (const a of articles) {
      const url = `/${a.desk}/${a.slug}`;
      const [x, y] = await Promise.all([get(source, url), get(target, url)]);
      assert.equal(y.statusCode, x.statusCode, url);
      if (x.statusCode === 200) {
        assert.deepEqual(storyParts(y.body), storyParts(x.body), url);
        compared++;
      }
    }
    assert.ok(compared >= 10, `compared ${compared}`);
    for (const p of people) {
      const [x, y] = await Promise.all([get(source, `/author/${p.slug}`), get(target, `/author/${p.slug}`)]);
      assert.equal(y.statusCode, x.statusCode, p.slug);
      if (x.statusCode === 200) assert.ok(unescapeHtml(y.body).includes(`<h1>${p.name}</h1>`), p.slug);
    }
    for (const url of ['/about', '/about/team', ...desks.map((d) => `/${d.slug}`)]) {
      const [x, y] = await Promise.all([get(source, url), get(target, url)]);
      assert.equal(y.statusCode, x.statusCode, url);
      assert.equal(/<title>([^<]*)</.exec(y.body)?.[1]?.replace(/ – .*$/, ''), /<title>([^<]*)</.exec(x.body)?.[1]?.replace(/ – .*$/, ''), url);
    }
  });
});

test('dateline export --format wxr on the command line writes a well-formed file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-wxr-cli-'));
  try {
    const env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'a.db')}`, DATELINE_DEMO: 'false', SITE_URL: 'https://news.example' };
    const load = spawnSync(process.execPath, ['bin/dateline.js', 'import', 'wxr', fixture], { cwd: root, env, encoding: 'utf8' });
    assert.equal(load.status, 0, load.stderr);
    const out = join(dir, 'site.xml');
    const made = spawnSync(process.execPath, ['bin/dateline.js', 'export', '--format', 'wxr', '--output', out], { cwd: root, env, encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    assert.match(made.stderr, /Exported to .*site\.xml: .*posts 7, pages 3/);
    assert.equal(spawnSync('xmllint', ['--noout', out]).status, 0);
    assert.match(readFileSync(out, 'utf8'), /<link>https:\/\/news\.example\/[a-z-]+\/oil-prices-climb<\/link>/);
    const bad = spawnSync(process.execPath, ['bin/dateline.js', 'export', '--format', 'rss'], { cwd: root, env, encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /argument 'rss' is invalid/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
