// Opens the database named by a URL: an embedded SQLite file (default) or PostgreSQL.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, sql, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { Database } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** PostgreSQL schema named by the URL's `schema` parameter, if any. */
  schema?: string;
  close(): Promise<void>;
}

/** "sqlite:./data/x.db", "sqlite:/abs/x.db" or "sqlite::memory:" → a file path or ":memory:". */
export function sqlitePath(url: string): string {
  const rest = url.replace(/^sqlite:(\/\/)?/, '');
  if (rest === ':memory:' || rest === '') return ':memory:';
  return resolve(rest);
}

export function openDatabase(url: string): Db {
  return url.startsWith('sqlite:') ? openSqlite(url) : openPostgres(url);
}

function openSqlite(url: string): Db {
  const path = sqlitePath(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SQLite(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // Lets SQLite refresh the statistics its planner relies on, cheaply, as its manual advises on open.
  database.pragma('optimize = 0x10002');
  withoutValueStatistics(database);
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(database) }) });
  return { kysely, dialect: 'sqlite', close: () => kysely.destroy() };
}

/**
 * better-sqlite3's SQLite is built with STAT4, whose per-value samples (sqlite_stat4, written by
 * ANALYZE and optimize) make SQLite prepare a statement again whenever the values bound to it
 * change, so that the plan may follow the values: every query, since ours are reused with new
 * parameters. Our queries' plans do not depend on the values (measured on 100,000 stories:
 * listings and byline lookups 2–5 times slower with the samples, the same plans without), so
 * the samples are dropped and the planner keeps sqlite_stat1's averages.
 */
function withoutValueStatistics(database: SQLite.Database): void {
  const stat4 = database.prepare("select 1 from sqlite_schema where type = 'table' and name = 'sqlite_stat4'").get();
  if (!stat4) return;
  const { changes } = database.prepare('delete from sqlite_stat4').run();
  // Reloads the statistics the planner holds in memory.
  if (changes > 0) database.exec('analyze sqlite_schema');
}

/**
 * For a process about to write in bulk (the importers). SQLite copies the WAL into the database
 * at the first commit past wal_autocheckpoint pages, 1,000 (4 MB) by default: an import batch of
 * 500 stories writes more than that, so every commit paid a checkpoint, with its two fsyncs and
 * another copy of the index pages every batch rewrites. 10,000 pages checkpoints every eight batches
 * or so, which took about a third off the commit time of a 100,000-story import. Crash safety is
 * unchanged (the same WAL, the same synchronous setting); the WAL may grow to about 40 MB.
 * PostgreSQL has nothing to set.
 */
export async function prepareForBulkWrites(db: Db): Promise<void> {
  if (db.dialect === 'sqlite') await sql`PRAGMA wal_autocheckpoint = 10000`.execute(db.kysely);
}

/**
 * better-sqlite3 frees a prepared statement's native memory only when the garbage collector
 * finalizes its small JS object, which a quiet heap may not do for a long time: preparing every
 * query anew grew a serving process past 1.5 GB under load. Reusing statements by SQL text (the
 * most recent few hundred) bounds that memory and saves the preparing. Safe because Kysely runs
 * one query at a time on the connection.
 */
function reusingStatements(database: SQLite.Database, size = 500): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement) statements.delete(sql);
      else statement = database.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > size) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}

/**
 * A `schema` query parameter (not part of libpq's URL) selects the search_path; tests use it
 * to give every test file a schema of its own in one database.
 */
function openPostgres(url: string): Db {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema !== null && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid schema name in DATABASE_URL: ${schema}`);
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, dialect: 'postgres', ...(schema ? { schema } : {}), close: () => kysely.destroy() };
}
