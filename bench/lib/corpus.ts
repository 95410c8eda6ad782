// The corpus and its imported database, made once per size and kept under bench/.cache/<size>/:
// generating 100,000 stories and importing them takes minutes, the benchmark itself does not
// change them (each run serves a copy). The import is timed here, pinned like the server.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fail } from './fail.ts';
import { CACHE, CLI, MAKE_CORPUS, MAKE_CORPUS_STREAM, REPO } from './paths.ts';

export interface ImportFigures {
  stories: number;
  /** As the CLI reports it: from the database being ready to the last commit. */
  storiesPerSecond: number;
  importSeconds: number;
  /** The whole command, start-up and migration included. */
  wallSeconds: number;
  command: string;
  at: string;
  /** True when this run reused an earlier import of the same corpus. */
  cached?: boolean;
}

export interface Corpus {
  jsonl: string;
  database: string;
  importFigures: ImportFigures;
}

/**
 * The shared generator builds its whole output as one string, which V8 caps below 1 GB: above
 * 200,000 stories the same lines come from bench/make-corpus-stream.mjs, written one at a time.
 */
const generatorFor = (stories: number): string => (stories > 200_000 ? MAKE_CORPUS_STREAM : MAKE_CORPUS);

async function makeJsonl(stories: number, file: string): Promise<void> {
  const generator = generatorFor(stories);
  if (!existsSync(generator)) fail(`corpus generator not found at ${generator} (set BENCH_MAKE_CORPUS)`);
  const partial = `${file}.partial`;
  console.log(`Making a corpus of ${stories} stories (${generator})…`);
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(partial);
    const child = spawn(process.execPath, [generator, String(stories)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.pipe(out);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? out.close(() => resolve()) : reject(new Error(`make-corpus.mjs exited with ${code}`))));
  }).catch((error: Error) => fail(`could not make the corpus: ${error.message}`));
  renameSync(partial, file);
}

function importInto(jsonl: string, database: string, stories: number): ImportFigures {
  const partial = `${database}.partial`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
  const args = ['-c', '0', process.execPath, CLI, 'import', 'jsonl', jsonl];
  const command = `DATABASE_URL=sqlite:${partial} taskset ${args.join(' ')}`;
  console.log(`Importing ${stories} stories (${command})…`);
  const started = performance.now();
  const result = spawnSync('taskset', args, {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: `sqlite:${partial}`, DATELINE_DEMO: 'false', LOG_LEVEL: 'warn' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallSeconds = (performance.now() - started) / 1000;
  if (result.status !== 0) fail(`import failed: ${(result.stderr || result.stdout).trim().split('\n').at(-1)}`);
  // "Read N stories from FILE in S s (R stories/s)", the CLI's own timing.
  const match = /Read (\d+) stories from .* in ([\d.]+) s \((\d+) stories\/s\)/.exec(result.stdout);
  if (!match) fail(`import printed no summary: ${result.stdout.trim().split('\n')[0]}`);
  const created = /created\s+(\d+)/.exec(result.stdout);
  if (!created || Number(created[1]) !== stories) fail(`import created ${created?.[1] ?? '?'} of ${stories} stories`);
  if (existsSync(`${partial}-wal`)) fail(`the import left a WAL file behind (${partial}-wal); the database copy would be incomplete`);
  renameSync(partial, database);
  return {
    stories,
    storiesPerSecond: Number(match[3]),
    importSeconds: Number(match[2]),
    wallSeconds: Math.round(wallSeconds * 10) / 10,
    command,
    at: new Date().toISOString(),
  };
}

export async function prepareCorpus(stories: number, reimport: boolean): Promise<Corpus> {
  const dir = join(CACHE, String(stories));
  mkdirSync(dir, { recursive: true });
  const jsonl = join(dir, 'corpus.jsonl');
  const database = join(dir, 'dateline.db');
  const figures = join(dir, 'import.json');
  if (!existsSync(jsonl)) await makeJsonl(stories, jsonl);
  if (!reimport && existsSync(database) && existsSync(figures)) {
    const importFigures = JSON.parse(readFileSync(figures, 'utf8')) as ImportFigures;
    console.log(`Reusing the imported database in ${dir} (imported at ${importFigures.storiesPerSecond} stories/s on ${importFigures.at}; --reimport to time it again)`);
    return { jsonl, database, importFigures: { ...importFigures, cached: true } };
  }
  const importFigures = importInto(jsonl, database, stories);
  writeFileSync(figures, JSON.stringify(importFigures, null, 2));
  return { jsonl, database, importFigures };
}
