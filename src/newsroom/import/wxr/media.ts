// Images of a WordPress export into the media library: each attachment's file, found in a copy
// of wp-content/uploads, goes through the library's own upload (type sniffed from the bytes,
// variants made, alt text required), so an imported image is like any other.
import { readFile } from 'node:fs/promises';
import { basename, resolve, sep } from 'node:path';
import { uploadImage } from '../../../media/commands.ts';
import { mediaUrl } from '../../../media/picture.ts';
import type { MediaStorage } from '../../../media/storage.ts';
import type { Queryable } from '../../db.ts';
import { NewsroomError } from '../../errors.ts';
import type { MediaImporter } from './importer.ts';

/** The account imported images are filed under: the first admin, else the first account. */
async function uploader(db: Queryable): Promise<{ userId: number; role: 'admin' | 'managing_editor' | 'desk_editor' | 'contributor' } | undefined> {
  const admin = await db.selectFrom('users').select(['id', 'role']).where('role', '=', 'admin').orderBy('id').limit(1).executeTakeFirst();
  const any = admin ?? (await db.selectFrom('users').select(['id', 'role']).orderBy('id').limit(1).executeTakeFirst());
  return any && { userId: any.id, role: any.role };
}

export function wxrMediaImporter(db: Queryable, storage: MediaStorage, uploadsDir: string, maxBytes: number): MediaImporter {
  const root = resolve(uploadsDir);
  return {
    async importImage(file, text) {
      const path = resolve(root, file);
      if (path !== root && !path.startsWith(root + sep)) return { refused: `${file} is outside --media-dir` };
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch {
        return { refused: `${file} is not in --media-dir` };
      }
      const who = await uploader(db);
      if (!who) return { refused: 'there is no account to file images under' };
      try {
        const actor = { ...who, email: '', personId: null };
        const media = await uploadImage(db, storage, actor, { bytes, filename: basename(file), ...text }, { maxBytes });
        return { id: media.id, url: mediaUrl(media) };
      } catch (error) {
        if (error instanceof NewsroomError) return { refused: Object.values(error.fields).join(' ') || error.message };
        throw error;
      }
    },
  };
}
