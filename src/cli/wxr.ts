// `dateline import wxr FILE.xml`: a WordPress export (Tools → Export → All content) into the
// newsroom, with a progress bar on a terminal and a summary table at the end.
import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Presets, SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';
import { DEFAULT_WXR_BATCH, importWxr, type ItemIssue, type WxrImportSummary } from '../newsroom/import/wxr/importer.ts';
import { WxrError } from '../newsroom/import/wxr/reader.ts';
import { wxrMediaImporter } from '../newsroom/import/wxr/media.ts';
import { DiskStorage } from '../media/storage.ts';
import { prepareForBulkWrites } from '../db/connection.ts';
import { withDatabase } from './context.ts';
import { CliError } from './errors.ts';

const SHOWN = 8;

const WXR_HELP = `
Reads a WordPress export (WXR 1.0, 1.1 or 1.2; WordPress: Tools → Export → All content) twice:
first to check all of it (a file that is not well-formed, not a WordPress export or of an
unknown version is refused with the line where it went wrong, and nothing is written), then to
write it, ${DEFAULT_WXR_BATCH} items per transaction.

  authors      → people, and accounts without a password (they sign in once invited:
                 "dateline user passwd EMAIL --link")
  categories   → desks (a post's primary category; its others become tags), or tags with
                 --desks-from tags (and the first tag names the desk)
  tags         → tags
  posts        → stories: publish → published, draft and private → draft, pending → submitted,
                 future → scheduled at its date; sticky posts join the front page
  pages        → static pages, served at their old paths
  attachments  → images: from --media-dir (a copy of wp-content/uploads) into the media
                 library (featured images and images in bodies then point there); without
                 it, or for a file not found, kept at their old URLs and reported

Every old permalink, "/?p=ID" and category archive answers 301 with the new URL. Items are
keyed by their WordPress id: running the import again updates what changed and duplicates
nothing, and an import that stopped half-way is finished by running it again.

Exit status: 0 when the file was imported (some items may be skipped: they are listed);
1 when the file cannot be read or is refused, or the database fails.`;

interface WxrFlags {
  mediaDir?: string;
  desksFrom: 'categories' | 'tags';
  dryRun?: boolean;
  timeZone?: string;
}

/** Adds `wxr` to the `import` command group. */
export function registerWxrImport(group: Command): void {
  group
    .command('wxr')
    .description('import a WordPress export (WXR): authors, categories, tags, posts, pages, images, old URLs')
    .argument('<file>', 'the .xml file WordPress exported')
    .option('--media-dir <dir>', 'a copy of wp-content/uploads, to bring images into the media library')
    .addOption(new Option('--desks-from <taxonomy>', 'what becomes desks').choices(['categories', 'tags']).default('categories'))
    .option('--dry-run', 'read, check and convert everything, then write nothing')
    .option('--time-zone <zone>', "the WordPress site's IANA time zone, for times the export gives only in local time (default: worked out from the export, else TZ)")
    .addHelpText('after', WXR_HELP)
    .action(async (file: string, flags: WxrFlags) => {
      await importWxrFile(file, flags);
    });
}

async function importWxrFile(file: string, flags: WxrFlags): Promise<void> {
  const size = await fileSize(file);
  if (flags.mediaDir) await checkDirectory(flags.mediaDir);
  if (flags.timeZone) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: flags.timeZone });
    } catch {
      throw new CliError(`--time-zone: "${flags.timeZone}" is not an IANA time zone (such as Asia/Tehran)`);
    }
  }
  let current: ReadStream | undefined;
  const open = () => {
    current = createReadStream(file, { highWaterMark: 256 * 1024 });
    return current;
  };
  const bar = process.stderr.isTTY ? new Bars(size) : undefined;
  let started = 0;
  let summary: WxrImportSummary;
  try {
    summary = await withDatabase(async (db, config) => {
      const { kysely } = db;
      await prepareForBulkWrites(db);
      started = performance.now();
      return importWxr(kysely, open, {
        desksFrom: flags.desksFrom,
        dryRun: flags.dryRun,
        timeZone: flags.timeZone ?? config.timeZone,
        media: flags.mediaDir ? wxrMediaImporter(kysely, new DiskStorage(config.mediaDir), flags.mediaDir, config.mediaMaxBytes) : undefined,
        onScan: () => bar?.scanning(current?.bytesRead ?? 0),
        onProgress: (done, total) => bar?.importing(done, total),
      });
    });
  } catch (error) {
    if (error instanceof WxrError) throw new CliError(`${file}: ${error.message}; nothing was imported`);
    throw error;
  } finally {
    bar?.stop();
  }
  report(file, summary, performance.now() - started);
}

