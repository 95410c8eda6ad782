// The whole newsroom as JSON Lines, and back: desks, people, tags, media metadata, stories with
// their bylines, tags, former slugs, revisions and public updates/corrections, static pages,
// redirects, the front page and the site's settings. One line per row, table by table in an
// order where every row comes after what it refers to, with the ids as they were: importing
// an export into an empty newsroom gives the same site, the same URLs and the same ids.
//
// Accounts are not exported (passwords, sessions, tokens and the audit trail stay with the
// instance); rows that name an account (who uploaded, who wrote a revision) lose that name.
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Database } from '../db.ts';
import { migrations } from '../../db/migrations/index.ts';
import { recordChange, TAGS } from '../changes.ts';

export const EXPORT_FORMAT = 'dateline-export';
export const EXPORT_VERSION = 1;

type TableName = keyof Database;

interface TableSpec {
  table: TableName;
  /** Ordering that pages through the table. */
  order: string[];
  /** Columns naming an account: exported as null. */
  accountColumns?: string[];
  /** Rows left out. */
  skip?: (row: Record<string, unknown>) => boolean;
  /** Has an integer id from a sequence (PostgreSQL needs it moved past the imported ids). */
  serial?: boolean;
}

/** Every exported table, parents first. */
export const TABLES: TableSpec[] = [
  // Secrets (the cookie key) belong to an instance, not to its content.
  { table: 'settings', order: ['key'], skip: (row) => /secret|token|password/i.test(String(row.key)) },
  { table: 'desks', order: ['id'], serial: true },
  { table: 'desk_slugs', order: ['slug'] },
  { table: 'people', order: ['id'], serial: true },
  { table: 'desk_editors', order: ['desk_id', 'person_id'] },
  { table: 'tags', order: ['id'], serial: true },
  { table: 'media', order: ['id'], accountColumns: ['uploaded_by'], serial: true },
  { table: 'articles', order: ['id'], accountColumns: ['created_by'], serial: true },
  { table: 'article_slugs', order: ['slug'] },
  { table: 'article_bylines', order: ['article_id', 'position'] },
  { table: 'article_tags', order: ['article_id', 'position'] },
  { table: 'revisions', order: ['id'], accountColumns: ['user_id'], serial: true },
  { table: 'article_events', order: ['id'], accountColumns: ['user_id'], serial: true },
  { table: 'front_page', order: ['position'] },
  { table: 'breaking_news', order: ['id'], accountColumns: ['created_by'], serial: true },
  { table: 'static_pages', order: ['id'], serial: true },
  { table: 'legacy_redirects', order: ['path'] },
  { table: 'import_keys', order: ['source', 'kind', 'key'] },
];

export interface ExportHeader {
  type: 'header';
  format: typeof EXPORT_FORMAT;
  version: number;
  createdAt: string;
  /** The latest migration of the exporting schema. */
  schema: string;
}

export interface ExportCounts {
  [table: string]: number;
}

const PAGE = 1000;
const latestMigration = () => Object.keys(migrations).sort().at(-1) ?? '';

/** Writes the export line by line (each without its newline); returns the rows per table. */
export async function exportJsonl(db: Kysely<Database>, write: (line: string) => void | Promise<void>, now = new Date()): Promise<ExportCounts> {
  const header: ExportHeader = { type: 'header', format: EXPORT_FORMAT, version: EXPORT_VERSION, createdAt: now.toISOString(), schema: latestMigration() };
  await write(JSON.stringify(header));
  const counts: ExportCounts = {};
  // One transaction: a consistent moment, even while the site writes.
  await db.transaction().execute(async (trx) => {
    for (const spec of TABLES) {
      counts[spec.table] = 0;
      for (let offset = 0; ; offset += PAGE) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        let query = (trx as Kysely<any>).selectFrom(spec.table).selectAll();
        for (const column of spec.order) query = query.orderBy(column);
        const rows = (await query.limit(PAGE).offset(offset).execute()) as Array<Record<string, unknown>>;
        for (const row of rows) {
          if (spec.skip?.(row)) continue;
          for (const column of spec.accountColumns ?? []) if (column in row) row[column] = null;
          await write(JSON.stringify({ type: spec.table, row }));
          counts[spec.table] = (counts[spec.table] ?? 0) + 1;
        }
        if (rows.length < PAGE) break;
      }
    }
  });
  return counts;
}

export class ExportFileError extends Error {}

/** Tables that must be empty for an import: it brings the ids with it. */
const CONTENT_TABLES: TableName[] = ['desks', 'people', 'tags', 'articles', 'static_pages', 'media'];

/**
 * Loads an export into an empty newsroom, in one transaction: a bad line, a foreign file or a
 * newer schema changes nothing. Returns the rows per table.
 */
export async function importExport(db: Kysely<Database>, lines: AsyncIterable<string> | Iterable<string>): Promise<ExportCounts> {
  const known = new Map(TABLES.map((t) => [t.table as string, t]));
  const counts: ExportCounts = {};
  await db.transaction().execute(async (trx) => {
    for (const table of CONTENT_TABLES) {
      const row = await trx.selectFrom(table).select(sql<number>`1`.as('one')).limit(1).executeTakeFirst();
      if (row) throw new ExportFileError(`the newsroom is not empty (it has ${table}); import an export into a new, empty one`);
    }
    let header: ExportHeader | undefined;
    let lineNumber = 0;
    let pending: { table: string; rows: Array<Record<string, unknown>> } | undefined;
    const flush = async () => {
      if (!pending || pending.rows.length === 0) return;
      const { table, rows } = pending;
      pending = undefined;
      if (table === 'settings') {
        for (const row of rows) {
          await trx
            .insertInto('settings')
            .values(row as { key: string; value: string })
            .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(row.value) }))
            .execute();
        }
      } else {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        await (trx as Kysely<any>).insertInto(table).values(rows).execute();
      }
      counts[table] = (counts[table] ?? 0) + rows.length;
    };
    for await (const raw of lines) {
      lineNumber++;
      const text = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      let record: { type?: unknown; row?: unknown };
      try {
        record = JSON.parse(text) as { type?: unknown; row?: unknown };
      } catch {
        throw new ExportFileError(`line ${lineNumber}: not valid JSON`);
      }
      if (!header) {
        const h = record as Partial<ExportHeader>;
        if (h.type !== 'header' || h.format !== EXPORT_FORMAT) throw new ExportFileError(`line ${lineNumber}: not a Dateline export (it does not start with its header)`);
        if ((h.version ?? 0) > EXPORT_VERSION || String(h.schema ?? '') > latestMigration()) {
          throw new ExportFileError('the export comes from a newer Dateline; update this one first');
        }
        header = h as ExportHeader;
        continue;
      }
      const table = String(record.type);
      if (!known.has(table) || typeof record.row !== 'object' || record.row === null) throw new ExportFileError(`line ${lineNumber}: unknown record "${table.slice(0, 40)}"`);
      if (pending && pending.table !== table) await flush();
      pending ??= { table, rows: [] };
      pending.rows.push(record.row as Record<string, unknown>);
      // Small enough for every database's limit on statement parameters.
      if (pending.rows.length >= 100) await flush();
    }
    await flush();
    if (!header) throw new ExportFileError('the file is empty');
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      for (const spec of TABLES) {
        if (!spec.serial || !counts[spec.table]) continue;
        await sql`SELECT setval(pg_get_serial_sequence(${spec.table}, 'id'), (SELECT MAX(id) FROM ${sql.table(spec.table)}))`.execute(trx);
      }
    }
    await recordChange(trx, [TAGS.site]);
  });
  return counts;
}
