// Feeds in the three formats readers' apps ask for, from one list of entries. The `feed`
// library writes the XML and JSON, so escaping and structure are not ours to get wrong.
import { Feed } from 'feed';

export type FeedFormat = 'rss' | 'atom' | 'json';

export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

export const FEED_FILES: Record<FeedFormat, string> = { rss: 'feed.xml', atom: 'feed.atom', json: 'feed.json' };

export interface FeedEntry {
  id: string;
  title: string;
  /** Absolute URL of the entry's page. */
  link: string;
  date: Date;
  published?: Date;
  summary: string;
  contentHtml?: string;
  authors?: Array<{ name: string; link: string }>;
}

export interface FeedMeta {
  title: string;
  description: string;
  siteUrl: string;
  /** Site-relative path of the page the feed follows, e.g. /corrections. */
  pagePath: string;
  language: string;
  siteName: string;
}

const feedPath = (pagePath: string, format: FeedFormat) => `${pagePath === '/' ? '' : pagePath}/${FEED_FILES[format]}`;

export function feedLinks(pagePath: string): Record<FeedFormat, string> {
  return { rss: feedPath(pagePath, 'rss'), atom: feedPath(pagePath, 'atom'), json: feedPath(pagePath, 'json') };
}

export function renderFeed(format: FeedFormat, meta: FeedMeta, entries: FeedEntry[]): string {
  const links = feedLinks(meta.pagePath);
  const feed = new Feed({
    id: meta.siteUrl + meta.pagePath,
    title: meta.title,
    description: meta.description,
    link: meta.siteUrl + meta.pagePath,
    language: meta.language,
    updated: entries[0]?.date ?? new Date(0),
    generator: 'Dateline',
    copyright: `© ${meta.siteName}`,
    feedLinks: { rss: meta.siteUrl + links.rss, atom: meta.siteUrl + links.atom, json: meta.siteUrl + links.json },
  });
  for (const entry of entries) {
    feed.addItem({
      id: entry.id,
      guid: entry.id,
      title: entry.title,
      link: entry.link,
      date: entry.date,
      published: entry.published ?? entry.date,
      description: entry.summary,
      ...(entry.contentHtml ? { content: entry.contentHtml } : {}),
      author: entry.authors?.map((a) => ({ name: a.name, link: a.link })),
    });
  }
  return format === 'rss' ? feed.rss2() : format === 'atom' ? feed.atom1() : feed.json1();
}
