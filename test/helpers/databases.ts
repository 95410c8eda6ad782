// Every database test runs on a real SQLite file in a temp dir and, when TEST_DATABASE_URL is
// set, on a fresh schema of the real PostgreSQL too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'node:test';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  url: string;
  /** Opens a migrated, empty database of this kind; close it (and drop it) with `dispose`. */
  create(): Promise<{ db: Db; url: string; dispose(): Promise<void> }>;
}

const pgUrl = process.env.TEST_DATABASE_URL;
let warned = false;

function sqlite(): TestDatabase {
  return {
    name: 'sqlite',
    url: 'sqlite',
    async create() {
      const dir = mkdtempSync(join(tmpdir(), 'dateline-test-'));
      const url = `sqlite:${join(dir, 'test.db')}`;
      const db = openDatabase(url);
      await migrateToLatest(db);
      return {
        db,
        url,
        async dispose() {
          await db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

function postgres(base: string): TestDatabase {
  return {
    name: 'postgres',
    url: base,
    async create() {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      const url = `${base}${base.includes('?') ? '&' : '?'}schema=${schema}`;
      const db = openDatabase(url);
      await migrateToLatest(db);
      return {
        db,
        url,
        async dispose() {
          await db.close();
          const client = new pg.Client({ connectionString: base });
          await client.connect();
          await client.query(`DROP SCHEMA ${schema} CASCADE`);
          await client.end();
        },
      };
    },
  };
}

export function testDatabases(): TestDatabase[] {
  if (!pgUrl && !warned) {
    warned = true;
    console.log('# TEST_DATABASE_URL is not set: the PostgreSQL half of the suite is skipped.');
  }
  return pgUrl ? [sqlite(), postgres(pgUrl)] : [sqlite()];
}

/** Runs `body` once per database kind, inside a describe named after it. */
export function eachDatabase(title: string, body: (kind: TestDatabase) => void): void {
  for (const kind of testDatabases()) {
    describe(`${title} [${kind.name}]`, () => body(kind));
  }
}
