// The media table: the only place that reads or writes its rows; nothing hands out raw rows.
import { sql, type Selectable } from 'kysely';
import type { MediaTable } from '../db/schema.ts';
import { toCount, type Queryable } from '../newsroom/db.ts';
import type { AcceptedType, FallbackFormat, Media, MediaFile } from './types.ts';

type Row = Selectable<MediaTable>;

function toMedia(row: Row): Media {
  const files = JSON.parse(row.variants) as MediaFile[];
  const original = files.find((f) => f.original);
  return {
    id: row.id,
    key: row.key,
    originalName: row.original_name,
    mime: row.mime as AcceptedType,
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    alt: row.alt,
    caption: row.caption,
    credit: row.credit,
    fallback: (original?.format === 'png' ? 'png' : 'jpeg') as FallbackFormat,
    files,
    uploadedBy: row.uploaded_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface NewMedia {
  key: string;
  originalName: string;
  mime: AcceptedType;
  width: number;
  height: number;
  bytes: number;
  alt: string;
  caption: string;
  credit: string;
  files: MediaFile[];
  uploadedBy: number | null;
  createdAt: string;
}

export async function insertMedia(db: Queryable, media: NewMedia): Promise<Media> {
  const row = await db
    .insertInto('media')
    .values({
      key: media.key,
      original_name: media.originalName,
      mime: media.mime,
      width: media.width,
      height: media.height,
      bytes: media.bytes,
      alt: media.alt,
      caption: media.caption,
      credit: media.credit,
      variants: JSON.stringify(media.files),
      uploaded_by: media.uploadedBy,
      created_at: media.createdAt,
      updated_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toMedia(row);
}

export async function findMedia(db: Queryable, id: number): Promise<Media | undefined> {
  const row = await db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toMedia(row) : undefined;
}

/** Another upload of the same bytes, whose files can be reused. */
export async function findMediaByKey(db: Queryable, key: string): Promise<Media | undefined> {
  const row = await db.selectFrom('media').selectAll().where('key', '=', key).orderBy('id').limit(1).executeTakeFirst();
  return row ? toMedia(row) : undefined;
}

export async function countMediaWithKey(db: Queryable, key: string): Promise<number> {
  const row = await db.selectFrom('media').select((eb) => eb.fn.countAll().as('n')).where('key', '=', key).executeTakeFirst();
  return toCount(row?.n as string | number | undefined);
}

export async function updateMediaRow(db: Queryable, id: number, text: { alt: string; caption: string; credit: string }, at: string): Promise<void> {
  await db.updateTable('media').set({ alt: text.alt, caption: text.caption, credit: text.credit, updated_at: at }).where('id', '=', id).execute();
}

export async function deleteMediaRow(db: Queryable, id: number): Promise<void> {
  await db.deleteFrom('media').where('id', '=', id).execute();
}

/** `%word%` for LIKE … ESCAPE '\', with the word's own wildcards taken literally. */
const containing = (word: string) => `%${word.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const SEARCHED = ['alt', 'caption', 'credit', 'original_name'] as const;

export interface MediaSearch {
  /** Words that must each appear in the alt text, caption, credit or file name (any case). */
  q?: string;
  uploadedBy?: number;
  limit: number;
  offset: number;
}

/** Newest first. Case-insensitive for ASCII letters on both databases. */
export async function searchMediaRows(db: Queryable, search: MediaSearch): Promise<{ items: Media[]; total: number }> {
  const words = (search.q ?? '').split(/\s+/).filter(Boolean).slice(0, 10);
  let query = db.selectFrom('media');
  for (const word of words) {
    const pattern = containing(word);
    query = query.where((eb) => eb.or(SEARCHED.map((column) => eb(sql`lower(${sql.ref(column)})`, 'like', sql<string>`${pattern} escape '\\'`))));
  }
  if (search.uploadedBy !== undefined) query = query.where('uploaded_by', '=', search.uploadedBy);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(search.limit).offset(search.offset).execute(),
    query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
  ]);
  return { items: rows.map(toMedia), total: toCount(count?.n as string | number | undefined) };
}

export interface MediaUse {
  articleId: number;
  headline: string;
  status: string;
  /** Where the image appears: as the lead image, in the body, or both. */
  as: Array<'lead' | 'body'>;
}

/** Stories (in any status) whose lead image or body shows a file of this key. */
export async function findMediaUses(db: Queryable, key: string): Promise<MediaUse[]> {
  // The key is 32 hex digits: nothing in it needs escaping in a LIKE pattern.
  const needle = `%/media/${key}/%`;
  const rows = await db
    .selectFrom('articles')
    .select(['id', 'headline', 'status', 'lead_image_url', 'body_html'])
    .where((eb) => eb.or([eb('lead_image_url', 'like', needle), eb('body_html', 'like', needle)]))
    .orderBy('id')
    .execute();
  const path = `/media/${key}/`;
  return rows.map((r) => ({
    articleId: r.id,
    headline: r.headline,
    status: r.status,
    as: [...(r.lead_image_url?.includes(path) ? (['lead'] as const) : []), ...(r.body_html.includes(path) ? (['body'] as const) : [])],
  }));
}
