// Frozen: every page asks for the breaking-news banner live now. Banners are kept once expired
// (one per banner ever set), so without an index that question read them all, newest first,
// whenever none was live: most of the time (issue #6). Never edit; add a new migration instead.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.createIndex('breaking_news_expiry').on('breaking_news').column('expires_at').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex('breaking_news_expiry').execute();
}