async function fileSize(file: string): Promise<number> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new CliError(`cannot read ${file}: not a regular file`);
    return info.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`);
  }
}

async function checkDirectory(dir: string): Promise<void> {
  try {
    if ((await stat(dir)).isDirectory()) return;
  } catch {
    // reported below
  }
  throw new CliError(`--media-dir: ${dir} is not a directory`);
}

const REDRAW_MS = 100;

/** Two bars on stderr: bytes while the file is checked, then items while they are written. */
class Bars {
  private bar?: SingleBar;
  private phase: 'scan' | 'import' | undefined;
  private drawn = 0;
  private started = performance.now();

  constructor(private readonly size: number) {}

  scanning(bytes: number): void {
    if (this.phase !== 'scan') {
      this.phase = 'scan';
      this.bar = new SingleBar({ format: 'Checking  {bar} {percentage}% | {mb}/{totalMb} MB', hideCursor: true }, Presets.shades_classic);
      this.bar.start(this.size, 0, { mb: '0', totalMb: (this.size / 1e6).toFixed(1) });
    }
    this.draw(() => this.bar?.update(bytes, { mb: (bytes / 1e6).toFixed(1) }));
  }

  importing(done: number, total: number): void {
    if (this.phase !== 'import') {
      this.bar?.update(this.size, { mb: (this.size / 1e6).toFixed(1) });
      this.bar?.stop();
      this.phase = 'import';
      this.started = performance.now();
      this.bar = new SingleBar({ format: 'Importing {bar} {percentage}% | {value}/{total} items | {rate}/s | ETA {eta_formatted}', etaBuffer: 20, hideCursor: true }, Presets.shades_classic);
      this.bar.start(total, 0, { rate: 0 });
    }
    this.draw(() => this.bar?.update(done, { rate: Math.round(done / Math.max((performance.now() - this.started) / 1000, 0.001)) }), done >= total);
  }

  private draw(update: () => void, force = false): void {
    const now = performance.now();
    if (!force && now - this.drawn < REDRAW_MS) return;
    this.drawn = now;
    update();
  }

  stop(): void {
    this.bar?.stop();
  }
}

function report(file: string, s: WxrImportSummary, elapsedMs: number): void {
  const seconds = elapsedMs / 1000;
  const out: string[] = [];
  out.push(`${s.dryRun ? 'Dry run (nothing written): ' : ''}WXR ${s.version} export of ${s.site || 'a WordPress site'}: ${s.items} items read from ${file} in ${seconds.toFixed(1)} s (${Math.round(s.items / Math.max(seconds, 0.001))} items/s)`);
  out.push('');
  out.push(`             created  updated  unchanged`);
  out.push(`  posts    ${pad(s.posts.created)}${pad(s.posts.updated)}${pad(s.posts.unchanged, 11)}`);
  out.push(`  pages    ${pad(s.pages.created)}${pad(s.pages.updated)}${pad(s.pages.unchanged, 11)}`);
  out.push(`  skipped    ${s.skipped.length}`);
  for (const line of grouped(s.skipped)) out.push(`    ${line}`);
  out.push(`  redirects  ${s.redirects} new or changed (old permalinks, /?p=ID, categories, authors)`);
  out.push(`  media      ${s.media.imported} imported, ${s.media.remote} kept at their old URLs, ${s.media.missing} not found or refused`);
  out.push(`  new people ${s.people}, new accounts ${s.users} (no password until invited), new desks ${s.desks}, front page +${s.frontPage}`);
  out.push(`  dates      ${s.dates}`);
  if (s.controlCharacters > 0) out.push(`  removed ${s.controlCharacters} control characters XML does not allow`);
  if (s.notes.length > 0) {
    out.push(`  notes      ${s.notes.length} (imported, with something left behind)`);
    for (const line of grouped(s.notes)) out.push(`    ${line}`);
  }
  console.log(out.join('\n'));
}

const pad = (n: number, width = 9) => String(n).padStart(width);

/** Issues grouped by reason, most frequent first, each with the first few items it concerns. */
function grouped(issues: ItemIssue[]): string[] {
  const groups = new Map<string, ItemIssue[]>();
  for (const issue of issues) {
    // Numbers (an image id, a count) vary; the reason's words group.
    const key = issue.reason.replace(/\d+/g, 'N');
    groups.set(key, [...(groups.get(key) ?? []), issue]);
  }
  const lines: string[] = [];
  const sorted = [...groups.values()].sort((a, b) => b.length - a.length);
  for (const group of sorted.slice(0, SHOWN)) {
    const first = group[0] as ItemIssue;
    const where = group.slice(0, 3).map((i) => (i.line ? `line ${i.line}` : i.title)).join(', ');
    lines.push(group.length === 1 ? `${where} (${first.id} "${first.title.slice(0, 50)}"): ${first.reason}` : `${group.length}× ${first.reason} (${where}${group.length > 3 ? ', …' : ''})`);
  }
  if (sorted.length > SHOWN) lines.push(`… and ${sorted.length - SHOWN} more kinds`);
  return lines;
}
