// schema.org structured data for article pages: NewsArticle (Google's Article rich results:
// headline, image, datePublished, dateModified, author with url, publisher with logo) and the
// BreadcrumbList Home › Desk › Story. Corrections are CorrectionComment items.
import type { Article } from '../../newsroom/articles/types.ts';
import type { Chrome } from '../views/layout.tsx';
import { paths } from '../paths.ts';
import type { SocialMeta } from './social.tsx';
import { absoluteUrl, LOGO_PATH, LOGO_SIZE } from './urls.ts';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json | undefined };

/**
 * JSON for inside a <script> element: `<`, `>` and `&` as \u escapes, so no text in the data
 * (a headline with "</script>" or "<!--") can end the element or change how it is parsed, and
 * U+2028/U+2029 escaped for old JavaScript parsers. JSON.parse reads it back unchanged.
 */
export function scriptSafeJson(data: Json): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function JsonLd({ data }: { data: Json }) {
  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: scriptSafeJson(data) }} />;
}

export function publisher(chrome: Chrome): Json {
  return {
    '@type': 'Organization',
    name: chrome.siteName,
    url: `${chrome.siteUrl}/`,
    logo: { '@type': 'ImageObject', url: chrome.siteUrl + LOGO_PATH, width: LOGO_SIZE, height: LOGO_SIZE },
  };
}

export function newsArticleData(article: Article, chrome: Chrome): Json {
  const url = chrome.siteUrl + paths.article(article);
  const published = article.publishedAt ?? '';
  const corrections = article.events.filter((e) => e.kind === 'correction');
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    '@id': `${url}#article`,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    url,
    headline: article.headline,
    description: article.dek || article.excerpt || undefined,
    image: article.leadImage ? [absoluteUrl(chrome.siteUrl, article.leadImage.url)] : undefined,
    datePublished: published,
    dateModified: article.updatedAt ?? published,
    author: article.bylines.map((p) => ({ '@type': p.kind === 'collective' ? 'Organization' : 'Person', name: p.name, url: chrome.siteUrl + paths.author(p.slug) })),
    publisher: publisher(chrome),
    articleSection: article.desk.name,
    keywords: article.tags.length ? article.tags.map((t) => t.name) : undefined,
    inLanguage: article.language || chrome.locale.language,
    isAccessibleForFree: true,
    correction: corrections.length ? corrections.map((c) => ({ '@type': 'CorrectionComment', text: c.note, datePublished: c.at })) : undefined,
  };
}

export function breadcrumbData(article: Article, chrome: Chrome): Json {
  const crumbs: Array<[string, string]> = [
    [chrome.siteName, `${chrome.siteUrl}/`],
    [article.desk.name, chrome.siteUrl + paths.desk(article.desk.slug)],
    [article.headline, chrome.siteUrl + paths.article(article)],
  ];
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: crumbs.map(([name, item], i) => ({ '@type': 'ListItem', position: i + 1, name, item })),
  };
}

/** The structured data of an article page, for PageMeta.head. */
export function ArticleStructuredData({ article, chrome }: { article: Article; chrome: Chrome }) {
  return (
    <>
      <JsonLd data={newsArticleData(article, chrome)} />
      <JsonLd data={breadcrumbData(article, chrome)} />
    </>
  );
}

/** The preview card of an article page, for PageMeta.social. */
export function articleSocial(article: Article, chrome: Chrome): SocialMeta {
  const published = article.publishedAt ?? '';
  return {
    type: 'article',
    ...(article.leadImage ? { image: { url: absoluteUrl(chrome.siteUrl, article.leadImage.url), alt: article.leadImage.alt } } : {}),
    article: {
      publishedTime: published,
      modifiedTime: article.updatedAt ?? published,
      section: article.desk.name,
      tags: article.tags.map((t) => t.name),
      authors: article.bylines.map((p) => chrome.siteUrl + paths.author(p.slug)),
    },
  };
}
