// Search on PostgreSQL with weighted tsvectors (table, trigger and GIN indexes: migration
// 2026-11-28T0845-search). The same bands as on SQLite: all words in the headline (weight A),
// then in headline and dek (A, B), both by ts_rank on the small `head` vector; then every other
// match, newest first. ts_headline, the costly part, runs only for the page shown.
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../db/schema.ts';
import { visibleWhere } from './filters.ts';
import { MARK_END, MARK_START } from './highlight.ts';
import type { ParsedQuery, SearchTerm } from './query.ts';
import type { MarkedTexts, SearchIndex, Tier } from './types.ts';

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
    /** Every word anywhere, none of the excluded ones. */
    anywhere: excluded ? `(${all()}) & !(${excluded})` : all(),
    excluded,
    /** Any included word, to mark them. */
    marks: query.include.map((t) => tsTerm(t)).join(' | '),
  };
}

const tsquery = (text: string) => sql`to_tsquery(${CONFIG}, ${text})`;

type Ids = { id: number };

export function postgresSearchIndex(db: Kysely<Database>): SearchIndex {
  const ids = async (query: RawBuilder<Ids>) => (await query.execute(db)).rows.map((r) => Number(r.id));
  const count = async (query: RawBuilder<{ n: string | number }>) => Number((await query.execute(db)).rows[0]?.n ?? 0);

  function tier(from: RawBuilder<unknown>, order: RawBuilder<unknown>): Tier {
    return {
      fetch: (limit, offset) =>
        ids(sql<Ids>`SELECT articles.id AS id ${from} ORDER BY ${order}, articles.published_at DESC, articles.id DESC LIMIT ${limit} OFFSET ${offset}`),
      count: () => count(sql<{ n: string }>`SELECT count(*) AS n ${from}`),
    };
  }

  /**
   * Every other match, newest first. The planner cannot tell a word in every story from one in
   * none, so the query says how: first the newest public stories, a few pages deep, each checked;
   * only when those hold too few matches, the matches from the index, sorted by date.
   */
  function restTier(match: RawBuilder<unknown>, where: Expression<SqlBool>): Tier {
    const fromMatches = sql`FROM (SELECT s.article_id FROM article_search s WHERE ${match} OFFSET 0) AS m
      JOIN articles ON articles.id = m.article_id WHERE ${where}`;
    return {
      async fetch(limit, offset) {
        const window = Math.min(4 * (offset + limit) + 100, 20_000);
        const walked = await ids(sql<Ids>`SELECT w.id AS id FROM (
            SELECT articles.id, articles.published_at FROM articles WHERE ${where}
            ORDER BY articles.published_at DESC, articles.id DESC LIMIT ${window}
          ) AS w JOIN article_search s ON s.article_id = w.id WHERE ${match}
          ORDER BY w.published_at DESC, w.id DESC LIMIT ${limit} OFFSET ${offset}`);
        if (walked.length === limit) return walked;
        return ids(sql<Ids>`SELECT articles.id AS id ${fromMatches}
          ORDER BY articles.published_at DESC, articles.id DESC LIMIT ${limit} OFFSET ${offset}`);
      },
      count: () => count(sql<{ n: string }>`SELECT count(*) AS n ${fromMatches}`),
    };
  }

  return {
    tiers(query, filters, now) {
      const where: Expression<SqlBool> = visibleWhere(filters, now);
      const q = tsQueries(query);
      const notExcluded = q.excluded ? sql`AND NOT s.document @@ ${tsquery(q.excluded)}` : sql``;
      const from = (match: RawBuilder<unknown>) =>
        sql`FROM article_search s JOIN articles ON articles.id = s.article_id WHERE ${match} AND ${where} ${notExcluded}`;
      const rank = sql`ts_rank(s.head, ${tsquery(q.inHead)}) DESC`;
      return [
        tier(from(sql`s.head @@ ${tsquery(q.inHeadline)}`), rank),
        tier(from(sql`s.head @@ ${tsquery(q.inHead)} AND NOT s.head @@ ${tsquery(q.inHeadline)}`), rank),
        restTier(sql`s.document @@ ${tsquery(q.anywhere)} AND NOT s.head @@ ${tsquery(q.inHead)} ${notExcluded}`, where),
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
