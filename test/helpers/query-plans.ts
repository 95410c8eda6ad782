// Captures the SQL a request runs and asks the database how it would run it; then judges each
// plan: is every table that grows with the archive read through an index, and is the reading
// bounded? Used by test/perf/query-plans.test.ts (issue #6).
//
// THE RULE. Every read of a growing table (GROWING_TABLES) is one of:
//   key       an equality on all columns of a unique index (a primary key, a slug), or on a
//             column whose every value has few rows (BOUNDED_FANOUT: a story's bylines, tags,
//             events): a handful of rows, whatever the archive's size.
//   window    a range with a lower bound ("published since …", "expires after now"): the rows
//             of a span of time, which grows with the publishing rate, not with the archive.
//   fulltext  the full-text index (FTS5 MATCH, tsvector @@).
//   walk      anything else through an index: an equality on a column with few distinct values
//             (status = 'published', desk_id = ?, tag_id = ?), a range with only an upper bound
//             ("published before now"), a whole index in order. A walk is as long as the archive.
//   scan      no index at all: SQLite "SCAN t", PostgreSQL "Seq Scan" (sequential scans are
//             priced out with enable_seqscan = off, so one left means no index can serve it),
//             or an automatic index SQLite builds by reading the whole table.
// key, window and fulltext pass. scan fails. A walk passes only when a LIMIT stops it early:
//   - SQLite: the walk is in the statement's outermost query, the statement has a LIMIT and no
//     aggregate, the walk is the only one in that query, and no "USE TEMP B-TREE FOR ORDER BY /
//     GROUP BY" sorts what it finds first (a temp b-tree for the LAST TERM of an ORDER BY sorts
//     rows of equal leading terms only, so rows still stream out in order and the LIMIT works).
//     A walk in a subquery, an arm of a MULTI-INDEX OR or a correlated subquery fails.
//   - PostgreSQL: a Limit is above the walk, reached without crossing a SubPlan or the inner
//     side of a join. If PostgreSQL expects the Limit to stop early (it wants fewer rows than
//     come up to it), every node between must stream (joins from their outer side, Incremental
//     Sort, Memoize …; not a Sort, a Hash, a hashed or plain aggregate) and the walk must be an
//     index scan, not a bitmap (which reads its whole range first). If it expects to read the
//     whole walk, that is fine only when the walk keeps every row it reads (no filter, no join
//     on the way): then the whole range is smaller than the LIMIT; else a filter that keeps
//     almost nothing makes the LIMIT useless (a banner query when no banner is live).
//     One more pass: a table read whole to build a Hash Join's hash on one of its keys, which
//     PostgreSQL does only while that is cheaper than an index lookup per row.
// Full-text statements (with MATCH or @@) are exempt from "bounded", as issue #6 says, but not
// from "indexed": a scan fails there too. Tables in SMALL_TABLES pass whatever their plan; a
// table in neither list fails until it is classified.
//
// What no plan can show: a walk PostgreSQL rightly expects to stop early, whose filter in some
// unusual moment keeps nothing (no story in the last 48 hours for the news sitemap's probe).
import { AsyncLocalStorage } from 'node:async_hooks';
import { CompiledQuery, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import type { Db } from '../../src/db/connection.ts';

/**
 * Tables whose rows grow with the archive, or with time: every read of them is judged.
 * breaking_news keeps every banner ever set (a few a week, never deleted) and is read on every page.
 * legacy_redirects holds one row per imported story's old address. tags grow with the stories.
 */
export const GROWING_TABLES = new Set([
  'articles', 'article_bylines', 'article_tags', 'article_events', 'article_slugs', 'article_locks', 'article_search',
  'search_head', 'search_fts', 'revisions', 'audit_log', 'media', 'cache_changes', 'webhook_events', 'webhook_deliveries',
  'breaking_news', 'legacy_redirects', 'import_keys', 'tags', 'contact_messages', 'sessions',
]);

/**
 * Tables bounded by the newsroom's size, not its archive: read whole, they cost the same in the
 * tenth year as in the first. settings: a few keys. desks, desk_slugs, desk_editors: a dozen or
 * two sections. front_page: five slots. people: the staff (listed whole on /staff and in the
 * search form's author filter by design). static_pages: an "about" and the like. users,
 * api_tokens, webhooks, setup_tokens: accounts and integrations.
 */
export const SMALL_TABLES = new Set([
  'settings', 'desks', 'desk_slugs', 'desk_editors', 'front_page', 'people', 'static_pages', 'users', 'api_tokens', 'webhooks', 'setup_tokens',
]);

/** Columns with few rows per value: what one story has (its bylines, tags, events, revisions …). */
export const BOUNDED_FANOUT: Record<string, string[]> = {
  article_bylines: ['article_id'],
  article_tags: ['article_id'],
  article_events: ['article_id'],
  article_slugs: ['article_id'],
  revisions: ['article_id'],
  audit_log: ['article_id'],
  webhook_events: ['article_id'],
  legacy_redirects: ['article_id'],
};

// ---- Capturing ----

/** One statement as the database received it. */
export interface Statement {
  sql: string;
  parameters: readonly unknown[];
}

/**
 * Records every statement run inside `during`, with its real parameters. A plugin on the app's
 * own Kysely (not a second connection), so the statements run exactly as in production, on the
 * same connection settings; AsyncLocalStorage ties each to the request that ran it, so the
 * scheduler's and the page cache's background polling never land in a page's list.
 */
export class QueryCapture {
  readonly db: Db;
  private readonly current = new AsyncLocalStorage<Statement[]>();

  constructor(base: Db) {
    const executor = base.kysely.getExecutor();
    const current = this.current;
    // Kysely hands every query builder's node to plugins, subqueries built from the same
    // instance too; only a query that ran has a result, so a statement is recorded with it.
    const compiled = new Map<PluginTransformQueryArgs['queryId'], Statement>();
    const plugin: KyselyPlugin = {
      transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
        if (current.getStore()) {
          const { sql, parameters } = executor.compileQuery(node, queryId);
          compiled.set(queryId, { sql, parameters });
        }
        return node;
      },
      transformResult: async ({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => {
        const statement = compiled.get(queryId);
        compiled.delete(queryId);
        if (statement) current.getStore()?.push(statement);
        return result;
      },
    };
    this.db = { ...base, kysely: base.kysely.withPlugin(plugin) };
  }

  /** Runs `work`, returning what it returned and the statements it ran, in order. */
  async during<T>(work: () => Promise<T>): Promise<{ result: T; statements: Statement[] }> {
    const statements: Statement[] = [];
    // Awaited inside run(): app.inject answers a lazy thenable that starts the request only when
    // awaited, and a request started outside the store would record nothing.
    const result = await this.current.run(statements, async () => await work());
    return { result, statements };
  }
}

// ---- Judging ----

export type Access = 'key' | 'window' | 'fulltext' | 'walk' | 'scan';

/** A read of a growing table that breaks the rule. */
export interface Problem {
  table: string;
  access: Access;
  reason: string;
}

export interface Verdict {
  /** The plan as text, for messages. */
  plan: string;
  problems: Problem[];
}

/** Unique column sets per table, read from the database itself so they never drift. */
type UniqueKeys = Map<string, string[][]>;

export interface PlanChecker {
  check(statement: Statement): Promise<Verdict>;
}

export async function planChecker(db: Db): Promise<PlanChecker> {
  const keys = db.dialect === 'sqlite' ? await sqliteUniqueKeys(db) : await postgresUniqueKeys(db);
  return {
    async check(statement) {
      if (db.dialect === 'sqlite') {
        const rows = await explainSqlite(db, statement);
        return { plan: sqlitePlanText(rows), problems: judgeSqlite(rows, statement.sql, keys) };
      }
      const plan = await explainPostgres(db, statement);
      return { plan: postgresPlanText(plan), problems: judgePostgres(plan, statement.sql, keys) };
    },
  };
}

/** Whether the statement searches the full-text index (exempt from "bounded", not from "indexed"). */
export const isFullText = (sql: string): boolean => /\bMATCH\b|@@/i.test(sql);

/** Classifies an index constraint on `table`: equalities and bounds by column. */
function classify(table: string, terms: Term[], keys: UniqueKeys): Access {
  if (terms.some((t) => t.op === 'fulltext')) return 'fulltext';
  const equal = new Set(terms.filter((t) => t.op === 'eq').map((t) => t.column));
  const unique = keys.get(table) ?? [];
  if (unique.some((columns) => columns.every((c) => equal.has(c)))) return 'key';
  if ((BOUNDED_FANOUT[table] ?? []).some((c) => equal.has(c))) return 'key';
  if (terms.some((t) => t.op === 'lower')) return 'window';
  return 'walk';
}

interface Term {
  column: string;
  op: 'eq' | 'lower' | 'upper' | 'fulltext' | 'other';
}

// ---- SQL text ----

/** The statement's text at nesting depth 0 (subqueries and quoted strings blanked out). */
function topLevel(sql: string): string {
  let depth = 0;
  let quote: string | undefined;
  let out = '';
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = undefined;
      out += ' ';
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ' ';
    } else if (ch === '(') {
      depth++;
      out += ' ';
    } else if (ch === ')') {
      depth--;
      out += ' ';
    } else out += depth === 0 ? ch : ' ';
  }
  return out;
}

