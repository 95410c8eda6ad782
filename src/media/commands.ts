// The media library's commands: upload, fix the text, delete. Each checks the policy first and
// leaves nothing half-done: a refused upload stores no file and no row.
import type { Actor } from '../newsroom/auth/types.ts';
import type { Queryable } from '../newsroom/db.ts';
import { invalid, NewsroomError } from '../newsroom/errors.ts';
import { inspectImage, makeFiles, mediaKey, sniffType, type MadeFile } from './images.ts';
import { canDeleteMedia, canEditMediaText, canUploadMedia } from './policy.ts';
import { getMedia } from './queries.ts';
import { countMediaWithKey, deleteMediaRow, findMediaByKey, findMediaUses, insertMedia, updateMediaRow, type MediaUse } from './repository.ts';
import type { MediaStorage } from './storage.ts';
import { MEDIA_LIMITS, type Media } from './types.ts';

export interface MediaText {
  alt?: string;
  caption?: string;
  credit?: string;
}

export interface UploadInput extends MediaText {
  bytes: Uint8Array;
  filename?: string;
}

export interface UploadOptions {
  /** The largest upload accepted, in bytes (config.mediaMaxBytes). */
  maxBytes: number;
  now?: Date;
}

/** "20 MB", "1.5 MB", "98 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) {
    const mb = bytes / (1024 * 1024);
    return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  }
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** The 413 for an upload over the limit; `size` when known (a streamed upload stops at the limit). */
export function tooLarge(maxBytes: number, size?: number): NewsroomError {
  const what = size === undefined ? `This file is larger than ${formatBytes(maxBytes)}` : `This file is ${formatBytes(size)}`;
  return new NewsroomError('payload_too_large', `${what}; the largest image we accept is ${formatBytes(maxBytes)}. Make it smaller (for example 4,000 pixels wide as a JPEG) and try again.`, {
    file: `The largest image we accept is ${formatBytes(maxBytes)}.`,
  });
}

