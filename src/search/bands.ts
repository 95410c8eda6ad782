// One band of search results, read in steps whose cost does not grow with the archive.
//
// Neither FTS5 nor a GIN index can list a word's matches in order of publication, and ids do not
// follow publication either (an archive imported newest first gets its oldest stories the highest
// ids), so ranking every match, or sorting every match by date, costs as much as the word is
// common: seconds for a common word at a million stories. Instead a band is read as a *window*,
// its `want` newest stories by publication time, found in bounded steps (SearchLimits):
//
// 1. When the index holds fewer than `few` matches, all of them are read and sorted: exact, and
//    cheap because they are few. Most searches (names, rare words) end here.
// 2. Otherwise the newest visible stories are looked through, newest first, as far as the window
//    needs and at most `walk` of them. A common word fills it within a few hundred: exact again.
// 3. When the walk finds too few (words common in the archive but rare in recent news), the
//    search goes on through the index's matches in id order, from the run of ids where the walk
//    stopped, away from the newer stories (whichever way the archive was numbered), `matches` of
//    them at most, and merges them in by date.
//
// What a reader gets:
// - The last band ("anywhere") is newest first. Exact whenever the band's words are in fewer
//   than `few` stories, or common enough in recent news for the walk, or wherever ids run with
//   publication time; otherwise the stories past the walk are the newest of the `matches`
//   matches that follow it in id order.
// - A ranked band (all words in the headline; in headline and dek) comes in chunks of `rank`
//   stories: its `rank` newest stories best first, then the next `rank` newest best first, and
//   so on. A band of up to `rank` stories is ranked whole, best first, exactly as if unbounded;
//   a word in thousands of headlines gives the best of its newest `rank` headline matches: what
//   a news site wants, and the only ranking whose cost does not depend on the archive's size.
// Every page reads the same windows (a window's first stories do not depend on how many more a
// page asks for), so paging neither repeats nor skips a story.
//
// The one cost left that grows with the archive: bm25 counts the rows holding each word (a read
// of the word's index entries, no rows) whenever a query opens it, once or twice a ranked band.
import type { Band, Candidate, Continuation, SearchLimits, Story } from './types.ts';

/**
 * The newest visible stories, read as far as asked and kept for all bands of one search. `read`
 * gives up to `missing` stories after `after` (all stories have `have` read so far); an engine
 * may read fewer at a time, and says how many it asked for: fewer found than asked is the end.
 */
export function newestStories(read: (after: Story | undefined, missing: number, have: number) => Promise<{ stories: Story[]; asked: number }>) {
  const stories: Story[] = [];
  let all = false;
  return async (n: number): Promise<Story[]> => {
    while (stories.length < n && !all) {
      const { stories: more, asked } = await read(stories.at(-1), n - stories.length, stories.length);
      stories.push(...more);
      if (more.length < asked) all = true;
    }
    return stories.slice(0, n);
  };
}

/** The limits a search uses unless told otherwise (tests make them small). */
export const DEFAULT_LIMITS: SearchLimits = { rank: 200, walk: 4000, matches: 2000, few: 2000 };

/** Newest first, as the databases order: published_at DESC, id DESC (ISO text compares as stored). */
export const newestFirst = (a: Story, b: Story) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.id - a.id);
/** Best first, ties newest first: the order a ranked band's SQL used over every match. */
const bestFirst = (a: Candidate, b: Candidate) => a.score - b.score || newestFirst(a, b);

/**
 * The ids as at most `most` ranges, split at the widest gaps wider than `minGap` (by default as
 * wide as the ids are many: a narrower gap costs less to read through than another query).
 * Stories published recently were mostly created recently, or imported together: a few runs of
 * ids, whichever way an archive was numbered (the benchmark's corpus was imported newest first:
 * its newest stories have the lowest ids).
 */
export function idRanges(ids: number[], minGap = ids.length, most = 8): Array<[number, number]> {
  const sorted = [...ids].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const breaks = sorted
    .slice(1)
    .map((id, i) => ({ at: i + 1, gap: id - (sorted[i] ?? id) }))
    .filter((g) => g.gap > minGap)
    .sort((a, b) => b.gap - a.gap || a.at - b.at)
    .slice(0, most - 1)
    .map((g) => g.at)
    .sort((a, b) => a - b);
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (const at of [...breaks, sorted.length]) {
    ranges.push([sorted[start] ?? 0, sorted[at - 1] ?? 0]);
    start = at;
  }
  return ranges;
}

/**
 * Where the index's side goes on after a walk: from the run of ids holding most of the oldest
 * stories walked, the way ids run there as stories get older (upwards in an archive imported
 * newest first). Without a way to tell (one story walked), downwards, as a newsroom numbers them.
 */