const hasLimit = (sql: string): boolean => /\blimit\b/i.test(topLevel(sql));

/** An aggregate in the outermost select list (count(*), max(…)): it reads every row it is given. */
function hasAggregate(sql: string): boolean {
  const selectList = /^\s*select\b([\s\S]*?)\bfrom\b/i.exec(sql)?.[1] ?? '';
  return /\b(count|max|min|sum|avg|group_concat|string_agg|array_agg)\s*\(/i.test(selectList);
}

// ---- SQLite ----

export interface SqlitePlanRow {
  id: number;
  parent: number;
  detail: string;
}

async function explainSqlite(db: Db, statement: Statement): Promise<SqlitePlanRow[]> {
  const { rows } = await db.kysely.executeQuery<SqlitePlanRow>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${statement.sql}`, [...statement.parameters]));
  return rows;
}

async function sqliteUniqueKeys(db: Db): Promise<UniqueKeys> {
  const { rows } = await db.kysely.executeQuery<{ tbl: string; idx: string; col: string }>(
    CompiledQuery.raw(`SELECT m.name AS tbl, il.name AS idx, ii.name AS col
      FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii
      WHERE m.type = 'table' AND il."unique" = 1`),
  );
  const keys = groupKeys(rows);
  // An INTEGER PRIMARY KEY is the rowid itself and has no index of its own.
  const { rows: ipk } = await db.kysely.executeQuery<{ tbl: string; col: string }>(
    CompiledQuery.raw(`SELECT m.name AS tbl, ti.name AS col FROM sqlite_master m JOIN pragma_table_info(m.name) ti
      WHERE m.type = 'table' AND ti.pk = 1 AND upper(ti.type) = 'INTEGER'`),
  );
  for (const { tbl, col } of ipk) keys.set(tbl, [...(keys.get(tbl) ?? []), [col], ['rowid']]);
  return keys;
}

function groupKeys(rows: Array<{ tbl: string; idx: string; col: string }>): UniqueKeys {
  const byIndex = new Map<string, { tbl: string; cols: string[] }>();
  for (const { tbl, idx, col } of rows) {
    const entry = byIndex.get(idx) ?? { tbl, cols: [] };
    entry.cols.push(col);
    byIndex.set(idx, entry);
  }
  const keys: UniqueKeys = new Map();
  for (const { tbl, cols } of byIndex.values()) keys.set(tbl, [...(keys.get(tbl) ?? []), cols]);
  return keys;
}

interface SqliteNode extends SqlitePlanRow {
  children: SqliteNode[];
}

function sqliteTree(rows: SqlitePlanRow[]): SqliteNode[] {
  const nodes = new Map<number, SqliteNode>(rows.map((r) => [r.id, { ...r, children: [] }]));
  const roots: SqliteNode[] = [];
  for (const node of nodes.values()) (nodes.get(node.parent)?.children ?? roots).push(node);
  return roots;
}

export function sqlitePlanText(rows: SqlitePlanRow[]): string {
  const lines: string[] = [];
  const walk = (nodes: SqliteNode[], depth: number) => {
    for (const n of nodes) {
      lines.push(`${'  '.repeat(depth)}${n.detail}`);
      walk(n.children, depth + 1);
    }
  };
  walk(sqliteTree(rows), 0);
  return lines.join('\n');
}

/** What runs the block: the outermost query, once (a subquery, a co-routine), or once per outer row. */
type BlockRun = 'top' | 'once' | 'per-row';

interface SqliteLoop {
  /** As the plan names it: a table, an alias, or a co-routine (a subquery's rows). */
  name: string;
  table: string;
  access: Access;
  detail: string;
}

const LOOP = /^(SCAN|SEARCH) (\S+)(?: (.*))?$/;

/** A SCAN/SEARCH line as a loop over a table, its name resolved through the statement's aliases. */
function sqliteLoop(detail: string, sql: string, keys: UniqueKeys): SqliteLoop | undefined {
  const m = LOOP.exec(detail);
  // A row of constants, or a VALUES list ("SCAN 28 CONSTANT ROWS"): no table is read.
  if (!m || /^SCAN (\d+ )?CONSTANT ROWS?$/.test(detail)) return undefined;
  const [, verb, name = '', rest = ''] = m;
  const table = resolveAlias(name, sql);
  return { name, table, access: sqliteAccess(verb === 'SCAN', table, rest, keys), detail };
}

function sqliteAccess(isScan: boolean, table: string, rest: string, keys: UniqueKeys): Access {
  const virtual = /VIRTUAL TABLE INDEX \d+:(\S*)/.exec(rest);
  // FTS5's index string: M for MATCH, = for a rowid lookup; neither means reading it all.
  if (virtual) return virtual[1]!.includes('M') ? 'fulltext' : virtual[1]!.includes('=') ? 'key' : 'scan';
  if (/AUTOMATIC/.test(rest)) return 'scan';
  if (isScan) return /USING (COVERING )?INDEX/.test(rest) ? 'walk' : 'scan';
  if (/FOR IN-OPERATOR/.test(rest)) return 'key';
  const constraint = rest.includes('(') ? rest.slice(rest.indexOf('(') + 1, rest.lastIndexOf(')')) : '';
  return classify(table, sqliteTerms(constraint), keys);
}

/** "status=? AND published_at>? AND published_at<?" → terms. */
function sqliteTerms(constraint: string): Term[] {
  return constraint
    .split(' AND ')
    .map((part) => /^(\w+)(=|>|<)/.exec(part.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ column: m[1]!, op: m[2] === '=' ? 'eq' : m[2] === '>' ? 'lower' : 'upper' }));
}

/** "articles", or the table an alias stands for ("from article_search s", "articles as a"). */
function resolveAlias(name: string, sql: string): string {
  if (GROWING_TABLES.has(name) || SMALL_TABLES.has(name)) return name;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`"?(\\w+)"?\\s+(?:as\\s+)?"?${escaped}"?(?=[\\s,)]|$)`, 'i').exec(sql);
  return m?.[1] ?? name;
}

/**
 * The text of the subquery named `name` ("(select …) as "name""), when exactly one is: what a
 * co-routine of that name runs. Undefined for a CTE or an ambiguous name.
 */
export function subquerySql(name: string, sql: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const ends = [...sql.matchAll(new RegExp(`\\)\\s+(?:as\\s+)?"?${escaped}"?(?=[\\s,)]|$)`, 'gi'))];
  if (ends.length !== 1) return undefined;
  const close = ends[0]!.index!;
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    if (sql[i] === ')') depth++;
    else if (sql[i] === '(' && --depth === 0) return sql.slice(i + 1, close);
  }
  return undefined;
}

function judgeSqlite(rows: SqlitePlanRow[], sql: string, keys: UniqueKeys): Problem[] {
  const roots = sqliteTree(rows);
  // Co-routines and materialized subqueries have names; reading their rows reads no table (a
  // subquery named like a table, "(…) AS articles", hides a scan of that table: none does so).
  const subqueries = new Set(rows.map((r) => /^(?:CO-ROUTINE|MATERIALIZE) (\S+)/.exec(r.detail)?.[1]).filter((n): n is string => !!n));
  const problems: Problem[] = [];
  const visit = (block: SqliteNode[], run: BlockRun, blockSql: string) => {
    problems.push(...judgeSqliteBlock(block, run, blockSql, keys, subqueries));
    for (const node of block) {
      if (node.children.length === 0) continue;
      // A named subquery ("(select … limit ?) as t0") is judged as a statement of its own: its
      // LIMIT stops its walk as a statement's would.
      const named = /^(?:CO-ROUTINE|MATERIALIZE) (\S+)/.exec(node.detail)?.[1];
      const own = named ? subquerySql(named, sql) : undefined;
      if (own) {
        visit(node.children, 'top', own);
        continue;
      }
      const childRun: BlockRun = /^CORRELATED/.test(node.detail) ? 'per-row' : /^(INDEX \d+|MULTI-INDEX OR)/.test(node.detail) ? run : 'once';
      // The lookups of a MULTI-INDEX OR each collect their rows before any is used.
      visit(node.children, /^MULTI-INDEX OR/.test(node.detail) ? 'once' : childRun, blockSql);
    }
  };
  visit(roots, 'top', sql);
  return problems;
}

/** The loops of one query block (siblings in the plan), judged together. */
function judgeSqliteBlock(block: SqliteNode[], run: BlockRun, sql: string, keys: UniqueKeys, subqueries: Set<string>): Problem[] {
  const loops = block
    .map((n) => sqliteLoop(n.detail, sql, keys))
    .filter((l): l is SqliteLoop => l !== undefined && !subqueries.has(l.name) && !SMALL_TABLES.has(l.table));
  const walks = loops.filter((l) => l.access === 'walk').length;
  const sort = block.find((n) => /^USE TEMP B-TREE FOR (ORDER BY|GROUP BY)/.test(n.detail))?.detail;
  const problems: Problem[] = [];
  for (const { table, access, detail } of loops) {
    if (!GROWING_TABLES.has(table)) {
      problems.push({ table, access, reason: `"${table}" is in neither GROWING_TABLES nor SMALL_TABLES: classify it` });
    } else if (access === 'scan') {
      problems.push({ table, access, reason: `reads every row of ${table}: no index serves "${detail}"` });
    } else if (access === 'walk' && !isFullText(sql)) {
      const why = unboundedSqliteWalk(run, sql, walks, sort);
      if (why) problems.push({ table, access, reason: `${detail}: ${why}` });
    }
  }
  return problems;
}

/** Why a walk is not stopped early by a LIMIT, or undefined when it is. */
function unboundedSqliteWalk(run: BlockRun, sql: string, walksInBlock: number, sort: string | undefined): string | undefined {
  if (run === 'per-row') return 'walks the index once per row of an outer query';
  if (run === 'once') return 'walks the index to its end (a subquery, or one arm of an OR) before any row is used';
  if (!hasLimit(sql)) return 'no LIMIT stops the walk: it reads the whole index range';
  if (hasAggregate(sql)) return 'an aggregate reads every row of the walk before the LIMIT applies';
  if (sort) return `${sort}: every row the walk finds is sorted before the LIMIT applies`;
  if (walksInBlock > 1) return 'a second walk in the same query runs once per row of the first';
  return undefined;
}

// ---- PostgreSQL ----

export interface PgNode {
  'Node Type': string;
  'Relation Name'?: string;
  Alias?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  Filter?: string;
  'Hash Cond'?: string;
  'Parent Relationship'?: string;
  'Subplan Name'?: string;
  'Plan Rows': number;
  Strategy?: string;
  'Scan Direction'?: string;
  'Sort Key'?: string[];
  Plans?: PgNode[];
}

async function explainPostgres(db: Db, statement: Statement): Promise<PgNode> {
  return db.kysely.transaction().execute(async (trx) => {
    // With sequential scans priced out, a Seq Scan left in the plan means no index can serve it
    // (with it on, the test's small tables would rightly be read whole). LOCAL: ends with the
    // transaction, so the pooled connection goes back as it came.
    await trx.executeQuery(CompiledQuery.raw('SET LOCAL enable_seqscan = off'));
    const { rows } = await trx.executeQuery<{ 'QUERY PLAN': Array<{ Plan: PgNode }> }>(
      CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${statement.sql}`, [...statement.parameters]),
    );
    const plan = rows[0]?.['QUERY PLAN'][0]?.Plan;
    if (!plan) throw new Error(`No plan for ${statement.sql}`);
    return plan;
  });
}

