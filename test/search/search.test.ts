// search() on real SQLite and PostgreSQL: ranking, snippets, filters, pages, and the index
// following every write and every change of visibility at once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase, type TestDatabase } from '../helpers/databases.ts';
import type { Db } from '../../src/db/connection.ts';
import { createArticle } from '../../src/newsroom/articles/commands.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';
import { createUser } from '../../src/newsroom/users.ts';
import { createStory, publishDue, transition } from '../../src/newsroom/workflow/commands.ts';
import type { Actor } from '../../src/newsroom/workflow/policy.ts';
import { parseQuery, search, searchIndexFor, type SearchResults } from '../../src/search/index.ts';
import { readSearchRequest } from '../../src/search/params.ts';
import { textOf } from '../../src/search/highlight.ts';
import { importJsonl } from '../../src/newsroom/import/jsonl.ts';
import { sql } from 'kysely';

const HOUR = 3_600_000;
const headlines = (r: SearchResults) => r.hits.map((h) => h.story.headline);

eachDatabase('search', (kind: TestDatabase) => {
  let db: Db;
  let dispose: () => Promise<void>;
  let politics: number;
  let economy: number;
  let writer: number;
  let other: number;
  let boss: Actor;
  const past = (hours: number) => new Date(Date.now() - hours * HOUR);

  const publish = (headline: string, fields: { dek?: string; body?: string; desk?: number; by?: number[]; at?: Date; slug?: string } = {}) =>
    createArticle(
      db.kysely,
      {
        headline,
        slug: fields.slug,
        deskId: fields.desk ?? politics,
        dek: fields.dek,
        bodyHtml: fields.body ?? '<p>Nothing to see.</p>',
        bylineIds: fields.by ?? [writer],
      },
      { status: 'published', publishedAt: fields.at ?? past(1) },
    );

  before(async () => {
    ({ db, dispose } = await kind.create());
    const k = db.kysely;
    politics = (await createDesk(k, { name: 'Politics' })).id;
    economy = (await createDesk(k, { name: 'Economy' })).id;
    writer = (await createPerson(k, { name: 'Sara Karimi' })).id;
    other = (await createPerson(k, { name: 'Reza Ahmadi' })).id;
    const person = await createPerson(k, { name: 'The Boss' });
    const user = await createUser(k, { email: 'boss@example.com', role: 'managing_editor', personId: person.id });
    boss = { userId: user.id, role: 'managing_editor', personId: person.id };
  });
  after(() => dispose());

  test('a word in the headline ranks above the dek, above the body', async () => {
    // The body story is the newest and says it most often; the headline still wins.
    await publish('Walrus sighted off the coast', { at: past(30), body: '<p>Seen at dawn.</p>' });
    await publish('A quiet morning at the harbour', { dek: 'A walrus came ashore', at: past(20) });
    await publish('Harbour news in brief', { at: past(2), body: '<p>The walrus, the walrus and again the walrus swam by.</p>' });
    const r = await search(db, 'walrus');
    assert.deepEqual(headlines(r), ['Walrus sighted off the coast', 'A quiet morning at the harbour', 'Harbour news in brief']);
    // Stemming: the plural finds them all too.
    assert.equal((await search(db, 'harbours')).hits.length, 2);
  });

  test('within the headline band, every word in the headline counts; a phrase needs its words together', async () => {
    await publish('Oil exports rise again', { at: past(40) });
    await publish('Exports of oil and gas', { at: past(41) });
    await publish('Gas prices', { at: past(42), body: '<p>Oil exports are not the story here.</p>' });
    assert.deepEqual(headlines(await search(db, 'oil exports')), ['Oil exports rise again', 'Exports of oil and gas', 'Gas prices']);
    assert.deepEqual(headlines(await search(db, '"oil exports"')), ['Oil exports rise again', 'Gas prices']);
    assert.deepEqual(headlines(await search(db, 'oil exports -gas')), ['Oil exports rise again']);
  });

  test('snippets mark the words and carry stored HTML only as text', async () => {
    await publish('Browser security explained', {
      body: '<p>Intro paragraph.</p><p>An attacker may try <strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong> in a comment, or <a href="https://example.com/zebra">a link</a> with a zebracrossing.</p>',
      at: past(50),
    });
    const r = await search(db, 'attacker');
    const hit = r.hits[0];
    assert.ok(hit);
    assert.equal(textOf(hit.headline), 'Browser security explained');
    const snippet = textOf(hit.snippet);
    assert.match(snippet, /An attacker may try <script>alert\(1\)<\/script> in a comment/);
    assert.deepEqual(hit.snippet.filter((s) => s.mark).map((s) => s.text.toLowerCase()), ['attacker']);
    assert.ok(!snippet.includes('strong') && !snippet.includes('href'), snippet);
    // Markup is not content: the URL's word and the attribute names find nothing in the body.
    assert.equal((await search(db, 'href')).hits.length, 0);
    // A hostile query is only words.
    assert.equal((await search(db, '<b>x</b>')).hits.length, 0);
    // The headline is marked when it holds the word.
    const marked = (await search(db, 'security')).hits[0];
    assert.deepEqual(marked?.headline, [
      { text: 'Browser ', mark: false },
      { text: 'security', mark: true },
      { text: ' explained', mark: false },
    ]);
  });

  test('filters: desk, author, dates in the newsroom time zone', async () => {
    await publish('Budget vote in parliament', { desk: politics, by: [writer], at: new Date('2026-03-01T20:00:00Z') });
    await publish('Budget deficit grows', { desk: economy, by: [other], at: new Date('2026-03-01T21:00:00Z') });
    assert.deepEqual(headlines(await search(db, 'budget', { deskId: economy })), ['Budget deficit grows']);
    assert.deepEqual(headlines(await search(db, 'budget', { personId: writer })), ['Budget vote in parliament']);
    // 20:00Z is 23:30 on 1 March in Tehran; 21:00Z is 00:30 on 2 March.
    const on = async (params: Record<string, string>) => {
      const request = await readSearchRequest(db.kysely, { q: 'budget', ...params }, 'Asia/Tehran');
      assert.deepEqual(request.errors, {});
      return headlines(await search(db, request.values.q, request.filters));
    };
    assert.deepEqual(await on({ from: '2026-03-02', to: '2026-03-02' }), ['Budget deficit grows']);
    assert.deepEqual(await on({ to: '2026-03-01' }), ['Budget vote in parliament']);
    assert.deepEqual(await on({ from: '2026-03-01', desk: 'politics', author: 'sara-karimi' }), ['Budget vote in parliament']);
  });

  test('bad filters are reported by field', async () => {
    const request = await readSearchRequest(db.kysely, { q: 'x', desk: 'nowhere', author: 'nobody', from: '2026-13-01', to: 'yesterday', page: '0' }, 'UTC');
    assert.deepEqual(Object.keys(request.errors).sort(), ['author', 'desk', 'from', 'page', 'to']);
    const backwards = await readSearchRequest(db.kysely, { q: 'x', from: '2026-03-02', to: '2026-03-01' }, 'UTC');
    assert.match(backwards.errors.to ?? '', /before the start/);
    assert.match((await readSearchRequest(db.kysely, { q: ['a', 'b'] }, 'UTC')).errors.q ?? '', /once/);
    assert.match((await readSearchRequest(db.kysely, { q: 'x', page: '51' }, 'UTC')).errors.page ?? '', /page 50/);
  });

  test('pages follow the ranking across bands', async () => {
    for (let i = 0; i < 7; i++) await publish(`Quokka census part ${i}`, { at: past(100 + i) });
    for (let i = 0; i < 6; i++) await publish(`Island wildlife ${i}`, { body: '<p>One quokka here.</p>', at: past(200 + i) });
    const all = headlines(await search(db, 'quokka', {}, 1, { pageSize: 50 }));
    assert.equal(all.length, 13);
    assert.ok(all.slice(0, 7).every((h) => h.startsWith('Quokka')));
    const seen: string[] = [];
    for (let page = 1; page <= 4; page++) {
      const r = await search(db, 'quokka', {}, page, { pageSize: 4 });
      seen.push(...headlines(r));
      assert.equal(r.more, page < 4, `page ${page}`);
    }
    assert.deepEqual(seen, all);
    assert.equal((await search(db, 'quokka', {}, 5, { pageSize: 4 })).hits.length, 0);
  });

  test('the index follows create, publish, update and unpublish at once', async () => {
    const { id } = await createStory(db.kysely, boss, { headline: 'Platypus draft', deskId: politics, bodyHtml: '<p>First text.</p>' });
    assert.equal((await search(db, 'platypus')).hits.length, 0, 'a draft is not found');
    await transition(db.kysely, boss, id, 'submit');
    await transition(db.kysely, boss, id, 'publish');
    assert.deepEqual(headlines(await search(db, 'platypus')), ['Platypus draft']);
    await transition(db.kysely, boss, id, 'update', {
      note: 'New headline.',
      content: { input: { headline: 'Echidna spotted', deskId: politics, bodyHtml: '<p>Second text about a wombat.</p>' }, baseVersion: 1 },
    });
    assert.equal((await search(db, 'platypus')).hits.length, 0, 'the old headline is gone');
    assert.deepEqual(headlines(await search(db, 'echidna')), ['Echidna spotted']);
    assert.deepEqual(headlines(await search(db, 'wombat')), ['Echidna spotted']);
    await transition(db.kysely, boss, id, 'unpublish');
    assert.equal((await search(db, 'echidna')).hits.length, 0, 'unpublished is gone');
  });

  test('scheduled and embargoed stories are found exactly when they become visible', async () => {
    const scheduledAt = new Date(Date.now() + 2 * HOUR);
    const embargo = new Date(Date.now() + 3 * HOUR);
    const a = await createStory(db.kysely, boss, { headline: 'Narwhal scheduled', deskId: politics, bodyHtml: '<p>x</p>' });
    await transition(db.kysely, boss, a.id, 'submit');
    await transition(db.kysely, boss, a.id, 'schedule', { at: scheduledAt });
    const b = await createStory(db.kysely, boss, { headline: 'Narwhal embargoed', deskId: politics, bodyHtml: '<p>x</p>' });
    await transition(db.kysely, boss, b.id, 'submit');
    await transition(db.kysely, boss, b.id, 'publish', { embargoUntil: embargo });
    assert.equal((await search(db, 'narwhal')).hits.length, 0);
    const later = new Date(scheduledAt.getTime() + 60_000);
    await publishDue(db.kysely, later);
    assert.deepEqual(headlines(await search(db, 'narwhal', {}, 1, { now: later })), ['Narwhal scheduled']);
    const afterEmbargo = new Date(embargo.getTime() + 60_000);
    assert.deepEqual(headlines(await search(db, 'narwhal', {}, 1, { now: afterEmbargo })).sort(), ['Narwhal embargoed', 'Narwhal scheduled']);
  });

  test('the importer and deletions keep the index in step; the index matches the text exactly', async () => {
    const line = (title: string) =>
      JSON.stringify({ slug: 'okapi-story', title, section: 'Politics', authors: ['Sara Karimi'], publishedAt: '2026-01-05T10:00:00Z', bodyHtml: '<p>Forest news.</p>' });
    await importJsonl(db.kysely, [line('Okapi seen in the forest')]);
    assert.deepEqual(headlines(await search(db, 'okapi')), ['Okapi seen in the forest']);
    await importJsonl(db.kysely, [line('Tapir seen in the forest')]);
    assert.equal((await search(db, 'okapi')).hits.length, 0);
    assert.deepEqual(headlines(await search(db, 'tapir')), ['Tapir seen in the forest']);
    await db.kysely.deleteFrom('articles').where('slug', '=', 'okapi-story').execute();
    assert.equal((await search(db, 'tapir')).hits.length, 0);
    if (db.dialect === 'sqlite') {
      // Compares every index entry with the article rows: any write the triggers missed fails here.
      for (const table of ['search_head', 'search_fts']) await sql.raw(`INSERT INTO ${table} (${table}, rank) VALUES ('integrity-check', 1)`).execute(db.kysely);
    } else {
      const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM articles a LEFT JOIN article_search s ON s.article_id = a.id
        WHERE s.article_id IS NULL OR s.head <> setweight(to_tsvector('english', a.headline), 'A') || setweight(to_tsvector('english', a.dek), 'B')`.execute(db.kysely);
      assert.equal(Number(rows[0]?.n), 0);
    }
  });

  test('marking one story reads that story only', async () => {
    const index = searchIndexFor(db);
    const [first] = (await search(db, 'walrus')).hits;
    assert.ok(first);
    const marked = await index.mark(parseQuery('walrus'), [first.story.id]);
    assert.deepEqual([...marked.keys()], [first.story.id]);
  });

  test('Persian text is found and marked', async () => {
    await publish('رهبر انقلاب: هیچ مذاکره‌ای با آمریکا انجام نمی‌شود', { body: '<p>رهبر انقلاب اسلامی گفت که مذاکره‌ای در کار نیست.</p>', at: past(60) });
    const r = await search(db, 'انقلاب');
    assert.equal(r.hits.length, 1);
    assert.ok(r.hits[0]?.headline.some((s) => s.mark && s.text === 'انقلاب'));
    assert.equal((await search(db, 'مذاکره‌ای')).hits.length, 1);
  });

  test('hostile queries give results or a reason, never an error', async () => {
    const hostile = ['"', '""', 'AND OR NOT', '*', 'walrus*', 'NEAR(', 'NEAR(walrus harbour, 2)', '-', '- -', '-walrus', '{headline}: walrus', 'walrus:*', "walrus' OR 1=1 --", '\\', '(((', 'x'.repeat(10_000), 'walrus '.repeat(2000), '\u0000', 'walrus\u0000harbour', '\u0001\u0002\u0003\u001b', '😀', '🐋 walrus', 'ایران', '\uD800', '^$.|?*+()[]{}', '%_%'];
    for (const q of hostile) {
      const r = await search(db, q);
      assert.ok(r.query.problem !== undefined || Array.isArray(r.hits), JSON.stringify(q.slice(0, 20)));
    }
    assert.ok((await search(db, 'walrus*')).hits.length > 0);
    assert.ok((await search(db, 'NEAR(walrus harbour)')).query.include.length === 3, 'operators are words');
    assert.equal((await search(db, 'AND OR NOT')).query.problem, 'common');
    assert.equal((await search(db, '-walrus')).query.problem, 'only_excluded');
  });
});
