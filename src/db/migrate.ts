// Brings a database to the latest schema, or tells whether it is behind.
import { Migrator, type MigrationResultSet } from 'kysely';
import type { Db } from './connection.ts';
import { migrations } from './migrations/index.ts';

function migrator(db: Db): Migrator {
  // With a schema of its own, the bookkeeping tables live there too: Kysely otherwise finds
  // another schema's lock table on the search path and trips over it.
  return new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations },
    ...(db.schema ? { migrationTableSchema: db.schema } : {}),
  });
}

export class MigrationError extends Error {}

function check({ error, results }: MigrationResultSet): string[] {
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`Migration ${failed?.migrationName ?? ''} failed: ${reason}`.replace('  ', ' '));
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  return check(await migrator(db).migrateToLatest());
}

/** Names of migrations not yet applied. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
