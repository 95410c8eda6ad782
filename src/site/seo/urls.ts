// URLs as the outside world needs them: absolute, with a type for images, and ids that outlive
// a story's slug. Shared by feeds, sitemaps, OpenGraph and JSON-LD.
import { createHash } from 'node:crypto';
import { lookupTable } from '../../newsroom/lookup.ts';

/** Where the publisher's logo is served (Google requires one for articles' publisher). */
export const LOGO_PATH = '/assets/logo.png';
export const LOGO_SIZE = 512;

/** An absolute URL for a stored URL that may be a site path ("/media/x.jpg") or already absolute. */
export function absoluteUrl(siteUrl: string, urlOrPath: string): string {
  if (/^https?:\/\//i.test(urlOrPath)) return urlOrPath;
  return siteUrl + (urlOrPath.startsWith('/') ? urlOrPath : `/${urlOrPath}`);
}

const IMAGE_TYPES = lookupTable<string>({
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
});

/** The MIME type of an image from its file name, or undefined when the name does not tell. */
export function imageType(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url, 'http://x').pathname;
  } catch {
    return undefined;
  }
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext ? IMAGE_TYPES[ext] : undefined;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/**
 * Site-relative links and images in sanitized body HTML made absolute, for places read away from
 * the site (feed readers). The body schema writes every attribute double-quoted.
 */
export function absolutizeHtml(html: string, siteUrl: string): string {
  const base = escapeAttr(siteUrl);
  return html
    .replace(/(\s(?:href|src)=")\/(?!\/)/g, `$1${base}/`)
    .replace(/(\ssrcset=")([^"]*)"/g, (_m, start: string, list: string) =>
      `${start}${list
        .split(',')
        .map((part) => part.replace(/^(\s*)\/(?!\/)/, `$1${base}/`))
        .join(',')}"`,
    );
}

/**
 * A permanent id for a story in feeds: a name-based UUID (RFC 4122 version 5 layout over SHA-1)
 * of the site and the story's database id, so a corrected headline or a new slug never makes
 * readers see the story twice.
 */
export function storyId(siteUrl: string, articleId: number): string {
  const hash = createHash('sha1').update(`${siteUrl}/stories/${articleId}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
