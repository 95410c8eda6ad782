import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareForBulkWrites, type Db } from '../src/db/connection.ts';
import { findArticleIdBySlug, findForReader, loadArticle } from '../src/newsroom/articles/repository.ts';
import { NewsroomError } from '../src/newsroom/errors.ts';
import { toCount } from '../src/newsroom/db.ts';
import { createDesk, listDesks } from '../src/newsroom/desks/repository.ts';
import { importJsonl } from '../src/newsroom/import/jsonl.ts';
import { createArticle } from '../src/newsroom/articles/commands.ts';
import { createPerson, findPersonByName } from '../src/newsroom/people/repository.ts';
import { search } from '../src/search/index.ts';
import { sql } from 'kysely';
import { shortenSlug, slugify } from '../src/newsroom/text.ts';
import { eachDatabase } from './helpers/databases.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
// CI clones the repository with shared/ beside it.
const makeCorpus = resolve(repoRoot, '../shared/corpus/make-corpus.mjs');
const REFERENCE_SLUG = 'no-talks-to-be-held-with-us-at-any-level-iran-leader';

interface CorpusLine {
  slug: string;
  title: string;
  kicker: string;
  section: string;
  authors: string[];
  tags: string[];
  publishedAt: string;
  updatedAt: string;
  excerpt: string;
  bodyHtml: string;
}

let corpusCache: string[] | undefined;

