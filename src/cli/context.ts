// What every subcommand needs: the configuration and an open, migrated database.
import { loadConfig, type Config } from '../config.ts';
import { openDatabase, type Db } from '../db/connection.ts';
import { migrateToLatest, pendingMigrations } from '../db/migrate.ts';
import { CliError } from './errors.ts';

export async function withDatabase<T>(
  run: (db: Db, config: Config) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const config = loadConfig();
  const db = openDatabase(config.databaseUrl);
  try {
    if (options.migrate ?? true) await migrateToLatest(db);
    else {
      const pending = await pendingMigrations(db);
      if (pending.length > 0) throw new CliError(`the database schema is out of date (${pending.length} pending); run "dateline migrate"`);
    }
    return await run(db, config);
  } finally {
    await db.close();
  }
}
