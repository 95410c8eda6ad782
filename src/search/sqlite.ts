// Search on SQLite with FTS5 (tables and triggers: migration 2026-11-28T0845-search).
//
// Ranking bands: all words in the headline, then in headline and dek, both by bm25 over the small
// search_head index (headline weighs more than dek); then every other match, newest first. Each
// band is read in bounded steps (src/search/bands.ts): a capped count of its matches, a walk of
// the newest public stories, a capped read of its matches in id order.
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../db/schema.ts';
import { idRanges, newestStories } from './bands.ts';
import { visibleWhere } from './filters.ts';
import { ELLIPSIS, MARK_END, MARK_START } from './highlight.ts';
import type { ParsedQuery, SearchTerm } from './query.ts';
import type { Band, Continuation, MarkedTexts, SearchIndex, Story } from './types.ts';

/** bm25 weights of search_head's columns: a match in the headline counts for more than in the dek. */
const HEAD_WEIGHTS = sql.raw('10.0, 4.0');
/** Tokens of body around the matches in a snippet. */
const SNIPPET_TOKENS = 28;

/**
 * Words that only the stored body HTML holds (tag and attribute names, URL schemes, entities):
 * looked for in headline and dek only, so "href" does not find every story with a link.
 */
const MARKUP = new Set(
  (
    'p a href http https www mailto tel src srcset img alt blockquote figcaption pullquote li ul ol em br hr h2 h3 h4 ' +
    'tbody thead tr th td colspan rowspan decoding async sub sup amp nbsp quot lt gt rsquo lsquo rdquo ldquo'
  ).split(' '),
);

/** An FTS5 string: words only (the parser keeps quotes out), so it is a word or a phrase. */
const quote = (term: SearchTerm): string => `"${term.words.join(' ')}"`;

const bodyAware = (term: SearchTerm): string => {
  const only = term.words.length === 1 ? term.words[0] : undefined;
  return only !== undefined && MARKUP.has(only) ? `{headline dek} : ${quote(term)}` : quote(term);
};

const all = (terms: SearchTerm[], render: (t: SearchTerm) => string = quote) => `(${terms.map(render).join(' ')})`;
const any = (terms: SearchTerm[], render: (t: SearchTerm) => string = quote) => `(${terms.map(render).join(' OR ')})`;

/** The FTS5 expressions one parsed query needs. */
export function ftsExpressions(query: ParsedQuery) {
  const words = all(query.include);
  const excluded = query.exclude.length > 0 ? any(query.exclude, bodyAware) : undefined;
  const everywhere = all(query.include, bodyAware);
  // Excluded words are matched on their own, over the ids a band reads: FTS5 evaluates "a NOT b"
  // for one row by reading b's whole list.
  return {
    /** On search_head: every word in the headline. */
    inHeadline: `{headline} : ${words}`,
    /** On search_head: every word in headline and dek, not all in the headline. */
    inDek: `${words} NOT ({headline} : ${words})`,
    /** On search_head: every word in headline and dek. */
    inHead: words,
    /** On search_fts: every word anywhere. */
    anywhere: everywhere,
    /** On search_fts: any excluded word anywhere. */
    excluded,
    /** On search_fts: any included word, to mark them. */
    marks: any(query.include),
  };
}

type Row = { id: number; at: string; score: number | null };

/** An integer for FTS5: a bound JS number arrives as REAL, and FTS5 ignores a REAL rowid bound. */
const int = (n: number) => sql`CAST(${Math.trunc(n)} AS INTEGER)`;

