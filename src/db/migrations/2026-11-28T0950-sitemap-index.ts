// Frozen: the sitemap index dates every month of the archive by its newest publication and
// update times. With this index that is one read of index entries (status, times), not of every
// public story's row, whose update time sits behind the body. Never edit; add a new migration instead.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.createIndex('articles_sitemap').on('articles').columns(['status', 'published_at', 'embargo_until', 'updated_at']).execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex('articles_sitemap').execute();
}
