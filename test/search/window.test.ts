// Search's bounded reads (src/search/bands.ts) on real SQLite and PostgreSQL, with the limits made
// small: what a reader gets when a word is in more stories than a band reads, page by page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase, type TestDatabase } from '../helpers/databases.ts';
import type { Db } from '../../src/db/connection.ts';
import { createArticle } from '../../src/newsroom/articles/commands.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';
import { search, type SearchLimits, type SearchResults } from '../../src/search/index.ts';
import { continuation, idRanges, rankInChunks } from '../../src/search/bands.ts';
import { loadConfig } from '../../src/config.ts';
import { loadChrome } from '../../src/site/chrome.ts';
import { renderHtml } from '../../src/site/render.ts';
import { SearchPage } from '../../src/site/views/search.tsx';

const HOUR = 3_600_000;
const headlines = (r: SearchResults) => r.hits.map((h) => h.story.headline);

test('id ranges: runs split at the widest gaps, as many as allowed', () => {
  assert.deepEqual(idRanges([]), []);
  assert.deepEqual(idRanges([5, 3, 4, 9]), [[3, 9]], 'gaps narrower than the ids are many are read through');
  assert.deepEqual(idRanges([1, 2, 3, 100, 101, 500], 3), [[1, 3], [100, 101], [500, 500]]);
  assert.deepEqual(idRanges([1, 2, 3, 100, 101, 500], 3, 2), [[1, 101], [500, 500]], 'the widest gap first');
});

test('continuation: on from the run of the oldest stories walked, the way ids run there', () => {
  const walked = (ids: number[]) => ids.map((id, i) => ({ id, at: new Date(Date.UTC(2026, 0, 31 - i)).toISOString() }));
  assert.deepEqual(continuation(walked([900, 899, 898, 897])), { id: 897, up: false }, 'a newsroom: older stories have lower ids');
  assert.deepEqual(continuation(walked([1, 2, 3, 4])), { id: 4, up: true }, 'imported newest first');
  // Live stories on top of an archive imported newest first: go on from the archive's run.
  assert.deepEqual(continuation(walked([10_001, 10_000, 1, 2, 3, 4, 5])), { id: 5, up: true });
  assert.deepEqual(continuation(walked([7])), { id: 7, up: false }, 'no way to tell: downwards');
  assert.equal(continuation([]), undefined);
});

test('chunks: newest chunk first, each best first, ties newest first', () => {
  const c = (id: number, score: number) => ({ id, at: `2026-01-${String(40 - id).padStart(2, '0')}`, score });
  const ranked = rankInChunks([c(1, -1), c(2, -3), c(3, -1), c(4, -9), c(5, -2)], 3).map((x) => x.id);
  assert.deepEqual(ranked, [2, 1, 3, 4, 5]);
});

