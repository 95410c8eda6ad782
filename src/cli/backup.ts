// `dateline backup FILE` and `dateline restore FILE`: the whole newsroom (database and media)
// in one file, taken while the site serves. On PostgreSQL the database is pg_dump's job: the
// commands print the steps (docs/operations.md has them too) and check the media folder.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { openDatabase, sqlitePath } from '../db/connection.ts';
import { BackupError, backupSqlite, missingMediaFiles, restoreSqlite } from '../newsroom/backup/sqlite.ts';
import { CliError } from './errors.ts';

const BACKUP_HELP = `
On SQLite (the default), FILE is a tar archive (compressed when it ends in .gz or .tgz) with the
database, copied by SQLite's online backup while the site keeps serving, the media folder, and
a manifest. Restore it with "dateline restore FILE" into an empty data folder.

On PostgreSQL, the database is dumped with pg_dump and the media folder archived beside it: the
command prints the steps (see docs/operations.md) and checks that every image the database
knows has its files in the media folder.`;

const RESTORE_HELP = `
Restores a backup made by "dateline backup" into the database file of DATABASE_URL and the
media folder (MEDIA_DIR, or --media-dir). Both must be empty (a first start on a new machine);
--force replaces what is there. The archive is unpacked and checked first: a damaged or foreign
file changes nothing. Run "dateline migrate" (or just start) afterwards if the backup is older
than this version.`;

interface Flags {
  mediaDir?: string;
  force?: boolean;
}

export function registerBackup(cli: Command): void {
  cli
    .command('backup')
    .description('back up the database and the media, while the site serves')
    .argument('<file>', 'the archive to write (.tar, .tar.gz or .tgz)')
    .option('--media-dir <dir>', 'the media folder (default: MEDIA_DIR or ./data/media)')
    .addHelpText('after', BACKUP_HELP)
    .action(async (file: string, flags: Flags) => {
      await backup(file, flags);
    });
  cli
    .command('restore')
    .description('restore a backup into an empty data folder')
    .argument('<file>', 'an archive made by "dateline backup"')
    .option('--media-dir <dir>', 'the media folder (default: MEDIA_DIR or ./data/media)')
    .option('--force', 'replace the database and media that are there')
    .addHelpText('after', RESTORE_HELP)
    .action(async (file: string, flags: Flags) => {
      await restore(file, flags);
    });
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

async function backup(file: string, flags: Flags): Promise<void> {
  const config = loadConfig();
  const mediaDir = resolve(flags.mediaDir ?? config.mediaDir);
  if (!config.databaseUrl.startsWith('sqlite:')) {
    console.log(postgresBackupSteps(file, mediaDir));
    await checkPostgresMedia(config.databaseUrl, mediaDir);
    return;
  }
  const databasePath = sqlitePath(config.databaseUrl);
  if (databasePath === ':memory:') throw new CliError('an in-memory database cannot be backed up');
  try {
    const started = performance.now();
    const report = await backupSqlite({ databasePath, mediaDir, file });
    const m = report.manifest;
    console.log(`Backed up ${databasePath} and ${mediaDir} to ${report.file} (${mb(report.bytes)}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    console.log(`  ${Object.entries(m.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`  media: ${m.media.files} files, ${mb(m.media.bytes)}`);
    console.log(`  schema: ${m.migrations.at(-1) ?? 'none'}`);
    if (m.media.missing.length > 0) {
      throw new CliError(`the backup was written, but ${m.media.missing.length} media files the database names are missing from ${mediaDir} (first: ${m.media.missing[0]})`);
    }
  } catch (error) {
    if (error instanceof BackupError) throw new CliError(error.message);
    throw error;
  }
}

async function restore(file: string, flags: Flags): Promise<void> {
  const config = loadConfig();
  const mediaDir = resolve(flags.mediaDir ?? config.mediaDir);
  if (!config.databaseUrl.startsWith('sqlite:')) {
    console.log(postgresRestoreSteps(file, mediaDir));
    return;
  }
  const databasePath = sqlitePath(config.databaseUrl);
  if (databasePath === ':memory:') throw new CliError('cannot restore into an in-memory database');
  try {
    const report = await restoreSqlite({ file, databasePath, mediaDir, force: flags.force });
    const m = report.manifest;
    console.log(`Restored the backup of ${m.createdAt} into ${report.databasePath} and ${report.mediaDir}`);
    console.log(`  ${Object.entries(m.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`  media: ${report.mediaFiles} files`);
  } catch (error) {
    if (error instanceof BackupError) throw new CliError(error.message);
    throw error;
  }
}

export function postgresBackupSteps(file: string, mediaDir: string): string {
  return `DATABASE_URL is PostgreSQL: back up the database with pg_dump and the media folder beside it.

  pg_dump --format=custom --no-owner --file "${file}.dump" "$DATABASE_URL"
  tar -C "${mediaDir}" -czf "${file}.media.tar.gz" .

pg_dump takes a consistent snapshot while the site serves. Take the media archive after the
dump: images are written once and never changed, so it then holds every image the dump knows.
(See docs/operations.md, "Backups".)
`;
}

export function postgresRestoreSteps(file: string, mediaDir: string): string {
  return `DATABASE_URL is PostgreSQL: restore the dump into an empty database, and the media beside it.

  createdb dateline
  pg_restore --no-owner --dbname "$DATABASE_URL" "${file}.dump"
  mkdir -p "${mediaDir}" && tar -C "${mediaDir}" -xzf "${file}.media.tar.gz"
  dateline migrate

(See docs/operations.md, "Backups".)
`;
}

async function checkPostgresMedia(url: string, mediaDir: string): Promise<void> {
  const db = openDatabase(url);
  try {
    const rows = await db.kysely.selectFrom('media').select(['key', 'variants']).execute();
    const missing = await missingMediaFiles(rows, mediaDir);
    if (missing.length > 0) throw new CliError(`${missing.length} media files the database names are missing from ${mediaDir} (first: ${missing[0]}); fix that before relying on this backup`);
    console.log(`Checked: every file of the ${rows.length} images in the database is in ${mediaDir}.`);
  } finally {
    await db.close();
  }
}
