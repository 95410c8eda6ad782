// Frozen: what changed for readers, as cache tags, written in the transaction of the change.
// Never edit; add a new migration instead.
//
// Every instance (and the CLI, e.g. an import into a running site) appends here; every serving
// instance reads the rows it has not seen and drops the cached pages carrying those tags. A CDN
// purge is claimed once per row (purged_at), whichever instance gets to it first.
import { PostgresAdapter, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('cache_changes')
    .addColumn('id', pg ? 'serial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    // Space-separated tags, e.g. "s:12 l:all".
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('purged_at', 'text')
    .execute();
  await db.schema.createIndex('cache_changes_at').on('cache_changes').column('at').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('cache_changes').execute();
}