async function postgresUniqueKeys(db: Db): Promise<UniqueKeys> {
  const { rows } = await db.kysely.executeQuery<{ tbl: string; idx: string; col: string }>(
    CompiledQuery.raw(`SELECT t.relname AS tbl, i.relname AS idx, a.attname AS col
      FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_class t ON t.oid = x.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY (x.indkey)
      WHERE x.indisunique AND n.nspname = current_schema()`),
  );
  return groupKeys(rows);
}

const pgLabel = (n: PgNode): string =>
  [
    n['Node Type'] + (n['Scan Direction'] === 'Backward' ? ' Backward' : ''),
    n['Relation Name'] && `on ${n['Relation Name']}`,
    n['Index Name'] && `using ${n['Index Name']}`,
    n['Index Cond'] && `Index Cond: ${n['Index Cond']}`,
    n['Recheck Cond'] && !n['Index Cond'] && `Recheck Cond: ${n['Recheck Cond']}`,
    n.Filter && `Filter: ${n.Filter}`,
    n['Sort Key'] && `Sort Key: ${n['Sort Key'].join(', ')}`,
    n.Strategy && `(${n.Strategy})`,
    n['Subplan Name'] && `[${n['Subplan Name']}]`,
    `rows=${n['Plan Rows']}`,
  ]
    .filter(Boolean)
    .join(' ');

