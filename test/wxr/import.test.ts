import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { toCount } from '../../src/newsroom/db.ts';
import { importWxr, type WxrImportOptions } from '../../src/newsroom/import/wxr/importer.ts';
import { WxrError } from '../../src/newsroom/import/wxr/reader.ts';
import { eachDatabase } from '../helpers/databases.ts';
import { shortenSlug } from '../../src/newsroom/text.ts';
import { startApp, unescapeHtml, type TestApp } from '../helpers/app.ts';

const fixtures = new URL('../../../shared/fixtures/wordpress-importer/', import.meta.url);
const own = new URL('../fixtures/wxr/newsroom.xml', import.meta.url);
const wp = (name: string) => new URL(name, fixtures);

const fromFile = (url: URL) => () => createReadStream(url, { highWaterMark: 4096 });
const fromText = (text: string) => () => Readable.from([Buffer.from(text, 'utf8')]);

type Table = 'articles' | 'static_pages' | 'legacy_redirects' | 'people' | 'users' | 'desks' | 'tags' | 'import_keys' | 'front_page';

async function count(db: Kysely<Database>, table: Table): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return toCount(row.n as string | number);
}

async function counts(db: Kysely<Database>): Promise<Record<Table, number>> {
  const tables: Table[] = ['articles', 'static_pages', 'legacy_redirects', 'people', 'users', 'desks', 'tags', 'import_keys', 'front_page'];
  const out = {} as Record<Table, number>;
  for (const t of tables) out[t] = await count(db, t);
  return out;
}

const article = (db: Kysely<Database>, slug: string) =>
  db.selectFrom('articles').innerJoin('desks', 'desks.id', 'articles.desk_id').selectAll('articles').select('desks.slug as desk_slug').where('articles.slug', '=', slug).executeTakeFirstOrThrow();

const NOW = new Date('2026-11-28T08:00:00Z');
const run = (db: Kysely<Database>, open: () => Readable, options: WxrImportOptions = {}) => importWxr(db, open, { now: NOW, ...options });

