// Search latency straight through search() (src/search), without HTTP: the measurement behind
// bench/RESULTS.md's search table, as a script. For each kind of query it runs --queries queries
// built from the corpus's most common words (stop words left out) and reports wall-clock p50/p99
// and the process's CPU time p99 (which a busy machine inflates less than wall time).
//   node --import tsx bench/search-latency.ts --stories 100000        (the suite's cached corpus)
//   node --import tsx bench/search-latency.ts --database sqlite:/tmp/x.db --corpus /tmp/c.jsonl
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/connection.ts';
import { search } from '../src/search/index.ts';
import { STOP_WORDS } from '../src/search/query.ts';
import { CACHE } from './lib/paths.ts';

function options() {
  try {
    return parseArgs({ options: OPTIONS }).values;
  } catch (error) {
    process.stderr.write(`search-latency: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
const OPTIONS = {
  stories: { type: 'string', default: '100000' },
  database: { type: 'string' },
  corpus: { type: 'string' },
  queries: { type: 'string', default: '200' },
  words: { type: 'string', default: '40' },
} as const;
const values = options();
const dir = join(CACHE, values.stories);
const databaseUrl = values.database ?? `sqlite:${join(dir, 'dateline.db')}`;
const corpus = values.corpus ?? join(dir, 'corpus.jsonl');
for (const file of [corpus, ...(databaseUrl.startsWith('sqlite:') ? [databaseUrl.slice(7)] : [])]) {
  if (!existsSync(file)) {
    process.stderr.write(`search-latency: ${file} not found; run npm run bench -- --stories ${values.stories} first, or pass --database and --corpus\n`);
    process.exit(1);
  }
}

/** The most common words of the corpus's bodies, stop words and short words left out. */
async function commonWords(file: string, count: number): Promise<string[]> {
  const counts = new Map<string, number>();
  let lines = 0;
  // The first 5,000 stories are enough to rank words drawn from one vocabulary.
  for await (const line of createInterface({ input: createReadStream(file) })) {
    if (++lines > 5000) break;
    const body = (JSON.parse(line) as { bodyHtml: string }).bodyHtml.replace(/<[^>]+>/g, ' ').toLowerCase();
    for (const word of body.match(/[a-z]{3,}/g) ?? []) if (!STOP_WORDS.has(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, count).map(([w]) => w);
}

const words = await commonWords(corpus, Number(values.words));
const n = Number(values.queries);
const w = (i: number) => words[i % words.length]!;
const kinds: Record<string, (i: number) => { q: string; page: number }> = {
  'one word': (i) => ({ q: w(i), page: 1 }),
  'two words': (i) => ({ q: `${w(i)} ${w(i + 7)}`, page: 1 }),
  'three words': (i) => ({ q: `${w(i)} ${w(i + 7)} ${w(i + 13)}`, page: 1 }),
  'mixed, pages 1–5': (i) => ({ q: i % 2 ? w(i) : `${w(i)} ${w(i + 3)}`, page: 1 + (i % 5) }),
  'word plus excluded word': (i) => ({ q: `${w(i)} -${w(i + 5)}`, page: 1 }),
};

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

const db = openDatabase(databaseUrl);
console.log(`${databaseUrl}: ${n} queries per kind from the ${words.length} most common words (${words.slice(0, 5).join(', ')} …)`);
console.log('| query | p50 | p99 | CPU p99 |\n| --- | --- | --- | --- |');
try {
  for (const [kind, make] of Object.entries(kinds)) {
    await search(db, make(0).q, {}, 1); // the first query of a kind warms its statements
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < n; i++) {
      const { q, page } = make(i);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await search(db, q, {}, page);
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    console.log(`| ${kind} | ${pct(wall, 50).toFixed(1)} ms | ${pct(wall, 99).toFixed(1)} ms | ${pct(cpu, 99).toFixed(1)} ms |`);
  }
} finally {
  await db.close();
}
