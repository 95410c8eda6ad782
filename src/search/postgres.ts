// Search on PostgreSQL with weighted tsvectors (table, trigger and GIN indexes: migration
// 2026-11-28T0845-search). The same bands as on SQLite: all words in the headline (weight A),
// then in headline and dek (A, B), both by ts_rank on the small `head` vector; then every other
// match, newest first, each band read in bounded steps (src/search/bands.ts). ts_headline, the
// costly part, runs only for the page shown.
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../db/schema.ts';
import { visibleWhere } from './filters.ts';
import { newestStories } from './bands.ts';
import { MARK_END, MARK_START } from './highlight.ts';
import type { ParsedQuery, SearchTerm } from './query.ts';
import type { Band, MarkedTexts, SearchIndex, Story } from './types.ts';

const CONFIG = sql.lit('english');

/**
 * tsquery text for to_tsquery: each word a quoted lexeme (the parser keeps words to letters,
 * digits and marks, so no quote or operator can appear inside one), a phrase joined by <->.
 */
const lexeme = (word: string, weight = '') => `'${word}'${weight ? `:${weight}` : ''}`;
const tsTerm = (term: SearchTerm, weight = '') =>
  term.words.length === 1 ? lexeme(term.words[0] ?? '', weight) : `(${term.words.map((w) => lexeme(w, weight)).join(' <-> ')})`;

export function tsQueries(query: ParsedQuery) {
  const all = (weight = '') => query.include.map((t) => tsTerm(t, weight)).join(' & ');
  const excluded = query.exclude.length > 0 ? query.exclude.map((t) => tsTerm(t)).join(' | ') : undefined;
  return {
    /** Every word in the headline. */
    inHeadline: all('A'),
    /** Every word in headline and dek (on the head vector, which holds only those). */
    inHead: all(),
    /** Every word anywhere. */
    all: all(),
    excluded,
    /** Any included word, to mark them. */
    marks: query.include.map((t) => tsTerm(t)).join(' | '),
  };
}

const tsquery = (text: string) => sql`to_tsquery(${CONFIG}, ${text})`;

type Row = { id: number; at: string; score: number | string | null };
/** Newest stories read by the walk's first query; each next one reads as many as are read, to five times that. */
const RECENT_BATCH = 200;
type Check = (s: RawBuilder<unknown>) => RawBuilder<unknown>;

