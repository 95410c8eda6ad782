import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';

export function registerMigrate(cli: Command): void {
  cli
    .command('migrate')
    .description('bring the database schema up to date')
    .action(async () => {
      const db = openDatabase(loadConfig().databaseUrl);
      try {
        const applied = await migrateToLatest(db);
        console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The schema is up to date.');
      } finally {
        await db.close();
      }
    });
}
