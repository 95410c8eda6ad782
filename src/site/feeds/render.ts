// Feeds in the three formats readers' apps ask for, from one list of entries: RSS 2.0, Atom 1.0
// and JSON Feed 1.1. The XML is built as data by fast-xml-builder, which escapes every text and
// attribute value, so no reader-supplied string can change the structure.
//
// Why not the `feed` library (which this file used to wrap): the W3C feed validator rejects what
// it writes for a newsroom — RSS <author> must be an e-mail address (bylines are names; we write
// dc:creator), every enclosure gets length="0" and a type guessed from the file name
// ("image/jpg"), titles and plain-text summaries are declared as HTML in Atom, and json1() is
// JSON Feed 1.0.
import XMLBuilder from 'fast-xml-builder';

export type FeedFormat = 'rss' | 'atom' | 'json';

export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

export const FEED_FILES: Record<FeedFormat, string> = { rss: 'feed.xml', atom: 'feed.atom', json: 'feed.json' };

export interface FeedImage {
  /** Absolute URL. */
  url: string;
  alt: string;
  credit?: string;
  /** MIME type when known. */
  type?: string;
  /** Size in bytes when known; RSS <enclosure> is written only then (the validator rejects 0). */
  length?: number;
}

export interface FeedEntry {
  /** Stable, absolute IRI: never changes when the story's slug or desk does. */
  id: string;
  title: string;
  /** Absolute URL of the entry's page. */
  link: string;
  /** When the entry last changed (Atom updated, JSON date_modified). */
  date: Date;
  /** When it was first published (RSS pubDate, Atom published); `date` when absent. */
  published?: Date;
  /** Plain text. */
  summary: string;
  /** The full story as HTML with absolute URLs; absent when the feed gives excerpts only. */
  contentHtml?: string;
  authors?: Array<{ name: string; link: string }>;
  categories?: Array<{ term: string; label: string; scheme?: string }>;
  image?: FeedImage | null;
  /** BCP 47 language of the entry when it differs from the feed's. */
  language?: string;
}

export interface FeedMeta {
  title: string;
  description: string;
  siteUrl: string;
  /** Site-relative path of the page the feed follows, e.g. /corrections. */
  pagePath: string;
  language: string;
  siteName: string;
  /** Absolute URL of a square icon (JSON Feed icon, Atom icon). */
  icon?: string;
}

const feedPath = (pagePath: string, format: FeedFormat) => `${pagePath === '/' ? '' : pagePath}/${FEED_FILES[format]}`;

export function feedLinks(pagePath: string): Record<FeedFormat, string> {
  return { rss: feedPath(pagePath, 'rss'), atom: feedPath(pagePath, 'atom'), json: feedPath(pagePath, 'json') };
}

export function renderFeed(format: FeedFormat, meta: FeedMeta, entries: FeedEntry[], now = new Date()): string {
  return format === 'rss' ? renderRss(meta, entries, now) : format === 'atom' ? renderAtom(meta, entries, now) : renderJsonFeed(meta, entries);
}

/** The feed's own time: the newest change among its entries (now for an empty feed). */
export function feedUpdated(entries: FeedEntry[], now = new Date()): Date {
  let newest: Date | undefined;
  for (const e of entries) if (!newest || e.date > newest) newest = e.date;
  return newest ?? now;
}

/** Characters XML 1.0 cannot carry at all; they would make the whole feed unreadable. */
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export const xmlText = (s: string): string => s.replace(XML_INVALID, '');

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  processEntities: true,
});

type XmlNode = Record<string, unknown>;
const declaration = { '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' } };
const build = (root: XmlNode): string => builder.build({ ...declaration, ...root }) as string;

/** Drops undefined members so the builder writes no empty attribute or element. */
function clean<T extends XmlNode>(node: T): T {
  for (const key of Object.keys(node)) if (node[key] === undefined) delete node[key];
  return node;
}

const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  dc: 'http://purl.org/dc/elements/1.1/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  media: 'http://search.yahoo.com/mrss/',
};

