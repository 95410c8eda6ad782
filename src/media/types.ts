// The media library's vocabulary: what an uploaded image is, the files made from it, and the
// limits every upload is held to.

/** The image types we accept, as sniffed from the bytes (never from the name or the header). */
export const ACCEPTED_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif'] as const;
export type AcceptedType = (typeof ACCEPTED_TYPES)[number];

/** Formats of the stored files. `jpeg` or `png` is the fallback every browser shows. */
export type FileFormat = 'avif' | 'webp' | 'jpeg' | 'png';
export type FallbackFormat = 'jpeg' | 'png';

export const EXTENSION: Record<FileFormat, string> = { avif: 'avif', webp: 'webp', jpeg: 'jpg', png: 'png' };
export const CONTENT_TYPE: Record<FileFormat, string> = { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg', png: 'image/png' };

/** One stored file of an image: the normalised original or a resized variant. */
export interface MediaFile {
  /** File name under the image's key: `original.jpg`, `960x640.avif` … */
  name: string;
  format: FileFormat;
  width: number;
  height: number;
  bytes: number;
  /** The normalised full-size original (metadata stripped, upright, sRGB). */
  original?: true;
}

export interface Media {
  id: number;
  /** Content address (32 hex digits) under which the files are stored. */
  key: string;
  originalName: string;
  /** What the upload really was. */
  mime: AcceptedType;
  /** Of the stored original, upright. */
  width: number;
  height: number;
  /** Size of the upload as sent. */
  bytes: number;
  alt: string;
  caption: string;
  credit: string;
  fallback: FallbackFormat;
  files: MediaFile[];
  uploadedBy: number | null;
  createdAt: string;
  updatedAt: string | null;
}

export const MEDIA_LIMITS = {
  alt: 300,
  caption: 1000,
  credit: 200,
  filename: 255,
  /** Longest side of an upload, in pixels. */
  side: 12_000,
  /** Pixels of an upload (width × height): refuses decompression bombs before decoding. */
  pixels: 100_000_000,
} as const;

/** Widths of the responsive variants; an image is never made larger than it is. */
export const VARIANT_WIDTHS = [320, 640, 960, 1280, 1920] as const;
/** Formats of every variant width: modern first, the fallback last. */
export const MODERN_FORMATS = ['avif', 'webp'] as const;

export const KEY_PATTERN = /^[0-9a-f]{32}$/;
/** `original.jpg` or `<width>x<height>.<ext>`: the only names a key's files may have. */
export const FILE_NAME_PATTERN = /^(?:original|[1-9][0-9]{0,4}x[1-9][0-9]{0,4})\.(?:avif|webp|jpg|png)$/;
