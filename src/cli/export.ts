// `dateline export [--format jsonl|wxr] [--output FILE]` and `dateline import export FILE`: the
// whole newsroom as JSON Lines (and back into an empty one), or as a WordPress export.
import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Option, type Command } from 'commander';
import { exportJsonl, ExportFileError, importExport, type ExportCounts } from '../newsroom/export/jsonl.ts';
import { exportWxr } from '../newsroom/export/wxr/writer.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/connection.ts';
import { withDatabase } from './context.ts';
import { CliError } from './errors.ts';

const EXPORT_HELP = `
Writes every desk, person, tag, story (with bylines, tags, former slugs, revisions, updates and
corrections), media record (the files are in the media folder: "dateline backup" has both),
static page, redirect, the front page and the site's settings, one JSON object per line, ids
included. Accounts and their secrets are not exported. Load it into a new, empty newsroom with
"dateline import export FILE": the same site, at the same URLs.

With --format wxr it writes a WordPress export (WXR 1.2) instead, for WordPress's own importer
(Tools > Import > WordPress) or "dateline import wxr": people as authors, desks as categories,
tags, stories as posts (extra bylines as Co-Authors Plus authors, the SEO title and description
as Yoast SEO's), static pages as pages and the media library as attachments. Dates are written
in the site's time zone (TZ) and in GMT; links use SITE_URL.`;

export function registerExport(cli: Command): void {
  cli
    .command('export')
    .description('export the whole newsroom (JSON Lines, or a WordPress export)')
    .addOption(new Option('--format <format>', 'jsonl: a Dateline export; wxr: a WordPress export (WXR 1.2)').choices(['jsonl', 'wxr']).default('jsonl'))
    .option('--output <file>', 'write here instead of standard output')
    .addHelpText('after', EXPORT_HELP)
    .action(async (flags: { format: string; output?: string }) => {
      await exportTo(flags.output, flags.format === 'wxr' ? wxr : jsonl);
    });
}

/** Adds `export` to the `import` command group: `dateline import export FILE`. */
export function registerExportImport(group: Command): void {
  group
    .command('export')
    .description('load a "dateline export" file into a new, empty newsroom')
    .argument('<file>', 'the .jsonl file "dateline export" wrote')
    .action(async (file: string) => {
      await importFrom(file);
    });
}

const summary = (counts: ExportCounts | Record<string, number>) => Object.entries(counts).filter(([, n]) => n > 0).map(([table, n]) => `${table} ${n}`).join(', ');

type Write = (chunk: string) => void | Promise<void>;
/** Writes the export through `write` (which waits when the file falls behind); returns what it wrote. */
type Exporter = (db: Db, config: Config, write: Write) => Promise<Record<string, number>>;

const jsonl: Exporter = ({ kysely }, _config, write) => exportJsonl(kysely, (line) => write(`${line}\n`));
const wxr: Exporter = ({ kysely }, config, write) =>
  exportWxr(kysely, write, { siteUrl: config.siteUrl.replace(/\/+$/, ''), timeZone: config.timeZone, language: config.language });

async function exportTo(output: string | undefined, exporter: Exporter): Promise<void> {
  const partial = output && `${output}.partial`;
  const stream = partial ? createWriteStream(partial) : process.stdout;
  const write = (chunk: string) => {
    if (!stream.write(chunk)) return new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  };
  try {
    const counts = await withDatabase((db, config) => exporter(db, config, write));
    if (partial && output) {
      await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
      await rename(partial, output);
      console.error(`Exported to ${output}: ${summary(counts)}`);
    }
  } catch (error) {
    if (partial) await rm(partial, { force: true });
    throw error;
  }
}

async function importFrom(file: string): Promise<void> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  try {
    const lines = createInterface({ input: handle.createReadStream({ encoding: 'utf8', autoClose: false }), crlfDelay: Infinity });
    const counts = await withDatabase(({ kysely }) => importExport(kysely, lines));
    console.log(`Imported ${file}: ${summary(counts)}`);
  } catch (error) {
    if (error instanceof ExportFileError) throw new CliError(`${file}: ${error.message}; nothing was imported`);
    throw error;
  } finally {
    await handle.close();
  }
}