/** The 50-line corpus from the real generator, made once per test file. */
function corpus(): string[] {
  if (!corpusCache) {
    const run = spawnSync(process.execPath, [makeCorpus, '50'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(run.status, 0, `make-corpus failed: ${run.stderr}`);
    corpusCache = run.stdout.trimEnd().split('\n');
  }
  return corpusCache;
}

const records = (): CorpusLine[] => corpus().map((line) => JSON.parse(line) as CorpusLine);
const distinct = <T>(values: T[]): number => new Set(values).size;

async function count(db: Db, table: 'articles' | 'desks' | 'people' | 'tags'): Promise<number> {
  const row = await db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return toCount(row.n as string | number);
}

async function article(db: Db, slug: string) {
  const id = await findArticleIdBySlug(db.kysely, slug);
  assert.ok(id, `no article with slug ${slug}`);
  const found = await loadArticle(db.kysely, id);
  assert.ok(found);
  return found;
}

const withChange = (line: string, change: Partial<CorpusLine>): string => JSON.stringify({ ...JSON.parse(line), ...change });

eachDatabase('import jsonl', (kind) => {
  let db: Db;
  let dispose: (() => Promise<void>) | undefined;

  // A test that needs an empty newsroom calls fresh(); the others build on the one before.
  const fresh = async () => {
    await dispose?.();
    ({ db, dispose } = await kind.create());
  };
  after(async () => {
    await dispose?.();
  });

  test('loads a generated corpus as published stories with desks, people and tags', async () => {
    await fresh();
    const progress: number[] = [];
    const summary = await importJsonl(db.kysely, corpus(), { batchSize: 20, onProgress: (done) => progress.push(done) });
    const all = records();
    assert.equal(summary.created, 50);
    assert.equal(summary.updated, 0);
    assert.equal(summary.unchanged, 0);
    assert.deepEqual(summary.skipped, []);
    assert.equal(summary.desksCreated, distinct(all.map((r) => r.section)));
    assert.equal(summary.peopleCreated, distinct(all.flatMap((r) => r.authors)));
    assert.equal(progress.at(-1), 50);
    assert.equal(await count(db, 'articles'), 50);
    assert.equal(await count(db, 'desks'), summary.desksCreated);
    assert.equal(await count(db, 'people'), summary.peopleCreated);
    assert.equal(await count(db, 'tags'), distinct(all.flatMap((r) => r.tags.map((t) => slugify(t)))));
    const statuses = await db.kysely.selectFrom('articles').select('status').distinct().execute();
    assert.deepEqual(statuses, [{ status: 'published' }]);
  });

  test('the reference story keeps its kicker, tags, byline, desk and times', async () => {
    const reference = records()[0];
    assert.ok(reference);
    const story = await article(db, REFERENCE_SLUG);
    assert.equal(story.headline, 'No Talks to Be Held with US at Any Level: Iran Leader');
    assert.equal(story.kicker, 'IFP Exclusive');
    assert.equal(story.desk.name, 'Politics');
    assert.equal(story.status, 'published');
    assert.deepEqual(story.tags.map((t) => t.name), ['Iran', 'US', 'JCPOA', 'Europe']);
    assert.deepEqual(story.bylines.map((p) => [p.name, p.kind, p.title]), [['IFP Editorial Staff', 'collective', 'journalist']]);
    assert.equal(story.publishedAt, '2026-11-27T12:00:00.000Z');
    assert.equal(story.updatedAt, null, 'updatedAt equal to publishedAt means never updated');
    const stored = await db.kysely.selectFrom('articles').select('excerpt').where('slug', '=', REFERENCE_SLUG).executeTakeFirstOrThrow();
    assert.equal(stored.excerpt, reference.excerpt, 'the excerpt is stored as given');
    assert.equal(story.excerpt, 'Leader of Iran’s Islamic Revolution Ayatollah Seyyed Ali Khamenei says no negotiation will be held…', 'and shown cut at a word');
    assert.equal(story.version, 1);
    const person = await findPersonByName(db.kysely, 'Sara Karimi');
    assert.equal(person?.kind, 'person');
  });

  test('running the same corpus again changes nothing', async () => {
    const summary = await importJsonl(db.kysely, corpus());
    assert.deepEqual(summary, { created: 0, updated: 0, unchanged: 50, skipped: [], shortened: [], desksCreated: 0, peopleCreated: 0 });
    assert.equal(await count(db, 'articles'), 50);
    const versions = await db.kysely.selectFrom('articles').select('version').distinct().execute();
    assert.deepEqual(versions, [{ version: 1 }]);
  });

  test('a changed headline or update time on a later run updates that story alone', async () => {
    const lines = [...corpus()];
    const [first, fifth] = [lines[0], lines[4]];
    assert.ok(first && fifth);
    const fifthSlug = (JSON.parse(fifth) as CorpusLine).slug;
    lines[4] = withChange(fifth, { title: 'A Corrected Headline' });
    lines[0] = withChange(first, { updatedAt: '2026-11-27T15:30:00.000Z' });
    const summary = await importJsonl(db.kysely, lines);
    assert.equal(summary.created, 0);
    assert.equal(summary.updated, 2);
    assert.equal(summary.unchanged, 48);
    const changed = await article(db, fifthSlug);
    assert.equal(changed.headline, 'A Corrected Headline');
    assert.equal(changed.slug, fifthSlug, 'the slug identifies the story and stays');
    assert.equal(changed.version, 2);
    const reference = await article(db, REFERENCE_SLUG);
    assert.equal(reference.updatedAt, '2026-11-27T15:30:00.000Z');
    assert.equal(reference.publishedAt, '2026-11-27T12:00:00.000Z');
  });

  test('bad lines are skipped with their line number and reason; the rest load', async () => {
    await fresh();
    const [reference, second, third] = corpus();
    assert.ok(reference && second && third);
    const lines = [
      `\uFEFF${reference}`,
      '{"slug": "broken", "title": ',
      withChange(second, { title: '' }),
      withChange(second, { bodyHtml: '<p>Kept text.</p><script>alert("x")</script><p onclick="steal()">More.</p>' }),
      withChange(third, { slug: 'bad-date', publishedAt: 'last Tuesday' }),
      // Refused by the newsroom after its new desk was created: the desk must go with it.
      withChange(third, { slug: 'long-kicker', section: 'Obituaries', kicker: 'K'.repeat(61) }),
      '',
      withChange(third, { section: 'Sports' }),
    ];
    const summary = await importJsonl(db.kysely, lines);
    assert.equal(summary.created, 3);
    assert.deepEqual(
      summary.skipped.map((s) => s.line),
      [2, 3, 5, 6],
    );
    const [broken, untitled, badDate, longKicker] = summary.skipped.map((s) => s.reason);
    assert.match(broken ?? '', /not valid JSON/);
    assert.match(untitled ?? '', /missing title/);
    assert.match(badDate ?? '', /publishedAt is not an ISO 8601 date/);
    assert.match(longKicker ?? '', /kicker is longer than 60/);
    const desks = (await listDesks(db.kysely)).map((d) => d.name).sort();
    assert.ok(!desks.includes('Obituaries'), 'a refused story leaves no desk behind');
    assert.equal(summary.desksCreated, desks.length);
    const cleaned = await article(db, (JSON.parse(second) as CorpusLine).slug);
    assert.doesNotMatch(cleaned.bodyHtml, /<script|alert|onclick/i);
    assert.match(cleaned.bodyHtml, /<p>Kept text\.<\/p>/);
    assert.equal(await count(db, 'articles'), 3);
  });

  test('refused stories in several batches roll back alone, with the desk and person made for them', async () => {
    await fresh();
    const [a, b, c, d, e, f, g] = corpus();
    assert.ok(a && b && c && d && e && f && g);
    const refused = { kicker: 'K'.repeat(61), section: 'Obituaries', authors: ['Ghost Writer'] };
    const lines = [
      a,
      withChange(b, refused),
      c,
      d,
      withChange(e, refused),
      withChange(d, { title: 'The Same Slug, Retitled' }),
      f,
      g,
    ];
    const summary = await importJsonl(db.kysely, lines, { batchSize: 3 });
    assert.deepEqual(summary.skipped.map((s) => s.line), [2, 5]);
    assert.equal(summary.created, 5);
    assert.equal(summary.updated, 1, 'a slug repeated in one batch updates the story its first line made');
    assert.equal(await count(db, 'articles'), 5);
    assert.equal(await findPersonByName(db.kysely, 'Ghost Writer'), undefined);
    assert.ok(!(await listDesks(db.kysely)).some((desk) => desk.name === 'Obituaries'));
    assert.equal(summary.desksCreated, await count(db, 'desks'));
    assert.equal(summary.peopleCreated, await count(db, 'people'));
    assert.equal((await article(db, (JSON.parse(d) as CorpusLine).slug)).headline, 'The Same Slug, Retitled');
  });

  test('a slug repeated within a batch updates the story its first line created', async () => {
    await fresh();
    const [a, b, c] = corpus();
    assert.ok(a && b && c);
    const summary = await importJsonl(db.kysely, [a, b, withChange(a, { title: 'Retitled Later in the Batch', tags: ['Iran', 'Oman'] }), c]);
    assert.deepEqual(summary, { created: 3, updated: 1, unchanged: 0, skipped: [], shortened: [], desksCreated: summary.desksCreated, peopleCreated: summary.peopleCreated });
    const story = await article(db, REFERENCE_SLUG);
    assert.equal(story.headline, 'Retitled Later in the Batch');
    assert.deepEqual(story.tags.map((t) => t.name), ['Iran', 'Oman']);
    assert.equal(story.version, 2);
    assert.equal(await count(db, 'articles'), 3);
    await assertSearchIndexMatchesArticles(db);
  });

  test('a slug over 120 characters is shortened at a hyphen, kept unique, reported, and still finds its story', async () => {
    await fresh();
    const [a, b, c, d] = corpus();
    assert.ok(a && b && c && d);
    // As the 1,000,000-story corpus had them: 122 to 126 characters, the first 120 shared by two.
    const words = 'iran-says-talks-with-the-united-states-on-the-nuclear-programme-will-resume-next-week-in-oman-officials-told-reporters';
    const long1 = `${words}-on-sunday`;
    const long2 = `${words}-on-monday`;
    const cut = shortenSlug(long1, 120);
    assert.ok(long1.length > 120 && long2.length > 120 && cut.length <= 120 && long1.startsWith(`${cut}-`), cut);
    const lines = [a, withChange(b, { slug: long1 }), withChange(c, { slug: long2 }), withChange(d, { slug: 'Not A Slug'.repeat(13) })];
    const summary = await importJsonl(db.kysely, lines, { batchSize: 2 });
    assert.equal(summary.created, 3);
    assert.deepEqual(summary.shortened, [
      { line: 2, from: long1, to: cut },
      { line: 3, from: long2, to: `${shortenSlug(long2, 118)}-2` },
    ]);
    assert.deepEqual(summary.skipped.map((s) => s.line), [4], 'a slug that is not one stays refused');
    assert.match(summary.skipped[0]!.reason, /at most 120 characters/);
    const first = await article(db, cut);
    assert.equal(first.headline, (JSON.parse(b) as CorpusLine).title);
    const second = await article(db, summary.shortened[1]!.to);
    assert.equal(second.headline, (JSON.parse(c) as CorpusLine).title);
    // The given slug stays the story's former slug: readers are sent on, a re-run finds the story.
    const reader = await findForReader(db.kysely, long2);
    assert.equal(reader.kind, 'moved');
    assert.equal(reader.kind === 'moved' && reader.slug, second.slug);
    const again = await importJsonl(db.kysely, [...lines.slice(0, 3), withChange(c, { slug: long2, title: 'Retitled on the second run' })]);
    assert.deepEqual({ created: again.created, unchanged: again.unchanged, updated: again.updated, shortened: again.shortened }, { created: 0, unchanged: 3, updated: 1, shortened: [] });
    assert.equal((await article(db, second.slug)).headline, 'Retitled on the second run');
    assert.equal(await count(db, 'articles'), 3);
    // The same long slug twice in one batch: the second line updates the story the first made.
    await fresh();
    const twice = await importJsonl(db.kysely, [withChange(b, { slug: long1 }), withChange(c, { slug: long1, title: 'The second line' })]);
    assert.deepEqual([twice.created, twice.updated, twice.shortened.length], [1, 1, 1]);
    assert.equal((await article(db, cut)).headline, 'The second line');
  });

  test('the editor still refuses a slug over 120 characters: only the importer shortens', async () => {
    const desk = await createDesk(db.kysely, { name: 'Slug Desk' });
    await assert.rejects(
      createArticle(db.kysely, { headline: 'Typed by staff', deskId: desk.id, slug: `a-${'word-'.repeat(25)}end` }, { status: 'draft' }),
      (e: unknown) => e instanceof NewsroomError && /at most 120 characters/.test(JSON.stringify(e.fields)),
    );
  });

  test('imported stories are indexed and found exactly as stories created one by one', async () => {
    await fresh();
    await importJsonl(db.kysely, corpus(), { batchSize: 20 });
    await assertSearchIndexMatchesArticles(db);
    const reference = await kind.create();
    try {
      await createOneByOne(reference.db, records());
      const later = { now: new Date('2030-01-01T00:00:00Z') };
      for (const query of ['iran', 'khamenei negotiation', '"islamic republic"', 'europe -nuclear', 'cabinet week', 'talks OR sanctions']) {
        const [imported, created] = [await search(db, query, {}, 1, later), await search(reference.db, query, {}, 1, later)];
        const found = (r: typeof imported) => r.hits.map((h) => ({ slug: h.story.slug, headline: h.headline, snippet: h.snippet }));
        assert.ok(created.hits.length > 0, `"${query}" finds something`);
        assert.deepEqual(found(imported), found(created), `"${query}"`);
      }
    } finally {
      await reference.dispose();
    }
  });

  test('an import connection checkpoints the WAL less often (SQLite); PostgreSQL is left as it is', async () => {
    await fresh();
    await prepareForBulkWrites(db);
    if (db.dialect !== 'sqlite') return;
    const { rows } = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(db.kysely);
    assert.deepEqual(rows, [{ wal_autocheckpoint: 10_000 }]);
  });

  test('sections find existing desks by name in any case or by slug', async () => {
    await fresh();
    await createDesk(db.kysely, { name: 'POLITICS' });
    await createDesk(db.kysely, { name: 'Arts and Culture', slug: 'culture' });
    const [reference, second] = corpus();
    assert.ok(reference && second);
    const summary = await importJsonl(db.kysely, [reference, withChange(second, { section: 'culture' })]);
    assert.equal(summary.created, 2);
    assert.equal(summary.desksCreated, 0);
    assert.equal((await article(db, REFERENCE_SLUG)).desk.name, 'POLITICS');
    assert.equal((await article(db, (JSON.parse(second) as CorpusLine).slug)).desk.slug, 'culture');
  });
});

/** Every article's search entry is what indexing its row now gives: no story missed, none stale. */
async function assertSearchIndexMatchesArticles(db: Db): Promise<void> {
  if (db.dialect === 'sqlite') {
    // FTS5 compares every index entry with the article rows (external content) and fails on a difference.
    for (const table of ['search_head', 'search_fts']) await sql.raw(`INSERT INTO ${table} (${table}, rank) VALUES ('integrity-check', 1)`).execute(db.kysely);
    return;
  }
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM articles a LEFT JOIN article_search s ON s.article_id = a.id
    WHERE s.article_id IS NULL
       OR s.head <> setweight(to_tsvector('english', a.headline), 'A') || setweight(to_tsvector('english', a.dek), 'B')
       OR s.document <> s.head || setweight(to_tsvector('english', search_body_text(a.body_html)), 'C')`.execute(db.kysely);
  assert.equal(Number(rows[0]?.n), 0);
}

/** The corpus written story by story through createArticle, in file order, as the importer once did. */
async function createOneByOne(db: Db, lines: CorpusLine[]): Promise<void> {
  const desks = new Map<string, number>();
  const people = new Map<string, number>();
  for (const line of lines) {
    const deskId = desks.get(line.section) ?? (await createDesk(db.kysely, { name: line.section })).id;
    desks.set(line.section, deskId);
    const bylineIds: number[] = [];
    for (const name of line.authors) {
      const id = people.get(name) ?? (await createPerson(db.kysely, { name })).id;
      people.set(name, id);
      bylineIds.push(id);
    }
    const input = { headline: line.title, deskId, slug: line.slug, kicker: line.kicker, bodyHtml: line.bodyHtml, excerpt: line.excerpt, bylineIds, tags: line.tags };
    await createArticle(db.kysely, input, { status: 'published', publishedAt: new Date(line.publishedAt), recordChange: false });
  }
}

describe('dateline import jsonl (the command)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dateline-import-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const dateline = (args: string[], databaseFile: string) =>
    spawnSync(process.execPath, ['bin/dateline.js', ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: `sqlite:${databaseFile}` },
    });

  test('imports a file and prints a summary', () => {
    const file = join(dir, 'corpus.jsonl');
    writeFileSync(file, corpus().join('\n') + '\n');
    const run = dateline(['import', 'jsonl', file], join(dir, 'cli.db'));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Read 50 stories from .*corpus\.jsonl in [\d.]+ s \(\d+ stories\/s\)$/m);
    assert.match(run.stdout, /created\s+50\n/);
    assert.match(run.stdout, /skipped\s+0\n/);
    assert.doesNotMatch(run.stdout, /shortened/);
    const again = dateline(['import', 'jsonl', file], join(dir, 'cli.db'));
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /unchanged\s+50\n/);
  });

  test('says which slugs it shortened', () => {
    const file = join(dir, 'long.jsonl');
    const [a] = corpus();
    writeFileSync(file, withChange(a!, { slug: `a-${'long-'.repeat(30)}slug` }) + '\n');
    const run = dateline(['import', 'jsonl', file], join(dir, 'long.db'));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /created\s+1\n/);
    assert.match(run.stdout, /1 slugs over 120 characters shortened \(the given slug redirects to the story\):\n {2}line 1: now a-long-long-/);
  });

  test('--help explains the format and the exit status', () => {
    const run = dateline(['import', 'jsonl', '--help'], join(dir, 'help.db'));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Usage: dateline import jsonl \[options\] <file>/);
    assert.match(run.stdout, /Exit status: 0 when/);
  });

  test('a missing file fails with one line on stderr and touches no database', () => {
    const missing = join(dir, 'nope.jsonl');
    const databaseFile = join(dir, 'untouched.db');
    const run = dateline(['import', 'jsonl', missing], databaseFile);
    assert.equal(run.status, 1);
    assert.equal(run.stderr, `dateline: cannot read ${missing}: no such file\n`);
    assert.ok(!existsSync(databaseFile));
  });

  test('a file of which nothing can be imported exits non-zero after its summary', () => {
    const file = join(dir, 'garbage.jsonl');
    writeFileSync(file, 'not json\n{"title": "no section"}\n');
    const run = dateline(['import', 'jsonl', file], join(dir, 'garbage.db'));
    assert.equal(run.status, 1);
    assert.match(run.stdout, /line 1: not valid JSON/);
    assert.match(run.stdout, /line 2: missing section/);
    assert.equal(run.stderr, `dateline: none of the 2 stories in ${file} could be imported\n`);
  });
});
