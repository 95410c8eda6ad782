// Sitemaps written by the `sitemap` library (sitemaps.org 0.9 and the Google News extension), so
// escaping, namespaces and element order are the library's, checked in tests against the XSDs.
import { Readable } from 'node:stream';
import { SitemapIndexStream, SitemapStream, streamToPromise, ErrorLevel, type IndexItem, type SitemapItemLoose } from 'sitemap';
import { xmlText } from '../feeds/render.ts';

export const SITEMAP_TYPE = 'application/xml; charset=utf-8';

export interface SitemapUrl {
  /** Absolute URL. */
  loc: string;
  lastmod?: string;
  news?: { publicationName: string; language: string; publishedAt: string; title: string };
}

/**
 * The language code Google News accepts: ISO 639 (two or three letters), except zh-cn and zh-tw
 * for Chinese in simplified and traditional script.
 */
export function newsLanguage(tag: string): string {
  const lower = tag.toLowerCase();
  const primary = lower.split(/[-_]/)[0] ?? '';
  if (primary === 'zh') return /(^|-)(tw|hk|mo|hant)(-|$)/.test(lower) ? 'zh-tw' : 'zh-cn';
  return /^[a-z]{2,3}$/.test(primary) ? primary : 'en';
}

const write = async (stream: SitemapStream | SitemapIndexStream, items: Array<SitemapItemLoose | IndexItem>): Promise<string> =>
  (await streamToPromise(Readable.from(items).pipe(stream))).toString('utf8');

/** A <urlset>; with `news`, the Google News namespace is declared and news entries are written. */
export function renderUrlset(urls: SitemapUrl[], options: { news?: boolean } = {}): Promise<string> {
  const stream = new SitemapStream({
    level: ErrorLevel.THROW,
    xmlns: { news: options.news ?? false, xhtml: false, image: false, video: false },
  });
  const items: SitemapItemLoose[] = urls.map((u) => ({
    url: u.loc,
    ...(u.lastmod ? { lastmod: u.lastmod } : {}),
    ...(u.news
      ? {
          news: {
            publication: { name: xmlText(u.news.publicationName), language: newsLanguage(u.news.language) },
            publication_date: u.news.publishedAt,
            title: xmlText(u.news.title),
          },
        }
      : {}),
  }));
  return write(stream, items);
}

export function renderSitemapIndex(sitemaps: Array<{ loc: string; lastmod?: string }>): Promise<string> {
  const stream = new SitemapIndexStream({ level: ErrorLevel.THROW });
  return write(stream, sitemaps.map((s) => ({ url: s.loc, ...(s.lastmod ? { lastmod: s.lastmod } : {}) })));
}