eachDatabase('import wxr: the WordPress importer fixtures', (kind) => {
  let db: Kysely<Database>;
  let dispose: () => Promise<void>;
  before(async () => {
    const created = await kind.create();
    db = created.db.kysely;
    dispose = created.dispose;
  });
  after(() => dispose());

  test('malformed.xml is refused with its line, and nothing is written', async () => {
    const before = await counts(db);
    await assert.rejects(run(db, fromFile(wp('malformed.xml'))), (error: unknown) => {
      assert.ok(error instanceof WxrError);
      assert.match(error.message, /^line \d+: /);
      return true;
    });
    assert.deepEqual(await counts(db), before);
  });

  test('small-export.xml: posts, pages (child before parent), authors, categories, statuses', async () => {
    const s = await run(db, fromFile(wp('small-export.xml')));
    assert.equal(s.version, '1.1');
    assert.deepEqual(s.posts, { created: 6, updated: 0, unchanged: 0 });
    assert.deepEqual(s.pages, { created: 5, updated: 0, unchanged: 0 });
    assert.equal(s.skipped.length, 0);
    assert.equal(s.people, 3);
    const hello = await article(db, 'hello-world');
    assert.equal(hello.status, 'published');
    assert.equal(hello.published_at, '2011-01-18T07:40:14.000Z');
    assert.equal(hello.desk_slug, 'uncategorized');
    assert.equal(hello.body_html, '<p>Welcome to WordPress. This is your first post. Edit or delete it, then start blogging!</p>');
    assert.equal((await article(db, 'private-post')).status, 'draft');
    assert.equal((await article(db, 'foo-child')).desk_slug, 'foo-bar');
    const fooBar = await db.selectFrom('desks').select('name').where('slug', '=', 'foo-bar').executeTakeFirstOrThrow();
    assert.equal(fooBar.name, 'Foo (Bar)', 'two categories named Foo: the child says whose it is');
    const paths = (await db.selectFrom('static_pages').select('path').orderBy('path').execute()).map((p) => p.path);
    assert.deepEqual(paths, ['/1-col-page', '/draft-page', '/parent-page', '/parent-page/child-page', '/sample-page']);
    const sample = await db.selectFrom('static_pages').selectAll().where('path', '=', '/sample-page').executeTakeFirstOrThrow();
    assert.match(sample.body_html, /<blockquote><p>Hi there! I'm a bike messenger/);
    assert.match(sample.body_html, /piña coladas/);
    // Many Categories: one desk, the other 26 categories kept as tags.
    const many = await article(db, 'many-categories');
    const tags = await db.selectFrom('article_tags').select('tag_id').where('article_id', '=', many.id).execute();
    assert.equal(tags.length, 26);
  });

  test('crazy-cdata.xml: "]]>" inside CDATA is read as WordPress wrote it', async () => {
    const s = await run(db, fromFile(wp('crazy-cdata.xml')));
    assert.equal(s.posts.created, 1);
    const post = await article(db, 'hello-world-2');
    assert.match(post.body_html, /^<p>Content with nested .*:\)<\/p>$/);
    assert.ok(post.body_html.includes(':)'));
  });

  test('wxr-utf-8-challenges.xml: every character survives', async () => {
    const s = await run(db, fromFile(wp('wxr-utf-8-challenges.xml')));
    assert.equal(s.version, '1.2');
    assert.equal(s.posts.created, 1);
    const row = await db.selectFrom('articles').selectAll().where('headline', 'like', '%The Road%').executeTakeFirstOrThrow();
    assert.equal(row.headline, '"The Road \u202eNot\u202c Taken" by Rob\u202dert \u202eFrost \u202a🌲\u202c');
    assert.ok(row.body_html.includes('𝓣𝓮𝓼𝓽 𝓜𝓾𝓵𝓽𝓲-𝓑𝔂𝓽𝓮: 🚀🌟💫⭐️🔥💯🎉🎊🌈🦄'));
    assert.ok(row.body_html.includes('السلام عليكم'));
    const person = await db.selectFrom('people').select('name').where('name', 'like', 'A%').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.ok(person.name.startsWith('A̸̰̅d̴̰͝m̵͎̽i̵̱̋n̷̰̎'));
  });

  test('valid-wxr-1.1.xml imports', async () => {
    const s = await run(db, fromFile(wp('valid-wxr-1.1.xml')));
    assert.equal(s.posts.created + s.posts.updated + s.posts.unchanged, 1);
    assert.equal(s.pages.created + s.pages.updated + s.pages.unchanged, 1);
  });

  test('an unknown WXR version, a file cut short and a file that is not XML are refused with the line; nothing is written', async () => {
    const text = readFileSync(own, 'utf8');
    const before = await counts(db);
    await assert.rejects(run(db, fromText(text.replace('<wp:wxr_version>1.2</wp:wxr_version>', '<wp:wxr_version>2.0</wp:wxr_version>'))), /^WxrError: line 17: unknown WXR version "2\.0"/);
    await assert.rejects(run(db, fromText(text.slice(0, Math.floor(text.length * 0.8)))), /line \d+: the XML is not well-formed/);
    await assert.rejects(run(db, fromText('{"not": "xml"}')), /line 1: this is not a WordPress export: it is not XML/);
    await assert.rejects(run(db, fromText('<?xml version="1.0"?>\n<html><body/></html>')), /line 2: this is not a WordPress export: the document is <html>/);
    await assert.rejects(run(db, fromText('<rss><channel><title>x</title></channel></rss>')), /no <wp:wxr_version>/);
    assert.deepEqual(await counts(db), before);
  });

  test('element and status names that are also names of object properties are unknown ones, not a crash', async () => {
    const text = readFileSync(own, 'utf8')
      .replace('<wp:status><![CDATA[publish]]></wp:status>', '<wp:status><![CDATA[constructor]]></wp:status><constructor>x</constructor><toString>y</toString>')
      .replace('<item>', '<constructor><toString>x</toString><valueOf>z</valueOf></constructor><item>');
    const s = await run(db, fromText(text), { dryRun: true });
    assert.deepEqual(
      s.skipped.filter((i) => i.id === '101').map((i) => i.reason),
      ['unknown status "constructor"'],
    );
  });
});