function renderRss(meta: FeedMeta, entries: FeedEntry[], now: Date): string {
  const links = feedLinks(meta.pagePath);
  const items = entries.map((e) =>
    clean({
      title: xmlText(e.title),
      link: e.link,
      guid: { '@_isPermaLink': 'false', '#text': e.id },
      pubDate: (e.published ?? e.date).toUTCString(),
      description: xmlText(e.summary),
      'content:encoded': e.contentHtml === undefined ? undefined : xmlText(e.contentHtml),
      'dc:creator': e.authors?.length ? e.authors.map((a) => xmlText(a.name)) : undefined,
      category: e.categories?.length ? e.categories.map((c) => xmlText(c.label)) : undefined,
      // RSS allows one enclosure and it must say its size; Media RSS carries the image otherwise.
      enclosure: e.image?.length && e.image.type ? { '@_url': e.image.url, '@_length': String(e.image.length), '@_type': e.image.type } : undefined,
      'media:content': e.image
        ? clean({
            '@_url': e.image.url,
            '@_medium': 'image',
            '@_type': e.image.type,
            '@_fileSize': e.image.length ? String(e.image.length) : undefined,
            'media:description': e.image.alt ? { '@_type': 'plain', '#text': xmlText(e.image.alt) } : undefined,
            'media:credit': e.image.credit ? xmlText(e.image.credit) : undefined,
          })
        : undefined,
    }),
  );
  return build({
    rss: {
      '@_version': '2.0',
      '@_xmlns:atom': NS.atom,
      '@_xmlns:dc': NS.dc,
      '@_xmlns:content': NS.content,
      '@_xmlns:media': NS.media,
      channel: clean({
        title: xmlText(meta.title),
        link: meta.siteUrl + meta.pagePath,
        description: xmlText(meta.description || meta.title),
        language: meta.language.toLowerCase(),
        copyright: xmlText(`© ${meta.siteName}`),
        lastBuildDate: feedUpdated(entries, now).toUTCString(),
        generator: 'Dateline',
        docs: 'https://www.rssboard.org/rss-specification',
        'atom:link': { '@_href': meta.siteUrl + links.rss, '@_rel': 'self', '@_type': 'application/rss+xml' },
        item: items,
      }),
    },
  });
}

function renderAtom(meta: FeedMeta, entries: FeedEntry[], now: Date): string {
  const links = feedLinks(meta.pagePath);
  const entryNodes = entries.map((e) => {
    const linksOf: XmlNode[] = [{ '@_rel': 'alternate', '@_type': 'text/html', '@_href': e.link }];
    if (e.image) {
      linksOf.push(
        clean({
          '@_rel': 'enclosure',
          '@_href': e.image.url,
          '@_type': e.image.type,
          '@_length': e.image.length ? String(e.image.length) : undefined,
          '@_title': e.image.alt ? xmlText(e.image.alt) : undefined,
        }),
      );
    }
    return clean({
      '@_xml:lang': e.language,
      id: e.id,
      title: { '@_type': 'text', '#text': xmlText(e.title) },
      link: linksOf,
      published: (e.published ?? e.date).toISOString(),
      updated: e.date.toISOString(),
      author: e.authors?.length ? e.authors.map((a) => ({ name: xmlText(a.name), uri: a.link })) : undefined,
      category: e.categories?.length
        ? e.categories.map((c) => clean({ '@_term': xmlText(c.term), '@_label': xmlText(c.label), '@_scheme': c.scheme }))
        : undefined,
      summary: e.summary ? { '@_type': 'text', '#text': xmlText(e.summary) } : undefined,
      content: e.contentHtml === undefined ? undefined : { '@_type': 'html', '#text': xmlText(e.contentHtml) },
    });
  });
  return build({
    feed: clean({
      '@_xmlns': NS.atom,
      '@_xml:lang': meta.language,
      id: meta.siteUrl + meta.pagePath,
      title: { '@_type': 'text', '#text': xmlText(meta.title) },
      subtitle: meta.description ? { '@_type': 'text', '#text': xmlText(meta.description) } : undefined,
      updated: feedUpdated(entries, now).toISOString(),
      link: [
        { '@_rel': 'alternate', '@_type': 'text/html', '@_href': meta.siteUrl + meta.pagePath },
        { '@_rel': 'self', '@_type': 'application/atom+xml', '@_href': meta.siteUrl + links.atom },
      ],
      // Stands in for the author of any entry without a byline (Atom requires one per entry).
      author: { name: xmlText(meta.siteName), uri: meta.siteUrl + '/' },
      generator: 'Dateline',
      icon: meta.icon,
      rights: xmlText(`© ${meta.siteName}`),
      entry: entryNodes,
    }),
  });
}

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). */
function renderJsonFeed(meta: FeedMeta, entries: FeedEntry[]): string {
  const links = feedLinks(meta.pagePath);
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: meta.title,
    home_page_url: meta.siteUrl + meta.pagePath,
    feed_url: meta.siteUrl + links.json,
    description: meta.description || undefined,
    icon: meta.icon,
    language: meta.language,
    authors: [{ name: meta.siteName, url: meta.siteUrl + '/' }],
    items: entries.map((e) => ({
      id: e.id,
      url: e.link,
      title: e.title,
      ...(e.contentHtml === undefined ? { content_text: e.summary } : { content_html: e.contentHtml }),
      summary: e.summary || undefined,
      image: e.image?.url,
      date_published: (e.published ?? e.date).toISOString(),
      date_modified: e.date.toISOString(),
      authors: e.authors?.length ? e.authors.map((a) => ({ name: a.name, url: a.link })) : undefined,
      tags: e.categories?.length ? e.categories.map((c) => c.label) : undefined,
      language: e.language,
    })),
  };
  return JSON.stringify(feed, null, 2);
}
