// Frozen: what moving a site from WordPress (or any older system) needs. Static pages served
// under their old paths; old addresses kept as redirects to what now stands there; and the
// keys of imported things (a WordPress post id, an author's login) so a second import updates
// instead of duplicating.
import { PostgresAdapter, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = pg ? 'serial' : 'integer';

  await db.schema
    .createTable('static_pages')
    .addColumn('id', idType, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    // Site-relative, without a trailing slash: "/about", "/company/jobs".
    .addColumn('path', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('excerpt', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('author_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('published_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('modified_at', 'text', (c) => c.notNull())
    .execute();

  // An old address and what answers it now: a story, a page, a desk (followed to their current
  // URL at request time) or a fixed location.
  await db.schema
    .createTable('legacy_redirects')
    .addColumn('path', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'integer', (c) => c.references('articles.id').onDelete('cascade'))
    .addColumn('page_id', 'integer', (c) => c.references('static_pages.id').onDelete('cascade'))
    .addColumn('desk_id', 'integer', (c) => c.references('desks.id').onDelete('cascade'))
    .addColumn('location', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('legacy_redirects_article').on('legacy_redirects').column('article_id').execute();

  // source: where the thing came from ("wordpress:http://example.com"); kind: post, page,
  // attachment, author, category …; key: its id there. target_id: ours (table by kind).
  await db.schema
    .createTable('import_keys')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('target_id', 'integer')
    .addColumn('guid', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('url', 'text')
    // A digest of what was read: an unchanged item is not written again on the next run.
    .addColumn('checksum', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_keys_pk', ['source', 'kind', 'key'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('import_keys').execute();
  await db.schema.dropTable('legacy_redirects').execute();
  await db.schema.dropTable('static_pages').execute();
}
