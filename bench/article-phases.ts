// Where an uncached article request spends its time: the whole request through Fastify (page
// cache off) and each part of it alone, in CPU µs per call (a busy machine inflates CPU time less
// than wall time), on the suite's cached database. The profile behind bench/RESULTS.md's
// "what stands in the way" of the uncached-article target.
//   node --import tsx bench/article-phases.ts --stories 100000
//   node --import tsx bench/article-phases.ts --database /tmp/other.db   (a copy is measured, never the file)
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connection.ts';
import { findForReader, listPublic, listRelated } from '../src/newsroom/articles/repository.ts';
import { findPublishedPage, resolveRedirect } from '../src/newsroom/legacy/repository.ts';
import { buildApp } from '../src/server.ts';
import { loadChrome } from '../src/site/chrome.ts';
import { renderHtml } from '../src/site/render.ts';
import { ArticlePage } from '../src/site/views/article.tsx';
import { CACHE, REFERENCE_PATH } from './lib/paths.ts';

const { values } = parseArgs({
  options: { stories: { type: 'string', default: '100000' }, iterations: { type: 'string', default: '2000' }, database: { type: 'string' } },
});
const source = values.database ?? join(CACHE, values.stories!, 'dateline.db');
if (!existsSync(source)) {
  process.stderr.write(`article-phases: ${source} not found; run npm run bench -- --stories ${values.stories} first\n`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'dateline-phases-'));
const file = join(dir, 'dateline.db');
copyFileSync(source, file);
const url = `sqlite:${file}`;
const db = openDatabase(url);
const config = loadConfig({ DATABASE_URL: url, DATELINE_PAGE_CACHE: 'off', LOG_LEVEL: 'silent' });
const app = await buildApp({ config, db });
const k = db.kysely;
const n = Number(values.iterations);
const slug = REFERENCE_PATH.split('/')[2]!;

/** CPU µs per call of `fn`, after a warm-up of a tenth as many calls. */
async function cpu(fn: () => unknown): Promise<number> {
  for (let i = 0; i < n / 10; i++) await fn();
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

const found = await findForReader(k, slug);
if (found.kind !== 'found') throw new Error(`the reference story is not there (${found.kind})`);
const article = found.article;
const chrome = await loadChrome(k, config);
const recent = (await listPublic(k, { limit: 6, excludeIds: [article.id] })).items;
const related = await listRelated(k, article, 4, [article.id, ...recent.map((s) => s.id)]);
const raw = new SQLite(file, { readonly: true });
const rawSlug = raw.prepare('select id, status from articles where slug = ?');

const rows: Array<[string, number]> = [];
const measure = async (name: string, fn: () => unknown) => rows.push([name, await cpu(fn)]);
await measure('whole request (app.inject, page cache off)', async () => {
  const res = await app.inject(REFERENCE_PATH);
  if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
});
await measure('  legacy addresses (static page, redirect)', () => Promise.all([findPublishedPage(k, REFERENCE_PATH), resolveRedirect(k, REFERENCE_PATH)]));
await measure('  the story (findForReader: 5 queries)', () => findForReader(k, slug));
await measure('  frame (loadChrome: 3 queries)', () => loadChrome(k, config));
await measure('  Recent Posts (listPublic: 2 queries)', () => listPublic(k, { limit: 6, excludeIds: [article.id] }));
await measure('  related stories (3 queries)', () => listRelated(k, article, 4, [article.id, ...recent.map((s) => s.id)]));
await measure('  render (preact-render-to-string)', () => renderHtml(ArticlePage({ chrome, data: { article, recent, related } })));
await measure('a trivial route through Fastify (/health: 1 query)', () => app.inject('/health'));
await measure('one indexed lookup through Kysely', () => k.selectFrom('articles').select(['id', 'status']).where('slug', '=', slug).executeTakeFirst());
await measure('the same, a prepared better-sqlite3 statement', () => rawSlug.get(slug));

console.log(`CPU µs per call, ${n} calls each, ${values.stories} stories:`);
for (const [name, us] of rows) console.log(`${name.padEnd(52)} ${us.toFixed(0).padStart(6)}`);
raw.close();
await app.close();
rmSync(dir, { recursive: true, force: true });
