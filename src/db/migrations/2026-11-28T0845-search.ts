// Frozen: full-text search over articles. Never edit; add a new migration instead.
//
// The index holds every article's text whatever its status; search filters results through the
// visibility rule at query time, so a scheduled or embargoed story becomes findable the moment it
// becomes visible, and an unpublished one disappears the moment it is unpublished, with no
// reindexing. Triggers on `articles` keep the index in step with every write (editor, workflow,
// importer, seed) in the same transaction.
//
// SQLite: two FTS5 tables with `articles` as external content (no second copy of the text):
//   search_head (headline, dek) — small, ranked with bm25 for the headline and dek tiers;
//   search_fts (headline, dek, body_html) — everything, probed for body matches and snippets.
// The body is indexed as stored HTML (SQLite has no way to strip tags inside a trigger); the
// markup's few words are left out of queries and out of snippets by src/search.
//
// PostgreSQL: article_search holds weighted tsvectors (headline A, dek B, body C, tags stripped),
// kept by a trigger, with GIN indexes.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

const TOKENIZE = `tokenize = 'porter unicode61 remove_diacritics 2'`;

export async function up(db: Db): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await upPostgres(db);
  else await upSqlite(db);
}

async function upSqlite(db: Db): Promise<void> {
  await sql.raw(`CREATE VIRTUAL TABLE search_head USING fts5(headline, dek, content = 'articles', content_rowid = 'id', ${TOKENIZE})`).execute(db);
  // No bm25 runs on the big table, so it keeps no per-row column sizes.
  await sql
    .raw(`CREATE VIRTUAL TABLE search_fts USING fts5(headline, dek, body_html, content = 'articles', content_rowid = 'id', columnsize = 0, ${TOKENIZE})`)
    .execute(db);
  const statements = [
    `CREATE TRIGGER search_articles_insert AFTER INSERT ON articles BEGIN
       INSERT INTO search_head (rowid, headline, dek) VALUES (new.id, new.headline, new.dek);
       INSERT INTO search_fts (rowid, headline, dek, body_html) VALUES (new.id, new.headline, new.dek, new.body_html);
     END`,
    `CREATE TRIGGER search_articles_delete AFTER DELETE ON articles BEGIN
       INSERT INTO search_head (search_head, rowid, headline, dek) VALUES ('delete', old.id, old.headline, old.dek);
       INSERT INTO search_fts (search_fts, rowid, headline, dek, body_html) VALUES ('delete', old.id, old.headline, old.dek, old.body_html);
     END`,
    // Only a change of the text reindexes: status, times and the rest leave the index alone.
    `CREATE TRIGGER search_articles_update_head AFTER UPDATE OF headline, dek ON articles
     WHEN old.headline IS NOT new.headline OR old.dek IS NOT new.dek BEGIN
       INSERT INTO search_head (search_head, rowid, headline, dek) VALUES ('delete', old.id, old.headline, old.dek);
       INSERT INTO search_head (rowid, headline, dek) VALUES (new.id, new.headline, new.dek);
     END`,
    `CREATE TRIGGER search_articles_update_text AFTER UPDATE OF headline, dek, body_html ON articles
     WHEN old.headline IS NOT new.headline OR old.dek IS NOT new.dek OR old.body_html IS NOT new.body_html BEGIN
       INSERT INTO search_fts (search_fts, rowid, headline, dek, body_html) VALUES ('delete', old.id, old.headline, old.dek, old.body_html);
       INSERT INTO search_fts (rowid, headline, dek, body_html) VALUES (new.id, new.headline, new.dek, new.body_html);
     END`,
    `INSERT INTO search_head (search_head) VALUES ('rebuild')`,
    `INSERT INTO search_fts (search_fts) VALUES ('rebuild')`,
    // Visibility and filters read from these instead of the article rows, whose status and times
    // sit behind the body on overflow pages: one for lookups by id (from FTS matches), one for
    // walking public stories newest first.
    `CREATE INDEX articles_search_lookup ON articles (id, status, published_at, embargo_until, desk_id)`,
    `CREATE INDEX articles_search_recent ON articles (status, published_at, embargo_until, desk_id)`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** Body HTML to text inside PostgreSQL: tags become spaces, the entities sanitizing writes are decoded. */
const PG_BODY_TEXT = `replace(replace(replace(replace(replace(replace(
  regexp_replace(body, '<[^>]*>', ' ', 'g'),
  '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&')`;

async function upPostgres(db: Db): Promise<void> {
  const statements = [
    `CREATE FUNCTION search_body_text(body text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ${PG_BODY_TEXT} $$`,
    `CREATE TABLE article_search (
       article_id integer PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
       head tsvector NOT NULL,
       document tsvector NOT NULL
     )`,
    `CREATE INDEX article_search_head ON article_search USING gin (head)`,
    `CREATE INDEX article_search_document ON article_search USING gin (document)`,
    `CREATE FUNCTION search_index_article() RETURNS trigger LANGUAGE plpgsql AS $$
     DECLARE
       head tsvector := setweight(to_tsvector('english', NEW.headline), 'A') || setweight(to_tsvector('english', NEW.dek), 'B');
     BEGIN
       INSERT INTO article_search (article_id, head, document)
       VALUES (NEW.id, head, head || setweight(to_tsvector('english', search_body_text(NEW.body_html)), 'C'))
       ON CONFLICT (article_id) DO UPDATE SET head = EXCLUDED.head, document = EXCLUDED.document;
       RETURN NULL;
     END $$`,
    `CREATE TRIGGER search_articles_insert AFTER INSERT ON articles FOR EACH ROW EXECUTE FUNCTION search_index_article()`,
    `CREATE TRIGGER search_articles_update AFTER UPDATE OF headline, dek, body_html ON articles FOR EACH ROW
     WHEN (OLD.headline IS DISTINCT FROM NEW.headline OR OLD.dek IS DISTINCT FROM NEW.dek OR OLD.body_html IS DISTINCT FROM NEW.body_html)
     EXECUTE FUNCTION search_index_article()`,
    `INSERT INTO article_search (article_id, head, document)
     SELECT id, h, h || setweight(to_tsvector('english', search_body_text(body_html)), 'C')
     FROM (SELECT id, body_html, setweight(to_tsvector('english', headline), 'A') || setweight(to_tsvector('english', dek), 'B') AS h FROM articles) a`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Db): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const statement of [
      'DROP TRIGGER search_articles_update ON articles',
      'DROP TRIGGER search_articles_insert ON articles',
      'DROP FUNCTION search_index_article()',
      'DROP TABLE article_search',
      'DROP FUNCTION search_body_text(text)',
    ]) {
      await sql.raw(statement).execute(db);
    }
    return;
  }
  for (const statement of [
    'DROP INDEX articles_search_recent',
    'DROP INDEX articles_search_lookup',
    'DROP TRIGGER search_articles_update_text',
    'DROP TRIGGER search_articles_update_head',
    'DROP TRIGGER search_articles_delete',
    'DROP TRIGGER search_articles_insert',
    'DROP TABLE search_fts',
    'DROP TABLE search_head',
  ]) {
    await sql.raw(statement).execute(db);
  }
}