eachDatabase('import wxr: a newsroom export with every case', (kind) => {
  let t: TestApp;
  let db: Kysely<Database>;
  before(async () => {
    t = await startApp(kind);
    db = t.db.kysely;
  });
  after(() => t.close());
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  test('imports authors, nested categories, tags, every status, dates in the right zone, bodies and pages', async () => {
    const s = await run(db, fromFile(own));
    assert.deepEqual(s.posts, { created: 7, updated: 0, unchanged: 0 });
    assert.deepEqual(s.pages, { created: 3, updated: 0, unchanged: 0 });
    assert.deepEqual(
      s.skipped.map((i) => [i.id, i.reason]).sort(),
      [
        ['107', 'in the trash'],
        ['108', 'post type "nav_menu_item" is not imported'],
        ['201', 'attachment (imported with the posts that show it)'],
        ['202', 'attachment (imported with the posts that show it)'],
      ],
    );
    assert.match(s.dates, /UTC\+03:30/);
    assert.deepEqual(s.media, { imported: 0, remote: 2, missing: 0 });

    // Authors: people; accounts only with a real address, and none can sign in yet.
    const people = await db.selectFrom('people').select(['name', 'kind', 'slug']).orderBy('id').execute();
    assert.deepEqual(people.map((p) => [p.name, p.kind]), [['Sara Karimi', 'person'], ['رضا احمدی', 'person'], ['Tehran Daily Staff', 'collective']]);
    const users = await db.selectFrom('users').select(['email', 'password_hash', 'role']).where('email', 'like', '%tehran-daily%').orderBy('email').execute();
    assert.deepEqual(users, [
      { email: 'reza@tehran-daily.example', password_hash: null, role: 'contributor' },
      { email: 'sara@tehran-daily.example', password_hash: null, role: 'contributor' },
    ]);
    assert.ok(s.notes.some((n) => /not-an-address/.test(n.reason)));

    // Statuses and dates.
    const oil = await article(db, 'oil-prices-climb');
    assert.equal(oil.status, 'published');
    assert.equal(oil.published_at, '2026-11-20T08:30:00.000Z');
    assert.equal(oil.desk_slug, 'economy');
    assert.equal(oil.excerpt, 'Brent rose for a third day as talks in Vienna stalled.');
    assert.equal(oil.lead_image_url, 'https://tehran-daily.example/wp-content/uploads/2026/11/tanker.jpg');
    assert.equal(oil.lead_image_alt, 'A tanker at Bandar Abbas');
    assert.equal(oil.lead_image_caption, 'A tanker at Bandar Abbas.');
    assert.equal(oil.lead_image_credit, 'IRNA');
    const draft = await article(db, 'a-draft-with-a-local-time-only');
    assert.equal(draft.status, 'draft');
    assert.equal(draft.published_at, null);
    assert.equal(draft.created_at, '2026-11-22T06:30:00.000Z', 'local 10:00 at the export offset +03:30');
    assert.equal((await article(db, 'pending-review')).status, 'submitted');
    const future = await article(db, 'scheduled-for-2099');
    assert.equal(future.status, 'scheduled');
    assert.equal(future.published_at, '2099-01-01T06:30:00.000Z');
    assert.equal((await article(db, 'private-memo')).status, 'draft');
    const untitled = await article(db, '109-2');
    assert.equal(untitled.headline, 'Brief: the currency market opened quietly on Monday morning in Tehran.');

    // Nested categories: the child is a desk of its own; the secondary category is a tag.
    const desks = (await db.selectFrom('desks').select(['slug', 'name']).orderBy('slug').execute()).map((d) => `${d.slug}:${d.name}`);
    assert.deepEqual(desks, ['economy:Economy & Markets', 'middle-east:Middle East', 'uncategorized:Uncategorized', 'world:World']);
    const oilTags = await db.selectFrom('article_tags').innerJoin('tags', 'tags.id', 'article_tags.tag_id').select('tags.name').where('article_id', '=', oil.id).orderBy('position').execute();
    assert.deepEqual(oilTags.map((x) => x.name), ['Oil', 'تهران', 'Middle East']);

    // Bodies: paragraphs, [caption] and [gallery] as figures, unknown shortcodes kept and reported, "]]>" kept.
    assert.match(oil.body_html, /^<p>Oil rose for a third day.<br \/>\nTraders watched Vienna.<\/p>/);
    assert.match(oil.body_html, /<figure class="image"><img src="https:\/\/tehran-daily.example\/wp-content\/uploads\/2026\/11\/tanker.jpg" alt="A tanker at Bandar Abbas"[^>]*\/><figcaption>A tanker at Bandar Abbas.<\/figcaption><\/figure>/);
    assert.match(oil.body_html, /<img src="https:\/\/tehran-daily.example\/wp-content\/uploads\/2026\/11\/vienna.jpg" alt="The UN building in Vienna"/);
    assert.ok(oil.body_html.includes('<p>[contact-form-7 id="9" title="Tips"]</p>'));
    assert.ok(oil.body_html.includes('A price above $90 ]]&gt; forecasts.'));
    assert.ok(s.notes.some((n) => n.id === '101' && n.reason === 'unknown shortcode [contact-form-7] kept as text'));
    const persian = await db.selectFrom('articles').selectAll().where('headline', '=', 'گفت‌وگوها در وین متوقف شد 🚀').executeTakeFirstOrThrow();
    assert.doesNotMatch(persian.body_html, /wp:/);
    assert.match(persian.body_html, /<p>مذاکرات <strong>هسته‌ای<\/strong> در وین متوقف شد.<\/p>/);
    assert.match(persian.body_html, /<figure class="image"><img [^>]*alt="Vienna"[^>]*\/><figcaption>وین<\/figcaption><\/figure>/);
    assert.ok(s.notes.some((n) => n.id === '102' && /wp:latest-posts/.test(n.reason)));

    // Sticky → front page.
    const front = await db.selectFrom('front_page').select('article_id').execute();
    assert.deepEqual(front.map((f) => f.article_id), [oil.id]);
  });

  test('pages are served under their old paths; old permalinks, ?p=ID and categories answer 301', async () => {
    const about = await get('/about/');
    assert.equal(about.statusCode, 200);
    assert.match(unescapeHtml(about.body), /<h1>About us<\/h1>/);
    assert.match(about.body, /<p>Tehran Daily is an independent newsroom.<\/p>/);
    assert.equal((await get('/about/team')).statusCode, 200);
    assert.equal((await get('/unfinished')).statusCode, 404, 'a draft page is not served');

    const permalink = await get('/2026/11/20/oil-prices-climb/');
    assert.equal(permalink.statusCode, 301);
    assert.equal(permalink.headers.location, '/economy/oil-prices-climb');
    assert.equal((await get('/?p=101')).headers.location, '/economy/oil-prices-climb');
    assert.equal((await get('/?page_id=302')).headers.location, '/about/team');
    const encoded = await get('/2026/11/21/%da%af%d9%81%d8%aa%d9%88%da%af%d9%88/');
    assert.equal(encoded.statusCode, 301);
    assert.equal(decodeURIComponent(encoded.headers.location as string), '/middle-east/گفتوگو');
    assert.equal((await get('/category/world/middle-east/')).headers.location, '/middle-east');
    assert.equal((await get('/author/sara')).headers.location, '/author/sara-karimi');
    assert.equal((await get('/economy/oil-prices-climb')).statusCode, 200);

    // Nothing unpublished is revealed by an old address.
    assert.equal((await get('/?p=103')).statusCode, 200, 'a draft: the front page, no redirect');
    assert.equal((await get('/?p=105')).statusCode, 200, 'scheduled: no redirect yet');
    assert.equal((await get('/?p=999')).statusCode, 200);
    assert.equal((await get('/2026/11/99/nothing-here/')).statusCode, 404);
  });

  test('a second run duplicates nothing and writes nothing; a changed item is updated', async () => {
    const before = await counts(db);
    const again = await run(db, fromFile(own));
    assert.deepEqual(again.posts, { created: 0, updated: 0, unchanged: 7 });
    assert.deepEqual(again.pages, { created: 0, updated: 0, unchanged: 3 });
    assert.equal(again.redirects, 0);
    assert.deepEqual(await counts(db), before);

    const changed = readFileSync(own, 'utf8').replace('Oil prices climb as talks stall', 'Oil prices climb again').replace('Tehran Daily is an independent newsroom.', 'Tehran Daily is a newsroom.');
    const third = await run(db, fromText(changed));
    assert.deepEqual(third.posts, { created: 0, updated: 1, unchanged: 6 });
    assert.deepEqual(third.pages, { created: 0, updated: 1, unchanged: 2 });
    assert.deepEqual(await counts(db), before);
    const oil = await article(db, 'oil-prices-climb');
    assert.equal(oil.headline, 'Oil prices climb again');
    assert.equal(oil.status, 'published');
    assert.match((await get('/about')).body, /Tehran Daily is a newsroom./);
  });

  test('a dry run reports what it would do and writes nothing', async () => {
    const before = await counts(db);
    const changed = readFileSync(own, 'utf8').replace('Pending review', 'Pending a second review');
    const s = await run(db, fromText(changed), { dryRun: true });
    assert.equal(s.dryRun, true);
    // The file is the original one (the title changed by the test before comes back) with one more change.
    assert.equal(s.posts.updated, 2);
    assert.deepEqual(await counts(db), before);
    assert.equal((await article(db, 'pending-review')).headline, 'Pending review');
  });
});

