// Where media files live, behind one small interface so an S3-compatible store can join the
// disk one later. Files are addressed by a content key and a file name; both are checked
// strictly here, so no caller can reach outside the store.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { mediaPath } from './picture.ts';
import { lookupTable } from '../newsroom/lookup.ts';
import { CONTENT_TYPE, FILE_NAME_PATTERN, KEY_PATTERN, type FileFormat } from './types.ts';

export interface StoredFile {
  stream: Readable;
  size: number;
  contentType: string;
}

export interface MediaStorage {
  /** Stores one file of a key, atomically: a reader sees all of it or nothing. */
  put(key: string, name: string, bytes: Uint8Array): Promise<void>;
  /** One file of a key, or undefined when there is no such file (or the names are not valid). */
  get(key: string, name: string): Promise<StoredFile | undefined>;
  /** Removes every file of a key; a key with no files is fine. */
  delete(key: string): Promise<void>;
  /** The public URL of one file. */
  url(key: string, name: string): string;
}

export const isMediaKey = (key: string) => KEY_PATTERN.test(key);
export const isMediaFileName = (name: string) => FILE_NAME_PATTERN.test(name);

const FORMAT_OF_EXTENSION = lookupTable<FileFormat>({ avif: 'avif', webp: 'webp', jpg: 'jpeg', png: 'png' });

/** The content type of a valid file name. */
export function contentTypeOf(name: string): string {
  const format = FORMAT_OF_EXTENSION[name.slice(name.lastIndexOf('.') + 1)];
  if (!format) throw new Error(`Not a media file name: ${name}`);
  return CONTENT_TYPE[format];
}

function check(key: string, name?: string): void {
  if (!isMediaKey(key)) throw new Error(`Not a media key: ${JSON.stringify(key)}`);
  if (name !== undefined && !isMediaFileName(name)) throw new Error(`Not a media file name: ${JSON.stringify(name)}`);
}

/**
 * Files on the local disk: `<root>/<first two hex digits>/<key>/<name>`, so no directory grows
 * to hundreds of thousands of entries. Served by the app itself (src/media/http.ts).
 */
export class DiskStorage implements MediaStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private dir(key: string): string {
    return join(this.root, key.slice(0, 2), key);
  }

  async put(key: string, name: string, bytes: Uint8Array): Promise<void> {
    check(key, name);
    const dir = this.dir(key);
    await mkdir(dir, { recursive: true });
    // A temporary name that is never a valid file name, renamed into place when complete.
    const temporary = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temporary, bytes, { flag: 'wx' });
      await rename(temporary, join(dir, name));
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string, name: string): Promise<StoredFile | undefined> {
    if (!isMediaKey(key) || !isMediaFileName(name)) return undefined;
    let handle;
    try {
      handle = await open(join(this.dir(key), name), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw error;
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) {
        await handle.close();
        return undefined;
      }
      return { stream: handle.createReadStream(), size: stat.size, contentType: contentTypeOf(name) };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    check(key);
    await rm(this.dir(key), { recursive: true, force: true });
    // Tidy the fan-out directory when it is empty; another key may still live there.
    await rmdir(join(this.root, key.slice(0, 2))).catch(() => undefined);
  }

  url(key: string, name: string): string {
    check(key, name);
    return mediaPath(key, name);
  }
}
