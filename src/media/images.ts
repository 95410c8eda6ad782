// Image handling with sharp: what an upload really is (sniffed from its bytes), whether we take
// it, and the files we keep: a normalised original and responsive variants, each upright, in
// sRGB and without any metadata (EXIF, GPS, XMP, IPTC, ICC, comments).
import { createHash } from 'node:crypto';
import type { Metadata, Sharp, default as SharpFunction } from 'sharp';

/**
 * sharp (libvips) is loaded at the first image handled: it adds about 15 MB to every process,
 * and a reader-facing server may never process an image.
 */
let library: Promise<typeof SharpFunction> | undefined;
const sharpLibrary = () => (library ??= import('sharp').then((m) => m.default));
import { originalName, variantName, variantSizes } from './picture.ts';
import { lookupTable } from '../newsroom/lookup.ts';
import { MEDIA_LIMITS, MODERN_FORMATS, type AcceptedType, type FallbackFormat, type FileFormat, type MediaFile } from './types.ts';

/** Bump when the files made from an upload change, so new uploads get new keys (and URLs). */
const PIPELINE_VERSION = 'dateline-media-1';

const ACCEPTED_LIST = 'upload JPEG, PNG, WebP or AVIF';

/** What the bytes say the file is: an accepted type, or a refusal naming what it is. */
export type Sniffed = { type: AcceptedType } | { refused: string };

const ascii = (bytes: Uint8Array, start: number, end: number) => Buffer.from(bytes.subarray(start, end)).toString('latin1');

/** The brands of an ISO-BMFF `ftyp` box (HEIF, AVIF, MP4 …), or undefined for another file. */
function ftypBrands(bytes: Uint8Array): string[] | undefined {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== 'ftyp') return undefined;
  const size = Math.min(Buffer.from(bytes.subarray(0, 4)).readUInt32BE(0), bytes.length, 512);
  const brands = [ascii(bytes, 8, 12)];
  for (let at = 16; at + 4 <= size; at += 4) brands.push(ascii(bytes, at, at + 4));
  return brands;
}

const EXTENSIONS = lookupTable<string>({ jpg: 'a JPEG', jpeg: 'a JPEG', png: 'a PNG', webp: 'a WebP image', avif: 'an AVIF image' });

/**
 * The real type of a file from its first bytes. Only the four accepted types ever reach the
 * image decoder; everything else is named in the refusal when we recognise it.
 */
export function sniffType(bytes: Uint8Array, filename = ''): Sniffed {
  const b = bytes;
  const starts = (...sig: number[]) => sig.every((v, i) => b[i] === v);
  if (starts(0xff, 0xd8, 0xff)) return { type: 'image/jpeg' };
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { type: 'image/png' };
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return { type: 'image/webp' };
  const brands = ftypBrands(b);
  if (brands?.some((brand) => brand === 'avif' || brand === 'avis')) return { type: 'image/avif' };
  const is = (what: string) => ({ refused: `This file is ${what}; ${ACCEPTED_LIST}.` });
  if (brands?.some((brand) => ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(brand))) return is('a HEIC image (as iPhones take them)');
  if (brands) return is('a video or another ISO media file, not a still image');
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return is('a GIF');
  if (ascii(b, 0, 5) === '%PDF-') return is('a PDF document');
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return is('a TIFF image (or a camera raw file)');
  if (ascii(b, 0, 2) === 'BM') return is('a BMP image');
  if (starts(0xff, 0x0a) || starts(0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20)) return is('a JPEG XL image');
  if (starts(0x00, 0x00, 0x01, 0x00)) return is('an icon (ICO)');
  if (ascii(b, 0, 4) === '8BPS') return is('a Photoshop document');
  if (starts(0x50, 0x4b, 0x03, 0x04)) return is('a ZIP archive (or an office document)');
  const head = Buffer.from(b.subarray(0, 1024)).toString('utf8').replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return is('an SVG drawing');
  const extension = /\.([a-z]+)$/i.exec(filename)?.[1]?.toLowerCase();
  const claimed = extension ? EXTENSIONS[extension] : undefined;
  if (claimed) return { refused: `This file is not an image: its name ends in .${extension}, but it is not ${claimed}; ${ACCEPTED_LIST}.` };
  return { refused: `This file is not an image we can read; ${ACCEPTED_LIST}.` };
}

const SHARP_FORMAT: Record<AcceptedType, string> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp', 'image/avif': 'heif' };
const NAME: Record<AcceptedType, string> = { 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'image/webp': 'WebP image', 'image/avif': 'AVIF image' };

const decoderOptions = { failOn: 'error', limitInputPixels: MEDIA_LIMITS.pixels, autoOrient: true } as const;

export interface Inspected {
  type: AcceptedType;
  /** Upright size (EXIF orientation applied). */
  width: number;
  height: number;
  /** Some pixel is not fully opaque: the fallback must be PNG. */
  transparent: boolean;
  greyscale: boolean;
}

const thousands = (n: number) => n.toLocaleString('en');

/**
 * Reads the image header and checks it against the limits, without decoding the pixels of
 * an oversized image. Returns the refusal message instead when the image is not acceptable.
 */