eachDatabase('import wxr: stopped half-way, then run again', (kind) => {
  let db: Kysely<Database>;
  let dispose: () => Promise<void>;
  before(async () => {
    const created = await kind.create();
    db = created.db.kysely;
    dispose = created.dispose;
  });
  after(() => dispose());

  test('committed batches stay; the second run completes without duplicates', async () => {
    const text = readFileSync(own, 'utf8');
    let reads = 0;
    // The first read (the check) sees the whole file; the second breaks off after the fifth item.
    const open = () => {
      reads++;
      if (reads === 1) return Readable.from([text]);
      const cut = text.indexOf('<item>', text.indexOf('<wp:post_id>106</wp:post_id>'));
      return Readable.from(
        (async function* () {
          yield text.slice(0, cut);
          throw new Error('the disk went away');
        })(),
      );
    };
    await assert.rejects(run(db, open, { batchSize: 2 }), /the disk went away/);
    const partial = await count(db, 'articles');
    assert.ok(partial >= 4 && partial < 7, `some batches committed (${partial})`);
    const s = await run(db, fromText(text), { batchSize: 2 });
    assert.equal(s.posts.created + s.posts.unchanged, 7);
    assert.equal(s.posts.created, 7 - partial);
    assert.equal(await count(db, 'articles'), 7);
    assert.equal(await count(db, 'static_pages'), 3);
  });
});

