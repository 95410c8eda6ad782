// SQLite keeps sqlite_stat1's averages but not STAT4's per-value samples, which would make it
// prepare every reused statement again each time its parameters change (src/db/connection.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { sql } from 'kysely';

test('opening a SQLite database drops the value samples and keeps the averages', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-stat4-'));
  const file = join(dir, 'x.db');
  try {
    const first = openDatabase(`sqlite:${file}`);
    await migrateToLatest(first);
    await first.close();
    const raw = new SQLite(file);
    const insert = raw.prepare("insert into tags (slug, name) values (?, ?)");
    raw.transaction(() => {
      for (let i = 0; i < 500; i++) insert.run(`tag-${i}`, `Tag ${i}`);
    })();
    raw.exec('analyze');
    const samples = (raw.prepare('select count(*) as n from sqlite_stat4').get() as { n: number }).n;
    raw.close();
    assert.ok(samples > 0, 'ANALYZE wrote STAT4 samples (the build has STAT4)');

    const db = openDatabase(`sqlite:${file}`);
    const after = await sql<{ n: number }>`select count(*) as n from sqlite_stat4`.execute(db.kysely);
    const averages = await sql<{ n: number }>`select count(*) as n from sqlite_stat1 where tbl = 'tags'`.execute(db.kysely);
    await db.close();
    assert.equal(after.rows[0]!.n, 0);
    assert.ok(averages.rows[0]!.n > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
