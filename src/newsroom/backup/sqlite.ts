// Backup and restore of a one-machine newsroom: the SQLite database and the media folder in one
// tar file. The database is copied with SQLite's online backup API (better-sqlite3's
// db.backup()), page by page, while the site keeps serving and writing: the copy is one
// consistent moment. Media files are written once under a content key and never changed, so
// copying them after that moment gives every image the copy knows; any the copy names but the
// folder lacks (an upload still being written) is waited for briefly, then reported.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat, symlink, writeFile, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import * as tar from 'tar';

export const BACKUP_FORMAT = 'dateline-backup';
export const BACKUP_VERSION = 1;
const DB_ENTRY = 'dateline.db';
const MANIFEST_ENTRY = 'manifest.json';
const MEDIA_ENTRY = 'media';

export class BackupError extends Error {}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  database: 'sqlite';
  /** Migrations applied in the copy, oldest first. */
  migrations: string[];
  /** Rows of the main tables, to show and to check after a restore. */
  counts: Record<string, number>;
  media: { files: number; bytes: number; missing: string[] };
  /** SHA-256 of the database file in the archive. */
  databaseSha256: string;
}

export interface BackupReport {
  file: string;
  bytes: number;
  manifest: Manifest;
}

const COUNTED = ['articles', 'revisions', 'people', 'desks', 'tags', 'users', 'media', 'static_pages', 'legacy_redirects'];

/** The stored files a media row names: `<dir>/<key[0..2]>/<key>/<name>` (DiskStorage's layout). */
function mediaFilesOf(db: SQLite.Database): string[] {
  const hasMedia = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'media'").get();
  if (!hasMedia) return [];
  const out = new Set<string>();
  for (const row of db.prepare('SELECT key, variants FROM media').iterate() as Iterable<{ key: string; variants: string }>) {
    let files: Array<{ name?: unknown }> = [];
    try {
      files = JSON.parse(row.variants) as Array<{ name?: unknown }>;
    } catch {
      // a row without a readable file list names no file
    }
    for (const f of files) if (typeof f.name === 'string') out.add(`${row.key.slice(0, 2)}/${row.key}/${f.name}`);
  }
  return [...out];
}

async function listFiles(root: string): Promise<Array<{ path: string; bytes: number }>> {
  const out: Array<{ path: string; bytes: number }> = [];
  const walk = async (dir: string) => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      // Half-written files of DiskStorage (.tmp-…) are not part of any image yet.
      else if (entry.isFile() && !entry.name.startsWith('.')) out.push({ path: relative(root, path), bytes: (await stat(path)).size });
    }
  };
  await walk(root);
  return out;
}