export function postgresPlanText(plan: PgNode): string {
  const lines: string[] = [];
  const walk = (n: PgNode, depth: number) => {
    lines.push(`${'  '.repeat(depth)}${pgLabel(n)}`);
    for (const child of n.Plans ?? []) walk(child, depth + 1);
  };
  walk(plan, 0);
  return lines.join('\n');
}

/** "((status = 'published'::text) AND (published_at <= $2))" → terms. */
function postgresTerms(cond: string | undefined): Term[] {
  if (!cond) return [];
  return splitAnd(cond).map((part) => {
    const m = /^\(*"?(?:\w+"?\.)?"?(\w+)"?\)?(?:::[\w ]+)?\s*(@@|>=|<=|<>|=|>|<|IS NULL)/i.exec(part.trim());
    const op = m?.[2]?.toUpperCase();
    const kind: Term['op'] = op === '@@' ? 'fulltext' : op === '=' || op === 'IS NULL' ? 'eq' : op === '>' || op === '>=' ? 'lower' : op === '<' || op === '<=' ? 'upper' : 'other';
    return { column: m?.[1] ?? '', op: kind };
  });
}

/** The top-level AND terms of a condition, outer parentheses removed; quoted text respected. */
function splitAnd(cond: string): string[] {
  let text = cond.trim();
  while (text.startsWith('(') && closingParen(text, 0) === text.length - 1) text = text.slice(1, -1).trim();
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quoted = !quoted;
    if (quoted) continue;
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth === 0 && text.startsWith(' AND ', i)) {
      parts.push(text.slice(start, i));
      start = i + 5;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function closingParen(text: string, open: number): number {
  let depth = 0;
  let quoted = false;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quoted = !quoted;
    if (quoted) continue;
    if (ch === '(') depth++;
    if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

/** How a plan node reads its table; bitmap scans take the index conditions beneath them. */
function postgresAccess(node: PgNode, table: string, keys: UniqueKeys): Access {
  const type = node['Node Type'];
  if (type === 'Seq Scan') return 'scan';
  if (type === 'Bitmap Heap Scan') return bitmapAccess(node.Plans?.[0], table, keys);
  if (!node['Index Cond']) return 'walk';
  return classify(table, postgresTerms(node['Index Cond']), keys);
}

const RANK: Record<Access, number> = { key: 0, window: 1, fulltext: 2, walk: 3, scan: 4 };

function bitmapAccess(node: PgNode | undefined, table: string, keys: UniqueKeys): Access {
  if (!node) return 'scan';
  const members = (node.Plans ?? []).map((child) => bitmapAccess(child, table, keys));
  // Rows in any member of an OR, in every member of an AND: the worst bounds the first, the best the second.
  if (node['Node Type'] === 'BitmapOr') return members.reduce((a, b) => (RANK[a] >= RANK[b] ? a : b));
  if (node['Node Type'] === 'BitmapAnd') return members.reduce((a, b) => (RANK[a] <= RANK[b] ? a : b));
  return node['Index Cond'] ? classify(table, postgresTerms(node['Index Cond']), keys) : 'walk';
}

/** Nodes that pass rows up as they get them, so a Limit above them stops the walk below. */
const STREAMING = new Set(['Nested Loop', 'Hash Join', 'Merge Join', 'Incremental Sort', 'Result', 'Subquery Scan', 'Unique', 'Append', 'Merge Append', 'Gather', 'Gather Merge', 'Memoize', 'ProjectSet']);
const JOINS = new Set(['Nested Loop', 'Hash Join', 'Merge Join']);

function judgePostgres(plan: PgNode, sql: string, keys: UniqueKeys): Problem[] {
  const problems: Problem[] = [];
  const fullText = isFullText(sql);
  const visit = (node: PgNode, path: PgNode[]) => {
    const table = node['Relation Name'];
    if (table && !SMALL_TABLES.has(table) && node['Node Type'] !== 'Function Scan') {
      const access = postgresAccess(node, table, keys);
      const label = pgLabel(node);
      if (!GROWING_TABLES.has(table)) problems.push({ table, access, reason: `"${table}" is in neither GROWING_TABLES nor SMALL_TABLES: classify it` });
      else if (access === 'scan') problems.push({ table, access, reason: `reads every row of ${table}: no index serves it (${label})` });
      else if (access === 'walk' && !fullText && !hashedByKey(node, path, keys)) {
        const why = unboundedPostgresWalk(node, path);
        if (why) problems.push({ table, access, reason: `${label}: ${why}` });
      }
    }
    for (const child of node.Plans ?? []) visit(child, [...path, node]);
  };
  visit(plan, []);
  return problems;
}

/**
 * A table read whole to build the hash of a Hash Join on one of its keys (tags by id, for the
 * tags of fifty stories). PostgreSQL hashes it while that costs less than a lookup per row, and
 * turns to those lookups, which the key's index serves, as the table grows: bounded either way.
 */
function hashedByKey(walk: PgNode, path: PgNode[], keys: UniqueKeys): boolean {
  const [join, hash] = path.slice(-2);
  if (hash?.['Node Type'] !== 'Hash' || join?.['Node Type'] !== 'Hash Join' || !join['Hash Cond']) return false;
  const table = walk['Relation Name'] ?? '';
  const alias = walk.Alias ?? table;
  const columns = splitAnd(join['Hash Cond'])
    .flatMap((term) => term.replace(/[()]/g, '').split('='))
    .map((side) => /^\s*"?(\w+)"?\."?(\w+)"?/.exec(side))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === alias)
    .map((m) => ({ column: m[2]!, op: 'eq' as const }));
  return columns.length > 0 && classify(table, columns, keys) === 'key';
}

/** Why a walk is not stopped early by a Limit, or undefined when it is. */
function unboundedPostgresWalk(walk: PgNode, path: PgNode[]): string | undefined {
  const above = limitAbove(walk, path);
  if (typeof above === 'string') return above;
  const { limit, below, between } = above;
  if (limit['Plan Rows'] >= below['Plan Rows']) {
    // PostgreSQL expects to read the whole walk. Fine when the walk yields every row it reads
    // and they are fewer than the Limit takes; not when a filter or a join throws most away.
    const rejects = walk.Filter !== undefined || between.some((n) => JOINS.has(n['Node Type']));
    return rejects ? `PostgreSQL expects to read the whole walk to find the Limit's ${limit['Plan Rows']} rows: its filter or join keeps too few` : undefined;
  }
  if (walk['Node Type'] === 'Bitmap Heap Scan') return 'a bitmap scan reads its whole index range before returning a row';
  const blocking = between.find((n) => !(STREAMING.has(n['Node Type']) || (n['Node Type'] === 'Aggregate' && n.Strategy === 'Sorted')));
  return blocking && `${pgLabel(blocking)} reads every row of the walk before the Limit applies`;
}

/**
 * The Limit above a walk, its child on the way, and the nodes between; or why there is none
 * that can stop it (none at all, a SubPlan run per outer row, the inner side of a join).
 */
function limitAbove(walk: PgNode, path: PgNode[]): { limit: PgNode; below: PgNode; between: PgNode[] } | string {
  const between: PgNode[] = [];
  let child = walk;
  for (let i = path.length - 1; i >= 0; i--) {
    const parent = path[i]!;
    const relation = child['Parent Relationship'];
    if (relation === 'SubPlan') return 'a SubPlan walks the index once per row of the outer query';
    if (relation === 'InitPlan') return 'an InitPlan walks the index to its end';
    if (parent['Node Type'] === 'Limit') return { limit: parent, below: child, between };
    if (JOINS.has(parent['Node Type']) && relation !== 'Outer') return `the walk is the inner side of a ${parent['Node Type']}: it is read in full for the join`;
    between.push(parent);
    child = parent;
  }
  return 'no Limit stops the walk: it reads the whole index range';
}
