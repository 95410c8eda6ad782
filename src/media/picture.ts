// What a page needs to show a library image responsively: which variants exist, their URLs,
// `srcset` per format and the fallback `<img>`. Pure functions, no I/O, no sharp: views import
// this. The variant set is a function of the image's size alone, so a media URL such as
// `/media/<key>/1920x1280.jpg` (the largest fallback variant) says everything needed to list
// its siblings, and a lead image stored as a plain URL still gets a full `<picture>`.
import { CONTENT_TYPE, EXTENSION, MODERN_FORMATS, VARIANT_WIDTHS, type FallbackFormat, type FileFormat, type Media } from './types.ts';

/** Where media files are served from (disk storage). */
export const MEDIA_PATH = '/media';

/** The default `sizes` for a lead image: the article column, full width on phones. */
export const LEAD_IMAGE_SIZES = '(min-width: 74rem) 50rem, (min-width: 64rem) calc(100vw - 24.5rem), calc(100vw - 2rem)';
/** For an image inside a story's body (the text measure is 40rem). */
export const BODY_IMAGE_SIZES = '(min-width: 42rem) 40rem, calc(100vw - 2rem)';

export interface Size {
  width: number;
  height: number;
}

/** The largest variant: the image itself, or 1920 px wide if it is wider. */
export function largestVariant(width: number, height: number): Size {
  const top = Math.min(width, VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1]!);
  return { width: top, height: Math.max(1, Math.round((height * top) / width)) };
}

/**
 * Every variant size, smallest first, computed from the largest variant alone. Standard widths
 * within 10% of the largest are skipped (a 330 px image gets one variant, not 320 and 330);
 * nothing is ever larger than the upload.
 */
export function variantSizesFromLargest(top: Size): Size[] {
  const widths = VARIANT_WIDTHS.filter((w) => w * 1.1 < top.width);
  return [...widths.map((w) => ({ width: w, height: Math.max(1, Math.round((top.height * w) / top.width)) })), top];
}

export const variantSizes = (width: number, height: number): Size[] => variantSizesFromLargest(largestVariant(width, height));

export const variantName = (size: Size, format: FileFormat) => `${size.width}x${size.height}.${EXTENSION[format]}`;
export const originalName = (fallback: FallbackFormat) => `original.${EXTENSION[fallback]}`;
export const mediaPath = (key: string, name: string) => `${MEDIA_PATH}/${key}/${name}`;

/** The URL to store as an article's lead image or use in a body: the largest fallback variant. */
export const mediaUrl = (media: Pick<Media, 'key' | 'width' | 'height' | 'fallback'>) =>
  mediaPath(media.key, variantName(largestVariant(media.width, media.height), media.fallback));

export interface PictureSource {
  type: string;
  srcset: string;
}

/** What `<picture>` needs: modern sources first, then the fallback `<img>`. */
export interface PictureData {
  sources: PictureSource[];
  /** The fallback image (JPEG or PNG), its type and its own srcset. */
  src: string;
  type: string;
  srcset: string;
  sizes: string;
  /** Of the largest variant: gives the browser the aspect ratio before the image loads. */
  width: number;
  height: number;
}

function picture(key: string, top: Size, fallback: FallbackFormat, sizes: string): PictureData {
  const all = variantSizesFromLargest(top);
  const srcset = (format: FileFormat) => all.map((s) => `${mediaPath(key, variantName(s, format))} ${s.width}w`).join(', ');
  return {
    sources: MODERN_FORMATS.map((format) => ({ type: CONTENT_TYPE[format], srcset: srcset(format) })),
    src: mediaPath(key, variantName(top, fallback)),
    type: CONTENT_TYPE[fallback],
    srcset: srcset(fallback),
    sizes,
    width: top.width,
    height: top.height,
  };
}

export function pictureForMedia(media: Pick<Media, 'key' | 'width' | 'height' | 'fallback'>, sizes: string = LEAD_IMAGE_SIZES): PictureData {
  return picture(media.key, largestVariant(media.width, media.height), media.fallback, sizes);
}

const MEDIA_URL = /^\/media\/([0-9a-f]{32})\/([1-9][0-9]{0,4})x([1-9][0-9]{0,4})\.(jpg|png)$/;

/**
 * The picture for a media-library URL (`/media/<key>/<w>x<h>.jpg|png`, as `mediaUrl` makes),
 * or undefined for any other URL: external images are left as they are.
 */
export function pictureFromUrl(url: string, sizes: string = LEAD_IMAGE_SIZES): PictureData | undefined {
  const match = MEDIA_URL.exec(url);
  if (!match) return undefined;
  const [, key, width, height, ext] = match as unknown as [string, string, string, string, 'jpg' | 'png'];
  const top = { width: Number(width), height: Number(height) };
  if (top.width > VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1]!) return undefined;
  return picture(key, top, ext === 'png' ? 'png' : 'jpeg', sizes);
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * An image for a story's body, as the body allowlist keeps it (src/newsroom/body.ts): a
 * `figure.image` with an `<img srcset sizes>` of the fallback format (the body has no
 * `<picture>`) and a caption with the credit as a citation, as the editor writes it
 * (src/admin/client/figures.ts): `Caption — <cite>Credit</cite>`.
 */
export function bodyFigureHtml(media: Pick<Media, 'key' | 'width' | 'height' | 'fallback' | 'alt' | 'caption' | 'credit'>, sizes: string = BODY_IMAGE_SIZES): string {
  const p = pictureForMedia(media, sizes);
  const credit = media.credit ? `<cite>${escapeHtml(media.credit)}</cite>` : '';
  const caption = [media.caption ? escapeHtml(media.caption) : '', credit].filter(Boolean).join(' — ');
  return (
    `<figure class="image"><img src="${escapeHtml(p.src)}" alt="${escapeHtml(media.alt)}" width="${p.width}" height="${p.height}" srcset="${escapeHtml(p.srcset)}" sizes="${escapeHtml(p.sizes)}">` +
    (caption ? `<figcaption>${caption}</figcaption>` : '') +
    '</figure>'
  );
}
