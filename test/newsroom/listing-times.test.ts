// The publication time kept beside each tag and byline (migration listing-times) stays a true copy
// of the story's through every way a story changes, and tag and author listings, which walk it,
// show exactly the stories the visibility rule lets through, in the same order as before.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import type { Database } from '../../src/db/schema.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';
import { createUser } from '../../src/newsroom/users.ts';
import type { Actor } from '../../src/newsroom/workflow/policy.ts';
import { createStory, publishDue, saveStory, transition } from '../../src/newsroom/workflow/commands.ts';
import { listPublic } from '../../src/newsroom/articles/repository.ts';
import { listPublicPage } from '../../src/newsroom/articles/cursor.ts';
import { importJsonl } from '../../src/newsroom/import/jsonl.ts';
import { iso } from '../../src/newsroom/time.ts';
import * as listingTimes from '../../src/db/migrations/2026-11-28T0940-listing-times.ts';

type Db = Kysely<Database>;

/** Every link whose time is not its story's (none, if the copy is right). */
async function strayLinks(db: Db): Promise<string[]> {
  const tags = await db
    .selectFrom('article_tags')
    .innerJoin('articles', 'articles.id', 'article_tags.article_id')
    .select(['article_tags.article_id', 'article_tags.tag_id as other', 'article_tags.published_at as copy', 'articles.published_at as real'])
    .execute();
  const bylines = await db
    .selectFrom('article_bylines')
    .innerJoin('articles', 'articles.id', 'article_bylines.article_id')
    .select(['article_bylines.article_id', 'article_bylines.person_id as other', 'article_bylines.published_at as copy', 'articles.published_at as real'])
    .execute();
  return [
    ...tags.filter((r) => r.copy !== r.real).map((r) => `article_tags (${r.article_id}, ${r.other}): ${r.copy} for ${r.real}`),
    ...bylines.filter((r) => r.copy !== r.real).map((r) => `article_bylines (${r.article_id}, ${r.other}): ${r.copy} for ${r.real}`),
  ];
}

async function assertCopies(db: Db, when: string): Promise<void> {
  assert.deepEqual(await strayLinks(db), [], `after ${when}, every link carries its story's publication time`);
}

/**
 * The stories a tag or author page should list, worked out without the copy: every story of the
 * tag or author (as the listing did before, by "id IN (its links)"), visible by the rule stated
 * independently here, newest first, ties to the higher id.
 */
async function expected(db: Db, filter: { tagId: number } | { personId: number }, now: Date): Promise<number[]> {
  const ids =
    'tagId' in filter
      ? (await db.selectFrom('article_tags').select('article_id').where('tag_id', '=', filter.tagId).execute()).map((r) => r.article_id)
      : (await db.selectFrom('article_bylines').select('article_id').where('person_id', '=', filter.personId).execute()).map((r) => r.article_id);
  if (ids.length === 0) return [];
  const at = iso(now);
  const rows = await db.selectFrom('articles').select(['id', 'status', 'published_at', 'embargo_until']).where('id', 'in', ids).execute();
  return rows
    .filter((r) => r.status === 'published' && r.published_at !== null && r.published_at <= at && (r.embargo_until === null || r.embargo_until <= at))
    .sort((a, b) => (a.published_at! < b.published_at! ? 1 : a.published_at! > b.published_at! ? -1 : b.id - a.id))
    .map((r) => r.id);
}

/** A listing read whole, page by page with offsets (the site) and with cursors (the API); both must agree. */
async function listed(db: Db, filter: { tagId: number } | { personId: number }, now: Date, pageSize = 2): Promise<number[]> {
  const byOffset: number[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const { items, more } = await listPublic(db, { ...filter, limit: pageSize, offset }, now);
    byOffset.push(...items.map((s) => s.id));
    if (!more) break;
  }
  const byCursor: number[] = [];
  let after: { publishedAt: string; id: number } | undefined;
  for (;;) {
    const { items, next } = await listPublicPage(db, { ...filter, limit: pageSize, after }, now);
    byCursor.push(...items.map((s) => s.id));
    if (!next) break;
    after = next;
  }
  assert.deepEqual(byCursor, byOffset, 'the API lists what the site lists');
  return byOffset;
}