// PostgreSQL cannot store NUL, and no caption needs control characters: they become spaces.
// eslint-disable-next-line no-control-regex
const oneLine = (s: string | undefined) => (s ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();

/** Checks alt text, caption and credit; every problem is reported at once, by field. */
function cleanText(input: MediaText, problems: Record<string, string>): { alt: string; caption: string; credit: string } {
  const alt = oneLine(input.alt);
  const caption = oneLine(input.caption);
  const credit = oneLine(input.credit);
  if (!alt) problems.alt = 'Describe the image in the alt text, for readers who cannot see it.';
  else if (alt.length > MEDIA_LIMITS.alt) problems.alt = `The alt text is ${alt.length} characters; keep it to ${MEDIA_LIMITS.alt} (put the rest in the caption).`;
  if (caption.length > MEDIA_LIMITS.caption) problems.caption = `The caption is ${caption.length} characters; keep it to ${MEDIA_LIMITS.caption}.`;
  if (credit.length > MEDIA_LIMITS.credit) problems.credit = `The credit is ${credit.length} characters; keep it to ${MEDIA_LIMITS.credit}.`;
  return { alt, caption, credit };
}

/** The file name as the uploader's computer had it, without any folders. */
function cleanFilename(name: string | undefined): string {
  const base = oneLine((name ?? '').split(/[\\/]/).pop());
  return base.length > MEDIA_LIMITS.filename ? base.slice(0, MEDIA_LIMITS.filename) : base;
}

/**
 * Adds an image to the library. Any signed-in role may. The type comes from the bytes, not the
 * name; the stored files are made from the upload (upright, sRGB, no metadata), never the
 * upload itself. Pass the database, not a transaction: files are written outside it, and
 * removed again when the row cannot be stored.
 */
export async function uploadImage(db: Queryable, storage: MediaStorage, actor: Actor, input: UploadInput, options: UploadOptions): Promise<Media> {
  if (!canUploadMedia(actor)) throw new NewsroomError('forbidden', 'You may not upload images.');
  if (input.bytes.length > options.maxBytes) throw tooLarge(options.maxBytes, input.bytes.length);
  const problems: Record<string, string> = {};
  let sniffed: ReturnType<typeof sniffType> | undefined;
  if (input.bytes.length === 0) problems.file = 'Choose an image to upload (JPEG, PNG, WebP or AVIF).';
  else {
    sniffed = sniffType(input.bytes, input.filename);
    if ('refused' in sniffed) problems.file = sniffed.refused;
  }
  const text = cleanText(input, problems);
  // Only a file of an accepted type reaches the decoder.
  const inspected = sniffed && 'type' in sniffed ? await inspectImage(input.bytes, sniffed.type) : undefined;
  if (inspected && 'refused' in inspected) problems.file = inspected.refused;
  if (Object.keys(problems).length > 0 || !inspected || 'refused' in inspected) {
    // `file` first: it is what the uploader has to change most.
    const ordered = problems.file ? { file: problems.file, ...problems } : problems;
    throw invalid(ordered);
  }

  const key = mediaKey(input.bytes);
  // The same bytes uploaded before: its files serve this upload too (with its own text).
  const twin = await findMediaByKey(db, key);
  let made: MadeFile[] = [];
  if (!twin) {
    try {
      made = (await makeFiles(input.bytes, inspected)).files;
    } catch {
      throw invalid({ file: `This ${inspected.type.replace('image/', '').toUpperCase()} could not be read to the end: it may be damaged. Save it again and retry.` });
    }
  }
  const files = twin ? twin.files : made.map(({ data: _data, ...file }) => file);
  // The row first, then the files: a concurrent delete of a twin sees this row and keeps them.
  const media = await insertMedia(db, {
    key,
    originalName: cleanFilename(input.filename),
    mime: inspected.type,
    width: twin ? twin.width : inspected.width,
    height: twin ? twin.height : inspected.height,
    bytes: input.bytes.length,
    ...text,
    files,
    uploadedBy: actor.userId,
    createdAt: (options.now ?? new Date()).toISOString(),
  });
  try {
    for (const file of made) await storage.put(key, file.name, file.data);
  } catch (error) {
    await deleteMediaRow(db, media.id);
    if ((await countMediaWithKey(db, key)) === 0) await storage.delete(key);
    throw error;
  }
  return media;
}

/** Changes an image's alt text, caption or credit (what is given); the uploader or an editor may. */
export async function updateMediaText(db: Queryable, actor: Actor, id: number, input: MediaText, now = new Date()): Promise<Media> {
  const media = await getMedia(db, id);
  if (!canEditMediaText(actor, media)) throw new NewsroomError('forbidden', 'Only the person who uploaded this image, or an editor, may change its text.');
  const problems: Record<string, string> = {};
  const text = cleanText({ alt: input.alt ?? media.alt, caption: input.caption ?? media.caption, credit: input.credit ?? media.credit }, problems);
  if (Object.keys(problems).length > 0) throw invalid(problems);
  await updateMediaRow(db, id, text, now.toISOString());
  return getMedia(db, id);
}

export interface DeleteResult {
  /** The files went too (false when another upload of the same file still uses them). */
  filesRemoved: boolean;
  /** Stories that still show the image (only when deleted with force). */
  usedBy: MediaUse[];
}

/**
 * Removes an image from the library; editors only. While a story (in any status) shows it as
 * lead image or in its body, the delete is refused with 409 and the list of stories, unless
 * `force` is set (say, a takedown that cannot wait): then the stories lose the image.
 */
export async function deleteMedia(db: Queryable, storage: MediaStorage, actor: Actor, id: number, options: { force?: boolean } = {}): Promise<DeleteResult> {
  if (!canDeleteMedia(actor)) throw new NewsroomError('forbidden', 'Only editors may delete images from the library.');
  const media = await getMedia(db, id);
  const shared = (await countMediaWithKey(db, media.key)) > 1;
  const usedBy = shared ? [] : await findMediaUses(db, media.key);
  if (usedBy.length > 0 && !options.force) {
    const count = usedBy.length === 1 ? 'a story' : `${usedBy.length} stories`;
    throw new NewsroomError('conflict', `This image is used by ${count}. Replace it there first, or delete it anyway (force) and those stories lose it.`, {}, { usedBy });
  }
  await deleteMediaRow(db, id);
  // Files go only with the last upload that uses them.
  const filesRemoved = (await countMediaWithKey(db, media.key)) === 0;
  if (filesRemoved) await storage.delete(media.key);
  return { filesRemoved, usedBy };
}
