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
// 2. Otherwise the `walk` newest visible stories are probed one by one, newest first, until the
//    window is full. A common word fills it within a few hundred stories: exact again.
// 3. When the walk finds too few (words common in the archive but rare in recent news), the
//    index's `matches` most recently created matches are read as well and merged in by date.
//
// What a reader gets:
// - The last band ("anywhere") is newest first. Exact whenever the band's words are in fewer
//   than `matches` stories, or common enough in recent news for the walk; otherwise a story
//   older than the walk reached is found only if it is among the `matches` most recently
//   created matches.
// - A ranked band (all words in the headline; in headline and dek) comes in chunks of `rank`
//   stories: its `rank` newest stories best first, then the next `rank` newest best first, and
//   so on. A band of up to `rank` stories is ranked whole, best first, exactly as if unbounded;
//   a word in thousands of headlines gives the best of its newest `rank` headline matches: what
//   a news site wants, and the only ranking whose cost does not depend on the archive's size.
// Every page reads the same windows (the limits do not depend on the page), so paging neither
// repeats nor skips a story.
import type { Band, Candidate, SearchLimits } from './types.ts';

/** The limits a search uses unless told otherwise (tests make them small). */
export const DEFAULT_LIMITS: SearchLimits = { rank: 200, walk: 4000, matches: 2000, few: 500 };

/** Newest first, as the databases order: published_at DESC, id DESC (ISO text compares as stored). */
export const newestFirst = (a: Candidate, b: Candidate) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.id - a.id);
/** Best first, ties newest first: the order a ranked band's SQL used over every match. */
const bestFirst = (a: Candidate, b: Candidate) => a.score - b.score || newestFirst(a, b);

/** The band's `want` newest stories (fewer when the band holds fewer), newest first. */
export async function bandWindow(band: Band, want: number, limits: SearchLimits): Promise<Candidate[]> {
  if ((await band.rawCount(limits.few)) < limits.few) return band.matches(limits.few, want);
  const walked = await band.walk(limits.walk, want);
  if (walked.length >= want) return walked;
  // The walk's stories are every band story down to where it stopped; the index's side adds
  // older ones (and finds the walk's again, dropped here).
  const seen = new Set(walked.map((c) => c.id));
  const more = (await band.matches(limits.matches, want)).filter((c) => !seen.has(c.id));
  return [...walked, ...more].sort(newestFirst).slice(0, want);
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
export async function readBand(band: Band, limits: SearchLimits, limit: number, offset: number): Promise<{ ids: number[]; size?: number }> {
  const end = offset + limit;
  // A ranked band reads whole chunks, so a chunk ranks the same on every page.
  const want = band.ranked ? Math.ceil(end / limits.rank) * limits.rank : end;
  const window = await bandWindow(band, want, limits);
  const order = band.ranked ? rankInChunks(window, limits.rank) : window;
  const ids = order.slice(offset, end).map((c) => c.id);
  return window.length < want ? { ids, size: window.length } : { ids };
}