export function continuation(walked: Story[]): Continuation | undefined {
  const newest = walked[0];
  const oldest = walked.at(-1);
  if (!newest || !oldest) return undefined;
  if (walked.length < 2) return { id: oldest.id, up: false };
  const ranges = idRanges(walked.map((w) => w.id));
  const tail = walked.slice(-32);
  const holds = ([lo, hi]: [number, number], stories: Story[]) => stories.filter((w) => lo <= w.id && w.id <= hi);
  let run = ranges[0] ?? [oldest.id, oldest.id];
  for (const range of ranges) if (holds(range, tail).length > holds(run, tail).length) run = range;
  const [lo, hi] = run;
  const inRun = holds(run, walked);
  const [first, last] = inRun.length > 1 ? [inRun[0] ?? newest, inRun.at(-1) ?? oldest] : [newest, oldest];
  return last.id > first.id ? { id: hi, up: true } : { id: lo, up: false };
}

interface Walk {
  /** The band's stories among those walked, newest first, `want` at most. */
  found: Candidate[];
  /** The stories walked, newest first. */
  walked: Story[];
  /** Every visible story was walked. */
  complete: boolean;
}

/** The newest stories, looked through as far as the window needs and `stories` allows. */
async function walk(band: Band, stories: number, want: number): Promise<Walk> {
  // A first reach a few times the window, enough for a common word; then as far as the words'
  // share of it says the window needs.
  let reach = Math.min(stories, Math.max(200, 4 * want));
  for (;;) {
    const walked = await band.recent(reach);
    const hits = new Set((await band.among(walked.map((w) => w.id), false)).map((h) => h.id));
    const found = walked.filter((w) => hits.has(w.id));
    const complete = walked.length < reach;
    if (found.length >= want || complete || reach >= stories) return { found: found.slice(0, want).map((c) => ({ ...c, score: 0 })), walked, complete };
    reach = Math.min(stories, 8 * reach, Math.ceil((1.25 * want * reach) / Math.max(found.length, 1)));
  }
}

/**
 * The band's `want` newest stories (fewer when the band holds fewer), newest first, scored when
 * ranked; `cut` when fewer came back than asked for after the index's side was read, which reads
 * at most `matches` of them: older stories of the band may then exist beyond the bounds.
 */
export async function bandWindow(band: Band, want: number, limits: SearchLimits): Promise<{ window: Candidate[]; cut: boolean }> {
  if ((await band.rawCount(limits.few)) < limits.few) return { window: await band.matches(limits.few, want, band.ranked), cut: false };
  const { found, walked, complete } = await walk(band, limits.walk, want);
  let window = found;
  let cut = false;
  if (found.length < want && !complete) {
    // Every band story newer than the oldest one walked is among `found`; the index's side adds
    // older ones (and finds some of the walk's again, dropped here).
    const seen = new Set(found.map((c) => c.id));
    const more = (await band.matches(limits.matches, want, false, continuation(walked))).filter((c) => !seen.has(c.id));
    window = [...found, ...more].sort(newestFirst).slice(0, want);
    cut = window.length < want;
  }
  if (!band.ranked || window.length === 0) return { window, cut };
  // Scored once, for the stories kept: bm25 reads every row holding the words each time a query
  // opens it.
  const scores = new Map((await band.among(window.map((c) => c.id), true)).map((h) => [h.id, h.score]));
  return { window: window.map((c) => ({ ...c, score: scores.get(c.id) ?? 0 })), cut };
}

/** A ranked band's order: chunks of `size` newest first, each best first. */
export function rankInChunks(window: Candidate[], size: number): Candidate[] {
  const out: Candidate[] = [];
  for (let start = 0; start < window.length; start += size) out.push(...window.slice(start, start + size).sort(bestFirst));
  return out;
}

/**
 * `limit` ids of the band from `offset` on, and, when the band holds fewer than `offset + limit`
 * stories, how many it holds (to skip it whole when paging past it).
 */
export async function readBand(band: Band, limits: SearchLimits, limit: number, offset: number): Promise<{ ids: number[]; size?: number; cut: boolean }> {
  const end = offset + limit;
  // A ranked band reads whole chunks, so a chunk ranks the same on every page.
  const want = band.ranked ? Math.ceil(end / limits.rank) * limits.rank : end;
  const { window, cut } = await bandWindow(band, want, limits);
  const order = band.ranked ? rankInChunks(window, limits.rank) : window;
  const ids = order.slice(offset, end).map((c) => c.id);
  return window.length < want ? { ids, size: window.length, cut } : { ids, cut };
}