async function sha256(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes `file` (a .tar, or .tar.gz / .tgz compressed) with the database and the media. */
export async function backupSqlite(options: { databasePath: string; mediaDir: string; file: string; now?: Date; waitForMediaMs?: number }): Promise<BackupReport> {
  const { databasePath, mediaDir } = options;
  const file = resolve(options.file);
  if (!existsSync(databasePath)) throw new BackupError(`there is no database at ${databasePath}`);
  const work = await mkdtemp(join(dirname(file), `.${basename(file)}.`));
  try {
    const copy = join(work, DB_ENTRY);
    const source = new SQLite(databasePath, { readonly: true, fileMustExist: true });
    try {
      await source.backup(copy);
    } finally {
      source.close();
    }
    const snapshot = new SQLite(copy, { readonly: true });
    let migrations: string[];
    const counts: Record<string, number> = {};
    let named: string[];
    try {
      const check = snapshot.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new BackupError(`the database copy failed its integrity check: ${String(check)}`);
      const tables = new Set((snapshot.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name));
      migrations = tables.has('kysely_migration')
        ? (snapshot.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as Array<{ name: string }>).map((m) => m.name)
        : [];
      for (const table of COUNTED) {
        if (tables.has(table)) counts[table] = (snapshot.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
      }
      named = mediaFilesOf(snapshot);
    } finally {
      snapshot.close();
    }
    // Files the copy names that are not there yet: an upload between its row and its files.
    let missing = named.filter((f) => !existsSync(join(mediaDir, f)));
    const deadline = Date.now() + (options.waitForMediaMs ?? 5000);
    while (missing.length > 0 && Date.now() < deadline) {
      await sleep(200);
      missing = missing.filter((f) => !existsSync(join(mediaDir, f)));
    }
    const files = await listFiles(mediaDir);
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: (options.now ?? new Date()).toISOString(),
      database: 'sqlite',
      migrations,
      counts,
      media: { files: files.length, bytes: files.reduce((n, f) => n + f.bytes, 0), missing },
      databaseSha256: await sha256(copy),
    };
    await writeFile(join(work, MANIFEST_ENTRY), `${JSON.stringify(manifest, null, 2)}\n`);
    const entries = [MANIFEST_ENTRY, DB_ENTRY];
    if (files.length > 0) {
      await symlink(resolve(mediaDir), join(work, MEDIA_ENTRY), 'dir');
      entries.push(MEDIA_ENTRY);
    }
    const partial = join(work, 'archive.partial');
    await tar.c({ file: partial, cwd: work, gzip: /\.(tgz|gz)$/.test(file), portable: true, follow: true }, entries);
    await rename(partial, file);
    return { file, bytes: (await stat(file)).size, manifest };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export interface RestoreReport {
  manifest: Manifest;
  databasePath: string;
  mediaDir: string;
  mediaFiles: number;
}

/** Whether anything would be overwritten: a database file, or files in the media folder. */
export async function occupied(databasePath: string, mediaDir: string): Promise<string[]> {
  const found: string[] = [];
  for (const f of [databasePath, `${databasePath}-wal`, `${databasePath}-shm`]) if (existsSync(f)) found.push(f);
  if ((await listFiles(mediaDir)).length > 0) found.push(mediaDir);
  return found;
}

/**
 * Restores a backup into an empty place (or over an existing one with `force`). Everything is
 * unpacked and checked beside the target first; only a complete, checked backup replaces it.
 */
export async function restoreSqlite(options: { file: string; databasePath: string; mediaDir: string; force?: boolean }): Promise<RestoreReport> {
  const databasePath = resolve(options.databasePath);
  const mediaDir = resolve(options.mediaDir);
  if (!existsSync(options.file)) throw new BackupError(`there is no backup at ${options.file}`);
  const taken = await occupied(databasePath, mediaDir);
  if (taken.length > 0 && !options.force) {
    throw new BackupError(`${taken.join(' and ')} ${taken.length === 1 ? 'is' : 'are'} not empty; restore into an empty data folder, or add --force to replace what is there`);
  }
  await mkdir(dirname(databasePath), { recursive: true });
  const work = await mkdtemp(join(dirname(databasePath), '.restore-'));
  try {
    try {
      await tar.x({ file: options.file, cwd: work, strict: true, preservePaths: false });
    } catch (error) {
      throw new BackupError(`${options.file} is not a Dateline backup (${(error as Error).message})`);
    }
    const manifest = await readManifest(join(work, MANIFEST_ENTRY), options.file);
    const db = join(work, DB_ENTRY);
    if (!existsSync(db)) throw new BackupError(`${options.file} holds no database`);
    if ((await sha256(db)) !== manifest.databaseSha256) throw new BackupError(`the database in ${options.file} is damaged (its checksum differs)`);
    const restoredMedia = await listFiles(join(work, MEDIA_ENTRY));
    if (restoredMedia.length !== manifest.media.files) {
      throw new BackupError(`${options.file} holds ${restoredMedia.length} media files where its manifest lists ${manifest.media.files}`);
    }
    if (options.force) {
      for (const f of [databasePath, `${databasePath}-wal`, `${databasePath}-shm`]) await rm(f, { force: true });
      await rm(mediaDir, { recursive: true, force: true });
    }
    await mkdir(dirname(mediaDir), { recursive: true });
    if (restoredMedia.length > 0) await rename(join(work, MEDIA_ENTRY), mediaDir);
    else await mkdir(mediaDir, { recursive: true });
    await rename(db, databasePath);
    return { manifest, databasePath, mediaDir, mediaFiles: restoredMedia.length };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function readManifest(path: string, file: string): Promise<Manifest> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8')) as Manifest;
  } catch {
    throw new BackupError(`${file} is not a Dateline backup (no readable manifest.json)`);
  }
  if (manifest.format !== BACKUP_FORMAT) throw new BackupError(`${file} is not a Dateline backup`);
  if (manifest.version > BACKUP_VERSION) throw new BackupError(`${file} was written by a newer Dateline (backup format ${manifest.version}); update first`);
  return manifest;
}

/** Media rows whose files are not in the folder: for PostgreSQL, where the database is dumped apart. */
export async function missingMediaFiles(rows: Array<{ key: string; variants: string }>, mediaDir: string): Promise<string[]> {
  const missing: string[] = [];
  for (const row of rows) {
    let files: Array<{ name?: unknown }> = [];
    try {
      files = JSON.parse(row.variants) as Array<{ name?: unknown }>;
    } catch {
      // nothing named
    }
    for (const f of files) {
      if (typeof f.name !== 'string') continue;
      const path = `${row.key.slice(0, 2)}/${row.key}/${f.name}`;
      if (!existsSync(join(mediaDir, path))) missing.push(path);
    }
  }
  return missing;
}
