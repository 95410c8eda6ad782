// Link previews: OpenGraph (Facebook, LinkedIn, messengers) and the Twitter/X card, written into
// the head of every indexable page from its PageMeta. Articles add their image, times, section
// and tags; other pages show the publisher's logo.
import type { Chrome, PageMeta } from '../views/layout.tsx';
import { LOGO_PATH, LOGO_SIZE } from './urls.ts';

export interface SocialMeta {
  type: 'website' | 'article';
  /** An absolute image URL with its alt text; the logo when absent. */
  image?: { url: string; alt: string };
  article?: {
    publishedTime: string;
    modifiedTime: string;
    section: string;
    tags: string[];
    /** Absolute URLs of the bylines' author pages. */
    authors: string[];
  };
}

export function SocialTags({ chrome, meta }: { chrome: Chrome; meta: PageMeta & { social?: SocialMeta } }) {
  if (!meta.canonical || meta.noindex) return null;
  const social = meta.social;
  const image = social?.image;
  const article = social?.article;
  return (
    <>
      <meta property="og:site_name" content={chrome.siteName} />
      <meta property="og:type" content={social?.type ?? 'website'} />
      <meta property="og:title" content={meta.title} />
      {meta.description ? <meta property="og:description" content={meta.description} /> : null}
      <meta property="og:url" content={chrome.siteUrl + meta.canonical} />
      {image ? (
        <>
          <meta property="og:image" content={image.url} />
          {image.alt ? <meta property="og:image:alt" content={image.alt} /> : null}
        </>
      ) : (
        <>
          <meta property="og:image" content={chrome.siteUrl + LOGO_PATH} />
          <meta property="og:image:type" content="image/png" />
          <meta property="og:image:width" content={String(LOGO_SIZE)} />
          <meta property="og:image:height" content={String(LOGO_SIZE)} />
          <meta property="og:image:alt" content={`${chrome.siteName} logo`} />
        </>
      )}
      {article ? (
        <>
          <meta property="article:published_time" content={article.publishedTime} />
          <meta property="article:modified_time" content={article.modifiedTime} />
          <meta property="article:section" content={article.section} />
          {article.tags.map((tag) => (
            <meta key={`tag-${tag}`} property="article:tag" content={tag} />
          ))}
          {article.authors.map((url) => (
            <meta key={`author-${url}`} property="article:author" content={url} />
          ))}
        </>
      ) : null}
      <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
      {image?.alt ? <meta name="twitter:image:alt" content={image.alt} /> : null}
    </>
  );
}