export async function inspectImage(bytes: Uint8Array, type: AcceptedType): Promise<Inspected | { refused: string }> {
  const unreadable = { refused: `This file looks like a ${NAME[type]} but cannot be read: it may be damaged or cut short. Save it again and retry, or ${ACCEPTED_LIST}.` };
  let meta: Metadata;
  try {
    meta = await (await sharpLibrary())(bytes, { ...decoderOptions, limitInputPixels: false }).metadata();
  } catch {
    return unreadable;
  }
  if (meta.format !== SHARP_FORMAT[type] || (type === 'image/avif' && meta.compression !== 'av1')) return unreadable;
  if ((meta.pages ?? 1) > 1) return { refused: `This is an animated image; upload a still JPEG, PNG, WebP or AVIF.` };
  const { width, height } = meta;
  if (!width || !height) return unreadable;
  if (width > MEDIA_LIMITS.side || height > MEDIA_LIMITS.side) {
    return { refused: `This image is ${thousands(width)} × ${thousands(height)} pixels; the largest we accept is ${thousands(MEDIA_LIMITS.side)} pixels a side. Make it smaller and try again.` };
  }
  if (width * height > MEDIA_LIMITS.pixels) {
    return { refused: `This image has ${Math.round((width * height) / 1e6)} megapixels; the most we accept is ${MEDIA_LIMITS.pixels / 1e6}. Make it smaller and try again.` };
  }
  let transparent = false;
  if (meta.hasAlpha) {
    try {
      transparent = !(await (await sharpLibrary())(bytes, decoderOptions).stats()).isOpaque;
    } catch {
      return unreadable;
    }
  }
  const upright = meta.autoOrient ?? { width, height };
  return { type, width: upright.width, height: upright.height, transparent, greyscale: meta.space === 'b-w' || meta.space === 'grey16' };
}

/** The content address of an upload: the same bytes always give the same key and URLs. */
export const mediaKey = (bytes: Uint8Array) => createHash('sha256').update(PIPELINE_VERSION).update(bytes).digest('hex').slice(0, 32);

export interface MadeFile extends MediaFile {
  data: Buffer;
}

function encode(pipeline: Sharp, format: FileFormat, original: boolean): Sharp {
  switch (format) {
    case 'avif':
      return pipeline.avif({ quality: 55, effort: 3 });
    case 'webp':
      return pipeline.webp({ quality: 78, effort: 4 });
    case 'jpeg':
      return pipeline.jpeg({ quality: original ? 90 : 80, mozjpeg: true });
    case 'png':
      return pipeline.png({ compressionLevel: 9, adaptiveFiltering: true });
  }
}

/**
 * Makes every file of an image: the original at full size in the fallback format (JPEG for
 * photos, PNG when something is transparent), and at each variant width AVIF, WebP and the
 * fallback. sharp writes no metadata unless asked, and converts to sRGB: nothing of the
 * camera, the place or the editing software survives.
 */
export async function makeFiles(bytes: Uint8Array, image: Inspected): Promise<{ fallback: FallbackFormat; files: MadeFile[] }> {
  await slots.take();
  try {
    return await makeFilesNow(bytes, image);
  } finally {
    slots.give();
  }
}

/**
 * Images processed at once: each takes seconds of CPU and tens of megabytes, and sharp already
 * uses every core for one image, so further uploads wait their turn rather than all slow down.
 */
const slots = (() => {
  const waiting: Array<() => void> = [];
  let free = 2;
  return {
    take: () => (free > 0 ? (free--, Promise.resolve()) : new Promise<void>((resolve) => waiting.push(resolve))),
    give: () => {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
})();

async function makeFilesNow(bytes: Uint8Array, image: Inspected): Promise<{ fallback: FallbackFormat; files: MadeFile[] }> {
  const fallback: FallbackFormat = image.transparent ? 'png' : 'jpeg';
  const sharp = await sharpLibrary();
  const decoded = () => {
    const p = sharp(bytes, decoderOptions).toColourspace(image.greyscale ? 'b-w' : 'srgb');
    return image.transparent ? p : p.removeAlpha();
  };
  const file = async (pipeline: Sharp, format: FileFormat, width: number, height: number, name: string, original: boolean): Promise<MadeFile> => {
    const data = await encode(pipeline, format, original).toBuffer();
    return { name, format, width, height, bytes: data.length, data, ...(original ? { original: true as const } : {}) };
  };
  const files: MadeFile[] = [await file(decoded(), fallback, image.width, image.height, originalName(fallback), true)];
  // The upload is decoded once more, to the largest variant's size; every variant is made from
  // those pixels (at most 1920 px wide), not by decoding the upload fifteen times.
  const sizes = variantSizes(image.width, image.height);
  const top = sizes[sizes.length - 1]!;
  const resized = decoded().resize({ width: top.width, height: top.height, fit: 'fill' });
  const { data: pixels, info } = await resized.raw().toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels };
  for (const size of sizes) {
    for (const format of [...MODERN_FORMATS, fallback]) {
      const pipeline = sharp(pixels, { raw }).toColourspace(image.greyscale ? 'b-w' : 'srgb');
      const sized = size.width === top.width ? pipeline : pipeline.resize({ width: size.width, height: size.height, fit: 'fill' });
      files.push(await file(sized, format, size.width, size.height, variantName(size, format), false));
    }
  }
  return { fallback, files };
}