export function sqliteSearchIndex(db: Kysely<Database>): SearchIndex {
  /** The newest visible stories, read as far as asked and kept for all bands of one search. */
  function recentStories(where: Expression<SqlBool>) {
    return newestStories(async (last, missing) => {
      const after = last ? sql`AND articles.published_at <= ${last.at} AND (articles.published_at < ${last.at} OR articles.id < ${last.id})` : sql``;
      const { rows } = await sql<Story>`SELECT articles.id AS id, articles.published_at AS at FROM articles INDEXED BY articles_search_recent
        WHERE ${where} ${after} ORDER BY articles.published_at DESC, articles.id DESC LIMIT ${missing}`.execute(db);
      return { stories: rows.map((r) => ({ id: Number(r.id), at: r.at })), asked: missing };
    });
  }

  /**
   * One band: `table` MATCH `match` (the band's words), ranked by bm25 when `ranked` (only on
   * search_head, the table that keeps column sizes), less the stories that match any of `without`
   * (earlier bands, excluded words).
   *
   * FTS5 asked about one story at a time ("rowid = id") seeks in every index segment and, with
   * bm25, counts every row holding the words each time, so stories are looked up by id *range*:
   * each word's rows in a range come in order, at little cost per row; and the words a band is
   * without are read over the same range, never over the whole index.
   */
  function band(
    table: 'search_head' | 'search_fts',
    match: string,
    ranked: boolean,
    without: Array<{ table: 'search_head' | 'search_fts'; match: string }>,
    where: Expression<SqlBool>,
    recent: (n: number) => Promise<Story[]>,
  ): Band {
    const fts = sql.table(table);
    const bm25 = ranked ? sql`bm25(search_head, ${HEAD_WEIGHTS})` : sql`0`;
    /** Stories `id` of the other matches between `lo` and `hi`: read over that range at once. */
    const notInRange = (id: RawBuilder<unknown>, lo: RawBuilder<unknown>, hi: RawBuilder<unknown>) =>
      without.map((w) => {
        const t = sql.table(w.table);
        return sql` AND ${id} NOT IN (SELECT ${t}.rowid FROM ${t} WHERE ${t} MATCH ${w.match} AND ${t}.rowid BETWEEN ${lo} AND ${hi})`;
      });
    /** The same, one story at a time (a seek per index segment each): for stories far apart. */
    const notAt = (id: RawBuilder<unknown>) =>
      without.map((w) => {
        const t = sql.table(w.table);
        return sql` AND NOT EXISTS (SELECT 1 FROM ${t} WHERE ${t} MATCH ${w.match} AND ${t}.rowid = ${id})`;
      });
    /**
     * How many of the band's matches (`cap` at most) there are in id order from `from` on (without
     * it: from the highest id down), and the range of ids they span: the index alone. Kept, since
     * the count that decides a band's first step is the span its few matches are read from.
     */
    const spans = new Map<string, Promise<{ lo: number; hi: number; n: number }>>();
    const span = (cap: number, from?: Continuation) => {
      const key = `${cap} ${from ? `${from.id} ${from.up}` : ''}`;
      let found = spans.get(key);
      if (!found) {
        const order = from
          ? from.up
            ? sql`AND ${fts}.rowid > ${int(from.id)} ORDER BY ${fts}.rowid ASC`
            : sql`AND ${fts}.rowid < ${int(from.id)} ORDER BY ${fts}.rowid DESC`
          : sql`ORDER BY ${fts}.rowid DESC`;
        found = sql<{ lo: number | null; hi: number | null; n: number }>`SELECT min(id) AS lo, max(id) AS hi, count(*) AS n
          FROM (SELECT ${fts}.rowid AS id FROM ${fts} WHERE ${fts} MATCH ${match} ${order} LIMIT ${cap})`
          .execute(db)
          .then(({ rows }) => ({ lo: Number(rows[0]?.lo ?? 0), hi: Number(rows[0]?.hi ?? 0), n: Number(rows[0]?.n ?? 0) }));
        spans.set(key, found);
      }
      return found;
    };
    return {
      ranked,
      recent,
      rawCount: async (cap) => (await span(cap)).n,
      async among(ids, scored) {
        const wanted = new Set(ids);
        // bm25 reads the words' rows each time a query opens it: fewer, wider ranges when scored.
        const scans = (scored ? idRanges(ids, Math.max(ids.length, 10_000), 3) : idRanges(ids)).map(([lo, hi]) => {
          const [from, to] = [int(lo), int(hi)];
          return sql`SELECT ${fts}.rowid AS id, ${scored ? bm25 : sql`0`} AS score FROM ${fts}
            WHERE ${fts} MATCH ${match} AND ${fts}.rowid BETWEEN ${from} AND ${to}${sql.join(notInRange(sql`${fts}.rowid`, from, to), sql``)}`;
        });
        if (scans.length === 0) return [];
        const { rows } = await sql<{ id: number; score: number | null }>`${sql.join(scans, sql` UNION ALL `)}`.execute(db);
        return rows.map((r) => ({ id: Number(r.id), score: Number(r.score ?? 0) })).filter((r) => wanted.has(r.id));
      },
      async matches(cap, want, scored, from) {
        // First the range of ids these `cap` matches span (the index alone)...
        const { lo, hi, n } = await span(cap, from);
        if (n === 0) return [];
        // ...then the matches in it. The other matches are read over the same range, or, where the
        // band's are far apart (in a range that holds many more of the others), story by story.
        const not = hi - lo > 64 * n ? notAt(sql`m.id`) : notInRange(sql`m.id`, int(lo), int(hi));
        const { rows } = await sql<Row>`WITH m AS (SELECT ${fts}.rowid AS id, ${scored ? bm25 : sql`0`} AS score FROM ${fts}
            WHERE ${fts} MATCH ${match} AND ${fts}.rowid BETWEEN ${int(lo)} AND ${int(hi)})
          SELECT m.id AS id, articles.published_at AS at, m.score AS score
          FROM m CROSS JOIN articles INDEXED BY articles_search_lookup ON articles.id = m.id
          WHERE ${where}${sql.join(not, sql``)}
          ORDER BY articles.published_at DESC, articles.id DESC LIMIT ${want}`.execute(db);
        return rows.map((r) => ({ id: Number(r.id), at: r.at, score: Number(r.score ?? 0) }));
      },
    };
  }

  return {
    bands(query, filters, now) {
      const where = visibleWhere(filters, now);
      const recent = recentStories(where);
      const fts = ftsExpressions(query);
      const excluded = fts.excluded ? [{ table: 'search_fts' as const, match: fts.excluded }] : [];
      return [
        band('search_head', fts.inHeadline, true, excluded, where, recent),
        band('search_head', fts.inDek, true, excluded, where, recent),
        // Every other match, newest first: anywhere, not in headline and dek (the bands above).
        band('search_fts', fts.anywhere, false, [{ table: 'search_head', match: fts.inHead }, ...excluded], where, recent),
      ];
    },

    async mark(query, articleIds) {
      const out = new Map<number, MarkedTexts>();
      if (articleIds.length === 0) return out;
      const { marks } = ftsExpressions(query);
      // The ids are written as integer literals: better-sqlite3 binds a JS number as REAL, and
      // FTS5 given "rowid = <real>" (which "IN (one id)" becomes) ignores it and returns every
      // match, each with its snippet.

      const { rows } = await sql<{ id: number; headline: string; dek: string; body: string }>`
        SELECT rowid AS id,
          highlight(search_fts, 0, ${MARK_START}, ${MARK_END}) AS headline,
          highlight(search_fts, 1, ${MARK_START}, ${MARK_END}) AS dek,
          snippet(search_fts, 2, ${MARK_START}, ${MARK_END}, ${ELLIPSIS}, ${SNIPPET_TOKENS}) AS body
        FROM search_fts WHERE search_fts MATCH ${marks} AND rowid IN (${sql.join(articleIds.map((id) => sql.lit(Math.trunc(id))))})`.execute(db);
      for (const r of rows) out.set(Number(r.id), { headline: r.headline, dek: r.dek, body: r.body, bodyIsHtml: true });
      return out;
    },
  };
}
