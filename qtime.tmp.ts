import { Kysely, SqliteDialect } from 'kysely';
import SQLite from 'better-sqlite3';
import { buildApp } from '/work/main/src/server.ts';
import { loadConfig } from '/work/main/src/config.ts';
const url = process.argv[2] ?? '/politics/no-talks-to-be-held-with-us-at-any-level-iran-leader';
const n = +(process.argv[3] ?? 50);
const database = new SQLite(process.env.DBF ?? '/tmp/prof/a.db'); if (!process.env.KEEP4) { database.prepare('delete from sqlite_stat4').run(); database.exec('analyze sqlite_schema'); }
const cache = new Map<string, SQLite.Statement>();
const stats = new Map<string, { n: number; ms: number }>();
let on = false;
function timed(sql: string, st: any) {
  const k = sql.slice(0, 160);
  const wrap = (fn: string) => (...a: any[]) => { const t = performance.now(); try { return st[fn](...a); } finally { if (on) { const x = stats.get(k) ?? { n: 0, ms: 0 }; x.n++; x.ms += performance.now() - t; stats.set(k, x); } } };
  return { reader: st.reader, all: wrap('all'), run: wrap('run'), iterate: wrap('iterate'), get: wrap('get') };
}
const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: { close: () => database.close(), prepare(sql: string) { let s = cache.get(sql); if (!s) { s = database.prepare(sql); cache.set(sql, s); } return timed(sql, s); } } }),
});
const config = loadConfig({ ...process.env, DATELINE_PAGE_CACHE: 'off', DATABASE_URL: 'sqlite:/tmp/prof/a.db' });
const app = await buildApp({ config, db: { kysely, dialect: 'sqlite', close: async () => {} } as any });
if (process.env.LISTEN) { await app.listen({ port: 3998, host: '127.0.0.1' }); on = true; process.on('SIGINT', () => { on = false; let q = 0; for (const [k, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) { q += s.ms; console.log(s.ms.toFixed(1).padStart(9), 'ms total', String(s.n).padStart(7), 'x ', k); } process.exit(0); }); await new Promise(() => {}); }
for (let i = 0; i < 20; i++) await app.inject(url);
on = true;
const t0 = performance.now();
for (let i = 0; i < n; i++) { const r = await app.inject(url); if (r.statusCode !== 200) throw new Error(String(r.statusCode)); }
const total = performance.now() - t0;
on = false;
let q = 0;
for (const [k, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms)) { q += s.ms; console.log((s.ms / n).toFixed(3).padStart(8), 'ms/req', (s.n / n).toFixed(1).padStart(5), 'x ', k); }
console.log('per request total', (total / n).toFixed(2), 'ms; in queries (incl. kysely exec)', (q / n).toFixed(2));
await app.close();
