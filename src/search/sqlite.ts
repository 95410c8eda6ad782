// Search on SQLite with FTS5 (tables and triggers: migration 2026-11-28T0845-search).
//
// Ranking bands: all words in the headline, then in headline and dek, both by bm25 over the small
// search_head index (headline weighs more than dek); then every other match, newest first. Only
// the last band touches the body index, and it walks public stories newest first probing each, so
// a word found in nearly every story costs a page's worth of probes, not a sort of every match.
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../db/schema.ts';
import { visibleWhere } from './filters.ts';
import { ELLIPSIS, MARK_END, MARK_START } from './highlight.ts';
import type { ParsedQuery, SearchTerm } from './query.ts';
import type { MarkedTexts, SearchIndex, Tier } from './types.ts';

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
  // Excluded words are probed on their own: FTS5 evaluates "a NOT b" for one row by reading b's
  // whole list, which made every probe of the last band cost milliseconds.
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

type Ids = { id: number };

export function sqliteSearchIndex(db: Kysely<Database>): SearchIndex {
  const ids = async (query: RawBuilder<Ids>) => (await query.execute(db)).rows.map((r) => Number(r.id));
  const count = async (query: RawBuilder<{ n: number }>) => Number((await query.execute(db)).rows[0]?.n ?? 0);

  /** A band ranked by bm25 on search_head; visibility is read from the covering index, not the rows. */
  function headTier(match: string, where: Expression<SqlBool>, excluded: string | undefined): Tier {
    const notExcluded = excluded
      ? sql`AND articles.id NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ${excluded})`
      : sql``;
    const from = sql`FROM search_head CROSS JOIN articles INDEXED BY articles_search_lookup ON articles.id = search_head.rowid
      WHERE search_head MATCH ${match} AND ${where} ${notExcluded}`;
    return {
      fetch: (limit, offset) =>
        ids(sql<Ids>`SELECT articles.id AS id ${from}
          ORDER BY bm25(search_head, ${HEAD_WEIGHTS}), articles.published_at DESC, articles.id DESC LIMIT ${limit} OFFSET ${offset}`),
      count: () => count(sql<{ n: number }>`SELECT count(*) AS n ${from}`),
    };
  }

  /** Every other match, newest first. */
  function restTier(anywhere: string, inHead: string, excluded: string | undefined, where: Expression<SqlBool>): Tier {
    const probes = sql`EXISTS (SELECT 1 FROM search_fts WHERE search_fts MATCH ${anywhere} AND search_fts.rowid = articles.id)
      AND NOT EXISTS (SELECT 1 FROM search_head WHERE search_head MATCH ${inHead} AND search_head.rowid = articles.id)
      ${excluded ? sql`AND NOT EXISTS (SELECT 1 FROM search_fts WHERE search_fts MATCH ${excluded} AND search_fts.rowid = articles.id)` : sql``}`;
    // From the match side, for when matches are few among recent stories: sorts every match.
    const fromMatches = sql`FROM search_fts CROSS JOIN articles INDEXED BY articles_search_lookup ON articles.id = search_fts.rowid
      WHERE search_fts MATCH ${anywhere} AND ${where}
      AND articles.id NOT IN (SELECT rowid FROM search_head WHERE search_head MATCH ${inHead})
      ${excluded ? sql`AND articles.id NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ${excluded})` : sql``}`;
    return {
      async fetch(limit, offset) {
        // Probe the newest public stories first; a window a few times the page deep is enough
        // whenever the words are common, which is when sorting every match would be slow.
        const window = Math.min(4 * (offset + limit) + 100, 20_000);
        const walked = await ids(sql<Ids>`SELECT id FROM (
            SELECT articles.id AS id, articles.published_at AS published_at FROM articles INDEXED BY articles_search_recent
            WHERE ${where} ORDER BY articles.published_at DESC, articles.id DESC LIMIT ${window}
          ) AS articles WHERE ${probes}
          ORDER BY articles.published_at DESC, articles.id DESC LIMIT ${limit} OFFSET ${offset}`);
        if (walked.length === limit) return walked;
        return ids(sql<Ids>`SELECT articles.id AS id ${fromMatches}
          ORDER BY articles.published_at DESC, articles.id DESC LIMIT ${limit} OFFSET ${offset}`);
      },
      count: () => count(sql<{ n: number }>`SELECT count(*) AS n ${fromMatches}`),
    };
  }

  return {
    tiers(query, filters, now) {
      const where = visibleWhere(filters, now);
      const fts = ftsExpressions(query);
      return [
        headTier(fts.inHeadline, where, fts.excluded),
        headTier(fts.inDek, where, fts.excluded),
        restTier(fts.anywhere, fts.inHead, fts.excluded, where),
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
