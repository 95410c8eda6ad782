import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { importWxr } from '../../src/newsroom/import/wxr/importer.ts';
import { exportWxr } from '../../src/newsroom/export/wxr/writer.ts';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, unescapeHtml, type TestApp } from '../helpers/app.ts';

const fixture = new URL('../fixtures/wxr/coauthors.xml', import.meta.url);
const NOW = new Date('2026-11-28T08:00:00Z');
const run = (db: Kysely<Database>) => importWxr(db, () => createReadStream(fixture, { highWaterMark: 2048 }), { now: NOW });

async function bylines(db: Kysely<Database>, slug: string): Promise<string[]> {
  const rows = await db
    .selectFrom('article_bylines')
    .innerJoin('articles', 'articles.id', 'article_bylines.article_id')
    .innerJoin('people', 'people.id', 'article_bylines.person_id')
    .select('people.name')
    .where('articles.slug', '=', slug)
    .orderBy('article_bylines.position')
    .execute();
  return rows.map((r) => r.name);
}

eachDatabase('import wxr: Co-Authors Plus bylines and Yoast SEO', (kind) => {
  let t: TestApp;
  let db: Kysely<Database>;
  before(async () => {
    t = await startApp(kind);
    db = t.db.kysely;
  });
  after(() => t.close());

  test('extra bylines follow the author in the order of their terms; guest authors become people without an account', async () => {
    const s = await run(db);
    assert.deepEqual(s.posts, { created: 2, updated: 0, unchanged: 0 });
    assert.deepEqual(await bylines(db, 'three-reporters'), ['Omid Rahimi', 'Leila Navab', 'Maryam Hosseini']);
    assert.deepEqual(await bylines(db, 'a-guest-column'), ['Maryam Hosseini', 'Kaveh Jalali']);
    assert.deepEqual(s.skipped.map((i) => [i.id, i.reason]), [['501', 'a Co-Authors Plus guest author (imported as a person)']]);
    assert.ok(s.notes.some((n) => n.id === '402' && /co-author "nobody" is not among the export's authors/.test(n.reason)));
    const kaveh = await db.selectFrom('people').select(['id', 'slug']).where('name', '=', 'Kaveh Jalali').executeTakeFirstOrThrow();
    assert.equal(await db.selectFrom('users').select('id').where('person_id', '=', kaveh.id).executeTakeFirst(), undefined, 'a guest author has no account');
    assert.equal(await db.selectFrom('users').select('id').where('email', '=', 'kaveh@elsewhere.example').executeTakeFirst(), undefined);
    assert.ok(await db.selectFrom('users').select('id').where('email', '=', 'leila@gulf-wire.example').executeTakeFirst(), 'a real author gets an account');
  });

  test('the story page names every byline in order, with the Yoast title and description', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/shipping/three-reporters' });
    assert.equal(res.statusCode, 200);
    const byline = /<span class="byline">([\s\S]*?)<\/span>/.exec(res.body)?.[1] ?? '';
    assert.deepEqual([...byline.matchAll(/rel="author">([^<]*)</g)].map((m) => m[1]), ['Omid Rahimi', 'Leila Navab', 'Maryam Hosseini']);
    assert.match(unescapeHtml(res.body), /<title>Strait of Hormuz: tankers queue/);
    assert.match(res.body, /<meta name="description" content="Three of our reporters watched the tankers wait."\/>/);
    const guest = await t.app.inject({ method: 'GET', url: '/author/kaveh-jalali' });
    assert.equal(guest.statusCode, 200);
    assert.match(guest.body, /A guest column/);
  });

  test('a Yoast title template is left out, with a note; the headline serves', async () => {
    const row = await db.selectFrom('articles').select(['seo_title', 'seo_description']).where('slug', '=', 'a-guest-column').executeTakeFirstOrThrow();
    assert.deepEqual(row, { seo_title: '', seo_description: '' });
  });

  test('a second run changes nothing', async () => {
    const s = await run(db);
    assert.deepEqual(s.posts, { created: 0, updated: 0, unchanged: 2 });
    assert.deepEqual(await bylines(db, 'three-reporters'), ['Omid Rahimi', 'Leila Navab', 'Maryam Hosseini']);
  });

  test('the WXR export writes the bylines back as Co-Authors Plus terms, in order', async () => {
    let xml = '';
    await exportWxr(db, (chunk) => void (xml += chunk), { siteUrl: 'https://news.example', timeZone: 'Asia/Tehran', language: 'en' });
    const item = xml.split('<item>').find((i) => i.includes('<wp:post_name><![CDATA[three-reporters]]>')) ?? '';
    assert.match(item, /<dc:creator><!\[CDATA\[omid-rahimi\]\]><\/dc:creator>/);
    const authors = [...item.matchAll(/<category domain="author" nicename="([^"]*)"><!\[CDATA\[([^\]]*)\]\]><\/category>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(authors, [
      ['cap-omid-rahimi', 'omid-rahimi'],
      ['cap-leila-navab', 'leila-navab'],
      ['cap-maryam-hosseini', 'maryam-hosseini'],
    ]);
    const single = xml.split('<item>').find((i) => i.includes('<wp:post_name><![CDATA[a-guest-column]]>')) ?? '';
    assert.equal([...single.matchAll(/domain="author"/g)].length, 2);
    assert.match(xml, /<wp:term><wp:term_id>\d+<\/wp:term_id><wp:term_taxonomy><!\[CDATA\[author\]\]><\/wp:term_taxonomy><wp:term_slug><!\[CDATA\[cap-kaveh-jalali\]\]>/);
  });
});
