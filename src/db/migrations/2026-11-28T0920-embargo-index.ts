// Frozen: the scheduler asks every second which embargoes lifted since its last tick; without an
// index that question read every published story (a quarter of a second at 100,000 stories).
// Never edit; add a new migration instead.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.createIndex('articles_embargo').on('articles').column('embargo_until').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex('articles_embargo').execute();
}