export function postgresSearchIndex(db: Kysely<Database>): SearchIndex {
  /**
   * The newest visible stories, read as far as asked and kept for all bands of one search; a few
   * hundred at first, which PostgreSQL reads down the index (asked for a large share of a small
   * table at once, it reads the table whole and sorts it).
   */
  function recentStories(where: Expression<SqlBool>) {
    return newestStories(async (last, missing, have) => {
      const after = last ? sql`AND articles.published_at <= ${last.at} AND (articles.published_at, articles.id) < (${last.at}, ${last.id})` : sql``;
      const asked = Math.min(missing, Math.max(RECENT_BATCH, Math.min(have, 5 * RECENT_BATCH)));
      const { rows } = await sql<Story>`SELECT articles.id AS id, articles.published_at AS at FROM articles
        WHERE ${where} ${after} ORDER BY articles.published_at DESC, articles.id DESC LIMIT ${asked}`.execute(db);
      return { stories: rows.map((r) => ({ id: Number(r.id), at: r.at })), asked };
    });
  }

  /**
   * One band: the stories whose row `s` of article_search meets `match` (the band's words, what
   * the GIN indexes find) and `probes` (checked per story: excluded words, earlier bands), ranked
   * by `score` (lower is better) when given. The planner cannot tell a word in every story from
   * one in none, so each read says how to go: stories by id, or the index's matches capped.
   */
  function band(match: Check, probes: Check | undefined, score: Check | undefined, where: Expression<SqlBool>, recent: (n: number) => Promise<Story[]>): Band {
    const s = sql.raw('s');
    const rank = score ? score(s) : sql`0`;
    const rows = async (query: RawBuilder<Row>) => (await query.execute(db)).rows.map((r) => ({ id: Number(r.id), at: r.at, score: Number(r.score ?? 0) }));
    return {
      ranked: score !== undefined,
      recent,
      async rawCount(cap) {
        const { rows: counted } = await sql<{ n: string }>`SELECT count(*) AS n FROM (SELECT 1 FROM article_search s WHERE ${match(s)} LIMIT ${cap}) AS x`.execute(db);
        return Number(counted[0]?.n ?? 0);
      },
      async among(ids, scored) {
        if (ids.length === 0) return [];
        const found = await rows(sql<Row>`SELECT s.article_id AS id, '' AS at, ${scored ? rank : sql`0`} AS score FROM article_search s
          WHERE s.article_id = ANY(${ids}::integer[]) AND ${match(s)} ${probes ? sql`AND ${probes(s)}` : sql``}`);
        return found.map((r) => ({ id: r.id, score: r.score }));
      },
      matches: (cap, want, scored, from) => {
        // Reading on past `from`: the primary key walked in id order with the words checked per row,
        // stopped by the cap. Bounded when the words are common past `from`; when they are rare
        // there it reads on to the end of the table (the GIN index instead would read every match
        // of the words, seconds for a common one at a million stories). All of a band's few
        // matches (fewer than the cap, counted first) are fenced (OFFSET 0) so that they come from
        // the GIN index: with no estimate for the words PostgreSQL walked the newest stories
        // checking each, 240 ms at 100,000 stories for a word in no story at all.
        const ids = from
          ? sql`SELECT s.article_id FROM article_search s WHERE ${match(s)}
              AND s.article_id ${from.up ? sql`>` : sql`<`} ${from.id} ORDER BY s.article_id ${from.up ? sql`ASC` : sql`DESC`} LIMIT ${cap}`
          : sql`SELECT s.article_id FROM article_search s WHERE ${match(s)} OFFSET 0`;
        return rows(sql<Row>`SELECT articles.id AS id, articles.published_at AS at, ${scored ? rank : sql`0`} AS score
          FROM (${ids}) AS m JOIN articles ON articles.id = m.article_id
          ${scored || probes ? sql`JOIN article_search s ON s.article_id = m.article_id` : sql``}
          WHERE ${where} ${probes ? sql`AND ${probes(s)}` : sql``}
          ORDER BY articles.published_at DESC, articles.id DESC LIMIT ${want}`);
      },
    };
  }

  return {
    bands(query, filters, now) {
      const where: Expression<SqlBool> = visibleWhere(filters, now);
      const recent = recentStories(where);
      const q = tsQueries(query);
      const excluded = q.excluded;
      const notExcluded = excluded ? (s: RawBuilder<unknown>) => sql`NOT ${s}.document @@ ${tsquery(excluded)}` : undefined;
      const rank = (s: RawBuilder<unknown>) => sql`-ts_rank(${s}.head, ${tsquery(q.inHead)})`;
      return [
        band((s) => sql`${s}.head @@ ${tsquery(q.inHeadline)}`, notExcluded, rank, where, recent),
        // Counted and read by the words in headline and dek, the headline's checked story by story:
        // PostgreSQL cannot estimate "a and not b" and reads the whole table for it when b is a.
        band(
          (s) => sql`${s}.head @@ ${tsquery(q.inHead)}`,
          (s) => sql`NOT ${s}.head @@ ${tsquery(q.inHeadline)} ${notExcluded ? sql`AND ${notExcluded(s)}` : sql``}`,
          rank,
          where,
          recent,
        ),
        // Every other match, newest first: anywhere, not in headline and dek (the bands above).
        band(
          (s) => sql`${s}.document @@ ${tsquery(q.all)}`,
          (s) => sql`NOT ${s}.head @@ ${tsquery(q.inHead)} ${notExcluded ? sql`AND ${notExcluded(s)}` : sql``}`,
          undefined,
          where,
          recent,
        ),
      ];
    },

    async mark(query, articleIds) {
      const out = new Map<number, MarkedTexts>();
      if (articleIds.length === 0) return out;
      const whole = `StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`;
      const fragments = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=32, MinWords=16, MaxFragments=2, FragmentDelimiter=" … "`;
      const { rows } = await sql<{ id: number; headline: string; dek: string; body: string }>`
        SELECT articles.id AS id,
          ts_headline(${CONFIG}, articles.headline, q, ${whole}) AS headline,
          ts_headline(${CONFIG}, articles.dek, q, ${whole}) AS dek,
          ts_headline(${CONFIG}, regexp_replace(articles.body_html, '<[^>]*>', ' ', 'g'), q, ${fragments}) AS body
        FROM articles CROSS JOIN ${tsquery(tsQueries(query).marks)} AS q
        WHERE articles.id IN (${sql.join(articleIds)})`.execute(db);
      for (const r of rows) {
        // The body's tags are gone but its entities are not: decoded "&lt;script&gt;" would be taken
        // for a tag by ts_headline and dropped, so the segments decode them instead.
        out.set(Number(r.id), { headline: r.headline, dek: r.dek, body: r.body ? `… ${r.body} …` : '', bodyIsHtml: true });
      }
      return out;
    },
  };
}
