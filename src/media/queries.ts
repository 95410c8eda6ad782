// Reading the media library: one image, a search, where an image is used, and what a page
// needs to show it.
import type { Queryable } from '../newsroom/db.ts';
import { notFound } from '../newsroom/errors.ts';
import { pictureForMedia, type PictureData } from './picture.ts';
import { findMedia, findMediaUses, searchMediaRows, type MediaUse } from './repository.ts';
import type { Media } from './types.ts';

export type { MediaUse };

export async function getMedia(db: Queryable, id: number): Promise<Media> {
  const media = await findMedia(db, id);
  if (!media) throw notFound('That image');
  return media;
}

export const MAX_PAGE = 100;

export interface MediaPage {
  items: Media[];
  total: number;
  more: boolean;
}

/**
 * The library, newest first; `q` keeps images whose alt text, caption, credit or file name
 * contain every word (any case for ASCII letters, on both databases).
 */
export async function searchMedia(db: Queryable, search: { q?: string; limit?: number; offset?: number; uploadedBy?: number } = {}): Promise<MediaPage> {
  const limit = Math.min(Math.max(1, Math.trunc(search.limit ?? 30)), MAX_PAGE);
  const offset = Math.max(0, Math.trunc(search.offset ?? 0));
  const { items, total } = await searchMediaRows(db, { q: search.q, uploadedBy: search.uploadedBy, limit, offset });
  return { items, total, more: offset + items.length < total };
}

/** Stories (any status) that show this image as lead image or in the body. */
export const mediaUses = (db: Queryable, media: Pick<Media, 'key'>): Promise<MediaUse[]> => findMediaUses(db, media.key);

/** What `<picture>` needs for a library image, for the given `sizes`. */
export async function pictureForMediaId(db: Queryable, id: number, sizes?: string): Promise<PictureData & { alt: string }> {
  const media = await getMedia(db, id);
  return { ...pictureForMedia(media, sizes), alt: media.alt };
}