eachDatabase('search windows', (kind: TestDatabase) => {
  let db: Db;
  let dispose: () => Promise<void>;
  let writer: number;
  const past = (hours: number) => new Date(Date.now() - hours * HOUR);

  /** Stories on a desk of their own (filters hold the walk to it), created in the order given. */
  async function deskOf(name: string, stories: Array<{ headline: string; body?: string; hoursAgo: number }>) {
    const deskId = (await createDesk(db.kysely, { name })).id;
    for (const s of stories) {
      await createArticle(
        db.kysely,
        { headline: s.headline, deskId, bodyHtml: s.body ?? '<p>Nothing to see.</p>', bylineIds: [writer] },
        { status: 'published', publishedAt: past(s.hoursAgo) },
      );
    }
    return deskId;
  }

  /** Every result, page after page of `pageSize`, checking that no page repeats a story. */
  async function allPages(q: string, deskId: number, pageSize: number, limits: Partial<SearchLimits>) {
    const seen: string[] = [];
    for (let page = 1; ; page++) {
      const r = await search(db, q, { deskId }, page, { pageSize, limits });
      seen.push(...headlines(r));
      if (!r.more) break;
    }
    assert.equal(new Set(seen).size, seen.length, `no story twice: ${seen.join(' / ')}`);
    return seen;
  }

  before(async () => {
    ({ db, dispose } = await kind.create());
    writer = (await createPerson(db.kysely, { name: 'Sara Karimi' })).id;
  });
  after(() => dispose());

  test('a word in more headlines than a chunk: the best of the newest, then the best of the next', async () => {
    // Newest first: two weak headlines around a middling one, then the strongest of all, a
    // middling one and a weak one. Weak headlines are the same length, so they tie on rank.
    const deskId = await deskOf('Mountains', [
      { headline: 'Ibex seen near the ridge', hoursAgo: 1 },
      { headline: 'Ibex ibex on the ridge', hoursAgo: 2 },
      { headline: 'Ibex seen near the lake', hoursAgo: 3 },
      { headline: 'Ibex ibex ibex', hoursAgo: 4 },
      { headline: 'Ibex ibex in the snow', hoursAgo: 5 },
      { headline: 'Ibex seen near the pass', hoursAgo: 6 },
    ]);
    const whole = headlines(await search(db, 'ibex', { deskId }, 1, { pageSize: 50 }));
    assert.equal(whole[0], 'Ibex ibex ibex', 'unbounded (the band under the window): the best of all first');
    const chunked = ['Ibex ibex on the ridge', 'Ibex seen near the ridge', 'Ibex seen near the lake', 'Ibex ibex ibex', 'Ibex ibex in the snow', 'Ibex seen near the pass'];
    // The few matches read whole, or the walk: the same chunks of three, newest chunk first.
    for (const limits of [{ rank: 3 }, { rank: 3, few: 1 }, { rank: 3, few: 1, walk: 2, matches: 4 }]) {
      assert.deepEqual(headlines(await search(db, 'ibex', { deskId }, 1, { pageSize: 50, limits })), chunked, JSON.stringify(limits));
      // Paging by two cuts across the chunks and still gives the same order.
      assert.deepEqual(await allPages('ibex', deskId, 2, limits), chunked, JSON.stringify(limits));
    }
    // Two walked and two more matches: the band holds the four newest.
    assert.deepEqual(await allPages('ibex', deskId, 2, { rank: 3, few: 1, walk: 2, matches: 2 }), chunked.slice(0, 4));
  });

  for (const [order, hoursAgo] of [
    ['oldest first, as a newsroom writes them', (i: number) => 10 * (8 - i)],
    ['newest first, as an archive imported newest first', (i: number) => 10 * (i + 1)],
  ] as const) {
    test(`a word rare in recent news: the walk, then the matches that follow in id order (created ${order})`, async () => {
      const stories = Array.from({ length: 8 }, (_, i) => ({ headline: `Savanna notes ${order.slice(0, 6)} ${i}`, body: '<p>A gnu crossed.</p>', hoursAgo: hoursAgo(i) }));
      const deskId = await deskOf(`Savanna ${order.slice(0, 6)}`, stories);
      const newestFirst = [...stories].sort((a, b) => a.hoursAgo - b.hoursAgo).map((s) => s.headline);
      // A walk of two stories finds too few; the index's side goes on from there, away from the
      // newer stories, three matches at most: the five newest, exactly.
      const limits = { few: 1, walk: 2, matches: 3 };
      assert.deepEqual(headlines(await search(db, 'gnu', { deskId }, 1, { limits })), newestFirst.slice(0, 5));
      assert.deepEqual(await allPages('gnu', deskId, 2, limits), newestFirst.slice(0, 5));
      // With room for all, all of them, as without limits.
      assert.deepEqual(headlines(await search(db, 'gnu', { deskId }, 1, { limits: { few: 1, walk: 2, matches: 100 } })), newestFirst);
      assert.deepEqual(headlines(await search(db, 'gnu', { deskId })), newestFirst);
    });
  }

  test('excluded words and earlier bands are left out on every path', async () => {
    const deskId = await deskOf('Wetlands', [
      { headline: 'Heron count', body: '<p>A heron and a frog.</p>', hoursAgo: 1 },
      { headline: 'Reed beds', body: '<p>A heron nests.</p>', hoursAgo: 2 },
      { headline: 'Heron chicks', body: '<p>Three chicks.</p>', hoursAgo: 3 },
      { headline: 'Marsh walk', body: '<p>A heron, a frog, a pike.</p>', hoursAgo: 4 },
      { headline: 'Water levels', body: '<p>A heron waits.</p>', hoursAgo: 5 },
    ]);
    const exact: Array<Partial<SearchLimits>> = [{}, { few: 1 }, { few: 1, walk: 2, matches: 10 }, { rank: 1, few: 1, walk: 2, matches: 10 }];
    for (const limits of exact) {
      assert.deepEqual(headlines(await search(db, 'heron -frog', { deskId }, 1, { limits })), ['Heron chicks', 'Reed beds', 'Water levels'], JSON.stringify(limits));
    }
    // Reading one match past a walk of one story finds less, and still nothing excluded.
    const cutShort = await search(db, 'heron -frog', { deskId }, 1, { limits: { few: 1, walk: 1, matches: 1 } });
    const few = headlines(cutShort);
    assert.ok(few.length < 3 && !few.includes('Heron count') && !few.includes('Marsh walk'), few.join(' / '));
    assert.equal(cutShort.cut, true, 'the bounds ended the results: the reader is told older stories may exist');
    // What the search page says then, with no result: not "no story matches".
    const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent' });
    const nothing = await search(db, 'heron -frog -chicks -reed -water', { deskId }, 1, { limits: { few: 1, walk: 1, matches: 1 } });
    assert.deepEqual([nothing.hits.length, nothing.cut], [0, true]);
    const values = { q: nothing.query.text, desk: '', author: '', from: '', to: '' };
    const page = renderHtml(SearchPage({ chrome: await loadChrome(db.kysely, config), data: { values, errors: {}, desks: [], people: [], results: nothing } }));
    assert.match(page, /was found among the newest ones looked through/);
    assert.match(page, /choose dates under “Published between” to search further back/);
    assert.doesNotMatch(page, /No published story matches/);
    // Every match read, or every story walked: nothing beyond the bounds.
    for (const limits of [{}, { few: 1 }]) assert.equal((await search(db, 'heron -frog', { deskId }, 1, { limits })).cut, false, JSON.stringify(limits));
  });
});
