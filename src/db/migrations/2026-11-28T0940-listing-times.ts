// Frozen: the publication time kept beside each tag and byline, so a tag's or an author's
// listing walks that tag's or author's newest links and stops at the page's LIMIT, instead of
// reading every story of the tag (a busy one has tens of thousands) and sorting them all.
// Never edit; add a new migration instead.
//
// article_tags.published_at and article_bylines.published_at are copies of the story's
// articles.published_at, whatever its status: visibility (status, embargo) is still decided per
// row on the story itself by onlyPublic; the copy only orders and bounds the walk. Triggers keep
// the copy right on both databases, in the same transaction as the write, whichever path writes
// (the editor, workflow commands, the scheduler, both importers, a hand-written UPDATE):
//   - a story's published_at changes: every one of its links takes the new time;
//   - a link is inserted (or re-pointed) with a time other than its story's: it takes the story's.
// Writers may fill the column themselves (createArticles does, so a bulk import pays a lookup
// per link and no second write); a wrong or missing value is corrected, never kept.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/** The link tables, each with the column its listings filter on. */
const LINKS = [
  { table: 'article_tags', key: 'tag_id', index: 'article_tags_listing' },
  { table: 'article_bylines', key: 'person_id', index: 'article_bylines_listing' },
] as const;

export async function up(db: Db): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const { table, key, index } of LINKS) {
    await db.schema.alterTable(table).addColumn('published_at', 'text').execute();
    await sql
      .raw(`UPDATE ${table} SET published_at = (SELECT a.published_at FROM articles a WHERE a.id = ${table}.article_id)`)
      .execute(db);
    // Walked backwards: newest first, ties broken by the newer story (listPublic's order).
    await db.schema.createIndex(index).on(table).columns([key, 'published_at', 'article_id']).execute();
  }
  if (pg) await upPostgres(db);
  else await upSqlite(db);
}

async function upSqlite(db: Db): Promise<void> {
  const statements = LINKS.flatMap(({ table, key }) => [
    `CREATE TRIGGER ${table}_time_follows AFTER UPDATE OF published_at ON articles
     WHEN old.published_at IS NOT new.published_at BEGIN
       UPDATE ${table} SET published_at = new.published_at WHERE article_id = new.id;
     END`,
    `CREATE TRIGGER ${table}_time_insert AFTER INSERT ON ${table}
     WHEN new.published_at IS NOT (SELECT published_at FROM articles WHERE id = new.article_id) BEGIN
       UPDATE ${table} SET published_at = (SELECT published_at FROM articles WHERE id = new.article_id)
       WHERE article_id = new.article_id AND ${key} = new.${key};
     END`,
    `CREATE TRIGGER ${table}_time_update AFTER UPDATE OF article_id, published_at ON ${table}
     WHEN new.published_at IS NOT (SELECT published_at FROM articles WHERE id = new.article_id) BEGIN
       UPDATE ${table} SET published_at = (SELECT published_at FROM articles WHERE id = new.article_id)
       WHERE article_id = new.article_id AND ${key} = new.${key};
     END`,
  ]);
  for (const statement of statements) await sql.raw(statement).execute(db);
}

async function upPostgres(db: Db): Promise<void> {
  const statements = [
    // A link takes its story's time as it is written.
    `CREATE FUNCTION listing_link_time() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       NEW.published_at := (SELECT a.published_at FROM articles a WHERE a.id = NEW.article_id);
       RETURN NEW;
     END $$`,
    // A story's links follow its time.
    `CREATE FUNCTION listing_article_time() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       UPDATE article_tags SET published_at = NEW.published_at WHERE article_id = NEW.id;
       UPDATE article_bylines SET published_at = NEW.published_at WHERE article_id = NEW.id;
       RETURN NULL;
     END $$`,
    ...LINKS.map(
      ({ table }) =>
        `CREATE TRIGGER ${table}_time BEFORE INSERT OR UPDATE OF article_id, published_at ON ${table}
         FOR EACH ROW EXECUTE FUNCTION listing_link_time()`,
    ),
    `CREATE TRIGGER articles_listing_time AFTER UPDATE OF published_at ON articles FOR EACH ROW
     WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at) EXECUTE FUNCTION listing_article_time()`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Db): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const statements = pg
    ? [
        'DROP TRIGGER articles_listing_time ON articles',
        ...LINKS.map(({ table }) => `DROP TRIGGER ${table}_time ON ${table}`),
        'DROP FUNCTION listing_article_time()',
        'DROP FUNCTION listing_link_time()',
      ]
    : LINKS.flatMap(({ table }) => [`DROP TRIGGER ${table}_time_update`, `DROP TRIGGER ${table}_time_insert`, `DROP TRIGGER ${table}_time_follows`]);
  for (const statement of statements) await sql.raw(statement).execute(db);
  for (const { table, index } of LINKS) {
    await db.schema.dropIndex(index).execute();
    await db.schema.alterTable(table).dropColumn('published_at').execute();
  }
}