const HOUR = 3_600_000;

eachDatabase('listing times: the publication time beside tags and bylines', (kind) => {
  let t: TestApp;
  let db: Db;
  let boss: Actor;
  let writer: Actor;
  let deskId: number;
  const t0 = new Date(Date.now() - 30 * 24 * HOUR);
  const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);
  const tagId = async (slug: string) => (await db.selectFrom('tags').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
  const versionOf = async (id: number) => (await db.selectFrom('articles').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
  const publishedAt = async (id: number) => (await db.selectFrom('articles').select('published_at').where('id', '=', id).executeTakeFirstOrThrow()).published_at;
  /** Both listings agree with the rule, for a tag and an author, at `now`. */
  const assertListings = async (now: Date, tags: string[], personIds: number[], when: string) => {
    for (const slug of tags) {
      const id = await tagId(slug);
      assert.deepEqual(await listed(db, { tagId: id }, now), await expected(db, { tagId: id }, now), `${when}: the tag ${slug}`);
    }
    for (const personId of personIds) {
      assert.deepEqual(await listed(db, { personId }, now), await expected(db, { personId }, now), `${when}: the author ${personId}`);
    }
  };

  before(async () => {
    t = await startApp(kind);
    db = t.db.kysely;
    deskId = (await createDesk(db, { name: 'Politics' })).id;
    const person = await createPerson(db, { name: 'Managing Editor' });
    const user = await createUser(db, { email: 'boss@example.com', role: 'managing_editor', personId: person.id });
    boss = { userId: user.id, role: 'managing_editor', personId: person.id };
    const writerPerson = await createPerson(db, { name: 'Writer One' });
    const writerUser = await createUser(db, { email: 'one@example.com', role: 'contributor', personId: writerPerson.id });
    writer = { userId: writerUser.id, role: 'contributor', personId: writerPerson.id };
  });
  after(() => t?.close());

  test('through the workflow: publish, schedule, reschedule, embargo, unpublish and restore, re-tagging, bylines', async () => {
    /** A story submitted to the desk. */
    const story = async (headline: string, tags: string[], now: Date) => {
      const { id } = await createStory(db, writer, { headline, deskId, tags, bodyHtml: '<p>Text.</p>' }, now);
      await transition(db, writer, id, 'submit', {}, now);
      return id;
    };
    const people = [writer.personId!, boss.personId!];
    const tags = ['economy', 'oil', 'talks'];

    // Submitted: no time, on no listing.
    const a = await story('A first story', ['Economy', 'Oil'], at(0));
    const b = await story('A second story', ['Economy'], at(0));
    const c = await story('A third story', ['Economy', 'Talks'], at(0));
    const d = await story('A fourth story', ['Oil'], at(0));
    await assertCopies(db, 'submitting');
    await assertListings(at(1), tags, people, 'submitted only');

    // Published, in an order other than their ids'.
    await transition(db, boss, b, 'publish', {}, at(1));
    await transition(db, boss, a, 'publish', {}, at(2));
    await transition(db, boss, c, 'publish', {}, at(2)); // the same time as a: the higher id first
    await assertCopies(db, 'publishing');
    assert.deepEqual(await listed(db, { tagId: await tagId('economy') }, at(3)), [c, a, b]);
    await assertListings(at(3), tags, people, 'three published');

    // Scheduled, then rescheduled (changes requested, submitted, scheduled again), then published on time.
    await transition(db, boss, d, 'schedule', { at: at(10) }, at(3));
    await assertCopies(db, 'scheduling');
    assert.equal(await publishedAt(d), iso(at(10)));
    await transition(db, boss, d, 'request_changes', { note: 'Later.' }, at(4));
    await transition(db, writer, d, 'submit', {}, at(4));
    await transition(db, boss, d, 'schedule', { at: at(20) }, at(4));
    await assertCopies(db, 'rescheduling');
    assert.equal(await publishedAt(d), iso(at(20)));
    await assertListings(at(11), tags, people, 'scheduled for later');
    assert.ok(!(await listed(db, { tagId: await tagId('oil') }, at(11))).includes(d), 'not before its time');
    assert.deepEqual(await publishDue(db, at(20)), [d]);
    await assertCopies(db, 'the scheduler publishing');
    assert.deepEqual(await listed(db, { tagId: await tagId('oil') }, at(21)), [d, a]);

    // Published under an embargo: listed from the embargo on, at its publication time.
    const e = await story('An embargoed story', ['Oil', 'Talks'], at(21));
    await transition(db, boss, e, 'publish', { embargoUntil: at(30) }, at(22));
    await assertCopies(db, 'an embargo');
    assert.deepEqual(await listed(db, { tagId: await tagId('oil') }, at(29)), [d, a], 'held back by the embargo');
    assert.deepEqual(await listed(db, { tagId: await tagId('oil') }, at(30)), [e, d, a], 'listed once it lifts');
    await assertListings(at(29), tags, people, 'under embargo');
    await assertListings(at(31), tags, people, 'embargo lifted');

    // Unpublished and restored: off the listings, then back at its first date once published again.
    await transition(db, boss, a, 'unpublish', { note: 'Withdrawn.' }, at(32));
    await assertCopies(db, 'unpublishing');
    assert.deepEqual(await listed(db, { tagId: await tagId('economy') }, at(33)), [c, b]);
    await transition(db, boss, a, 'restore', {}, at(33));
    await transition(db, writer, a, 'submit', {}, at(33));
    await transition(db, boss, a, 'publish', {}, at(34));
    await assertCopies(db, 'publishing again');
    assert.equal(await publishedAt(a), iso(at(2)), 'a story published before keeps its first date');
    assert.deepEqual(await listed(db, { tagId: await tagId('economy') }, at(35)), [c, a, b]);

    // Re-tagged and re-bylined while scheduled (saved through the editor): the new links carry the time.
    const f = await story('A story that changes hands', ['Economy'], at(35));
    await transition(db, boss, f, 'schedule', { at: at(40) }, at(35));
    await saveStory(db, boss, f, { headline: 'A story that changed hands', deskId, tags: ['Talks', 'Oil'], bylineIds: [boss.personId!], bodyHtml: '<p>Text.</p>' }, await versionOf(f), at(36));
    await assertCopies(db, 're-tagging and a byline change');
    assert.deepEqual(await publishDue(db, at(41)), [f]);
    assert.ok(!(await listed(db, { tagId: await tagId('economy') }, at(42))).includes(f), 'off the tag it lost');
    assert.equal((await listed(db, { tagId: await tagId('talks') }, at(42)))[0], f, 'first on the tag it gained');
    assert.ok(!(await listed(db, { personId: writer.personId! }, at(42))).includes(f), 'off the byline it lost');
    assert.equal((await listed(db, { personId: boss.personId! }, at(42)))[0], f, 'first on the byline it gained');
    await assertListings(at(42), tags, people, 'after re-tagging');

    // An update changes the text, not the time.
    await transition(db, boss, f, 'update', { note: 'Adds a reply.', content: { input: { headline: 'A story that changed hands', deskId, tags: ['Oil'], bylineIds: [boss.personId!], bodyHtml: '<p>More.</p>' }, baseVersion: await versionOf(f) } }, at(43));
    await assertCopies(db, 'an update that re-tags');
    await assertListings(at(44), tags, people, 'after an update');
  });

  test('through writes outside the workflow: any UPDATE of a story, a link written with a wrong time', async () => {
    const [first] = await db.selectFrom('articles').select('id').orderBy('id').limit(1).execute();
    await db.updateTable('articles').set({ published_at: iso(at(-5)) }).where('id', '=', first!.id).execute();
    await assertCopies(db, 'an UPDATE of articles.published_at');
    await db.updateTable('articles').set({ published_at: null, status: 'draft' }).where('id', '=', first!.id).execute();
    await assertCopies(db, 'an UPDATE back to a draft');
    const other = await db.selectFrom('tags').select('id').where('slug', '=', 'economy').executeTakeFirstOrThrow();
    const [story] = await db.selectFrom('articles').select('id').where('status', '=', 'published').orderBy('id', 'desc').limit(1).execute();
    await db.deleteFrom('article_tags').where('article_id', '=', story!.id).where('tag_id', '=', other.id).execute();
    await db.insertInto('article_tags').values({ article_id: story!.id, tag_id: other.id, position: 9, published_at: '1999-01-01T00:00:00.000Z' }).execute();
    await assertCopies(db, 'a link inserted with a wrong time');
    await db.updateTable('article_bylines').set({ published_at: null }).where('article_id', '=', story!.id).execute();
    await assertCopies(db, 'a link updated to a wrong time');
    await assertListings(at(50), ['economy', 'oil', 'talks'], [writer.personId!, boss.personId!], 'after raw writes');
  });

  test('through the importer: new stories, and a re-import that moves a story in time', async () => {
    const line = (slug: string, publishedAt: Date, tags: string[]) =>
      JSON.stringify({ slug, title: `Imported ${slug}`, kicker: '', section: 'Politics', authors: ['Import Writer'], tags, publishedAt: publishedAt.toISOString(), updatedAt: publishedAt.toISOString(), excerpt: '', bodyHtml: '<p>Imported.</p>' });
    const lines = Array.from({ length: 12 }, (_, i) => line(`imported-${i}`, at(-100 + i * 7), i % 2 ? ['Oil', 'Imported'] : ['Imported']));
    const summary = await importJsonl(db, lines, { batchSize: 5 });
    assert.equal(summary.created, 12);
    await assertCopies(db, 'an import');
    const author = await db.selectFrom('people').select('id').where('name', '=', 'Import Writer').executeTakeFirstOrThrow();
    await assertListings(at(60), ['imported', 'oil'], [author.id], 'after an import');
    // The same file with one story moved to the newest place.
    lines[0] = line('imported-0', at(55), ['Imported', 'Talks']);
    const again = await importJsonl(db, lines);
    assert.equal(again.updated, 1);
    await assertCopies(db, 'a re-import');
    const imported = await listed(db, { tagId: await tagId('imported') }, at(60));
    assert.equal(imported.length, 12);
    assert.equal(imported[0], (await db.selectFrom('articles').select('id').where('slug', '=', 'imported-0').executeTakeFirstOrThrow()).id);
    await assertListings(at(60), ['imported', 'oil', 'talks'], [author.id], 'after a re-import');
  });

  test('the tag and author pages list those stories, in that order', async () => {
    const now = new Date();
    for (const [path, filter] of [
      ['/tag/imported', { tagId: await tagId('imported') }],
      ['/tag/oil', { tagId: await tagId('oil') }],
      [`/author/${(await db.selectFrom('people').select('slug').where('id', '=', boss.personId!).executeTakeFirstOrThrow()).slug}`, { personId: boss.personId! }],
    ] as const) {
      const ids = await expected(db, filter, now);
      assert.ok(ids.length > 0, `${path} has stories`);
      const headlines = (await db.selectFrom('articles').select(['id', 'headline']).where('id', 'in', ids).execute()).reduce(
        (m, r) => m.set(r.id, r.headline),
        new Map<number, string>(),
      );
      const res = await t.app.inject({ method: 'GET', url: path });
      assert.equal(res.statusCode, 200, path);
      const positions = ids.slice(0, 20).map((id) => res.body.indexOf(`>${headlines.get(id)!}<`));
      assert.ok(positions.every((p) => p > 0), `${path} shows every story it should: ${JSON.stringify(positions)}`);
      assert.deepEqual([...positions].sort((x, y) => x - y), positions, `${path} shows them newest first`);
    }
  });

  test('the migration fills the copy for stories written before it (down, then up again)', async () => {
    const before = await strayLinks(db);
    await listingTimes.down(db);
    const columns = await sql<{ n: number }>`SELECT count(*) AS n FROM article_tags`.execute(db);
    assert.ok(Number(columns.rows[0]!.n) > 0, 'the links stay');
    await listingTimes.up(db);
    assert.deepEqual(before, []);
    await assertCopies(db, 'the migration run over an archive');
    await assertListings(at(60), ['economy', 'oil', 'talks', 'imported'], [writer.personId!, boss.personId!], 'after the migration');
  });
});
