// `dateline import jsonl FILE`: streams a JSON Lines corpus into the newsroom, with a progress
// bar on a terminal and a summary at the end.
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { DEFAULT_BATCH_SIZE, importJsonl, type ImportSummary } from '../newsroom/import/jsonl.ts';
import { LIMITS } from '../newsroom/articles/types.ts';
import { prepareForBulkWrites } from '../db/connection.ts';
import { withDatabase } from './context.ts';
import { readLines } from './lines.ts';
import { CliError } from './errors.ts';
import { registerWxrImport } from './wxr.ts';
import { registerExportImport } from './export.ts';

const SKIPPED_SHOWN = 5;

const JSONL_HELP = `
Each line is one JSON object, one published story, with the fields
  slug, title*, kicker, section*, authors[], tags[], publishedAt*, updatedAt, excerpt, bodyHtml
(* required; times in ISO 8601 with a zone, such as 2026-11-27T12:00:00Z).
Stories are matched by slug: a new slug creates a published story, a known one is updated only
when its content differs. Sections become desks and authors become people when missing. The body
HTML is sanitized. A bad line is skipped with its line number and reason; the rest still load.
Stories are committed ${DEFAULT_BATCH_SIZE} at a time, so an interrupted import is finished by running it again.

The database is DATABASE_URL (default sqlite:./data/dateline.db); it is migrated first.

Exit status: 0 when the file loaded, even with some lines skipped; 1 when the file cannot be read,
the database fails, or the file has stories and every one of them was skipped.`;

export function registerImport(cli: Command): void {
  const group = cli.command('import').description('load stories from other systems into the newsroom');
  group
    .command('jsonl')
    .description('import stories from a JSON Lines file (one story per line)')
    .argument('<file>', 'the .jsonl file to read')
    .addHelpText('after', JSONL_HELP)
    .action(async (file: string) => {
      await importFile(file);
    });
  registerWxrImport(group);
  registerExportImport(group);
}

async function importFile(file: string): Promise<void> {
  // Opened before the database, so a mistyped path changes nothing.
  const handle = await openReadable(file);
  let started = 0;
  let progress: Progress | undefined;
  let summary: ImportSummary;
  try {
    summary = await withDatabase(async (db) => {
      await prepareForBulkWrites(db);
      // Timed from here: opening and migrating the database is not the import's speed.
      progress = process.stderr.isTTY ? await startProgress(file) : undefined;
      started = performance.now();
      return importJsonl(db.kysely, readLines(handle), { onProgress: progress?.update });
    });
  } finally {
    progress?.stop();
    await handle.close().catch(() => undefined);
  }
  report(file, summary, performance.now() - started);
  const stories = summary.created + summary.updated + summary.unchanged;
  if (stories === 0 && summary.skipped.length > 0) {
    throw new CliError(`none of the ${summary.skipped.length} stories in ${file} could be imported`);
  }
}

async function openReadable(file: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${describeFsError(error)}`);
  }
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw new CliError(`cannot read ${file}: not a regular file`);
  }
  return handle;
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return (error as Error).message;
}

/** Counting lines first reads the file twice, but the second read comes from the page cache. */
async function countLines(file: string): Promise<number> {
  let count = 0;
  let last = 10;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) count++;
    last = chunk.at(-1) ?? last;
  }
  return last === 10 ? count : count + 1;
}

interface Progress {
  update(done: number): void;
  stop(): void;
}

const REDRAW_MS = 100;

/**
 * A bar on stderr, fed at most ten times a second: cli-progress recomputes its ETA on every
 * update, which at thousands of lines a second would cost more than the import itself.
 */
async function startProgress(file: string): Promise<Progress> {
  const total = await countLines(file);
  const bar = new SingleBar(
    {
      format: 'Importing {bar} {percentage}% | {value}/{total} lines | {rate}/s | ETA {eta_formatted}',
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  const started = performance.now();
  let drawn = started;
  bar.start(total, 0, { rate: 0 });
  return {
    update(done) {
      const now = performance.now();
      if (now - drawn < REDRAW_MS && done < total) return;
      drawn = now;
      bar.update(done, { rate: Math.round(done / ((now - started) / 1000)) });
    },
    stop: () => bar.stop(),
  };
}

function report(file: string, summary: ImportSummary, elapsedMs: number): void {
  const lines = summary.created + summary.updated + summary.unchanged + summary.skipped.length;
  const seconds = elapsedMs / 1000;
  console.log(`Read ${lines} stories from ${file} in ${seconds.toFixed(1)} s (${Math.round(lines / Math.max(seconds, 0.001))} stories/s)`);
  console.log(`  created    ${summary.created}`);
  console.log(`  updated    ${summary.updated}`);
  console.log(`  unchanged  ${summary.unchanged}`);
  console.log(`  skipped    ${summary.skipped.length}`);
  console.log(`  new desks ${summary.desksCreated}, new people ${summary.peopleCreated}`);
  if (summary.shortened.length > 0) {
    console.log(`  ${summary.shortened.length} slugs over ${LIMITS.slug} characters shortened (the given slug redirects to the story):`);
    for (const { line, to } of summary.shortened.slice(0, SKIPPED_SHOWN)) console.log(`  line ${line}: now ${to}`);
    const more = summary.shortened.length - SKIPPED_SHOWN;
    if (more > 0) console.log(`  … and ${more} more shortened slugs`);
  }
  if (summary.skipped.length === 0) return;
  for (const { line, reason } of summary.skipped.slice(0, SKIPPED_SHOWN)) console.log(`  line ${line}: ${reason}`);
  const more = summary.skipped.length - SKIPPED_SHOWN;
  if (more > 0) console.log(`  … and ${more} more skipped lines`);
}