describe('import wxr: --desks-from tags', () => {
  eachDatabase('desks from tags', (kind) => {
    test('the first tag names the desk; categories become tags', async () => {
      const { db, dispose } = await kind.create();
      try {
        await run(db.kysely, fromFile(own), { desksFrom: 'tags' });
        const oil = await article(db.kysely, 'oil-prices-climb');
        assert.equal(oil.desk_slug, 'oil');
        const tags = await db.kysely.selectFrom('article_tags').innerJoin('tags', 'tags.id', 'article_tags.tag_id').select('tags.name').where('article_id', '=', oil.id).orderBy('position').execute();
        assert.deepEqual(tags.map((x) => x.name), ['تهران', 'Economy & Markets', 'Middle East']);
        assert.equal((await article(db.kysely, 'pending-review')).desk_slug, 'uncategorized');
      } finally {
        await dispose();
      }
    });
  });
});

eachDatabase('import wxr: a slug over 120 characters', (kind) => {
  let t: TestApp;
  before(async () => {
    t = await startApp(kind);
  });
  after(() => t.close());

  test('is shortened at a hyphen, said so in the notes, and its old permalink redirects to the story', async () => {
    const long = `oil-prices-climb-${'as-talks-in-vienna-stall-'.repeat(5)}again`;
    assert.ok(long.length > 120);
    const s = await run(t.db.kysely, fromText(readFileSync(own, 'utf8').replaceAll('oil-prices-climb', long)));
    const slug = shortenSlug(long, 120);
    const note = s.notes.find((n) => n.id === '101' && /slug/.test(n.reason));
    assert.equal(note?.reason, `its slug is over 120 characters: shortened to "${slug}" (its old addresses redirect there)`);
    assert.equal((await article(t.db.kysely, slug)).headline, 'Oil prices climb as talks stall');
    const permalink = await t.app.inject({ method: 'GET', url: `/2026/11/20/${long}/` });
    assert.equal(permalink.statusCode, 301);
    assert.equal(permalink.headers.location, `/economy/${slug}`);
    assert.equal(s.notes.filter((n) => /slug is over/.test(n.reason)).length, 1, 'only the long one');
  });
});
