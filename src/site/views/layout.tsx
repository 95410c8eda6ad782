import type { ComponentChildren } from 'preact';
import type { Desk } from '../../newsroom/desks/types.ts';
import type { Breaking } from '../../newsroom/frontpage.ts';
import { paths } from '../paths.ts';
import { feedLinks } from '../feeds/render.ts';
import { SocialTags, type SocialMeta } from '../seo/social.tsx';
import type { Locale } from './format.ts';

/** What every page's frame needs: the site's identity and its desks. */
export interface Chrome {
  siteName: string;
  tagline: string;
  siteUrl: string;
  desks: Desk[];
  locale: Locale;
  css: string;
  scriptPath: string;
  /** The breaking-news banner while one is set and not expired. */
  breaking?: Breaking;
}

export interface PageMeta {
  title: string;
  description?: string;
  /** Site-relative canonical path; absent for pages that should not be indexed. */
  canonical?: string;
  noindex?: boolean;
  currentDesk?: string;
  head?: ComponentChildren;
  /** Feeds that follow this page, announced for feed readers (autodiscovery). */
  feed?: { title: string; pagePath: string };
  /** Link-preview details (OpenGraph, Twitter card) beyond title, description and URL. */
  social?: SocialMeta;
}

export function Layout({ chrome, meta, children }: { chrome: Chrome; meta: PageMeta; children: ComponentChildren }) {
  const fullTitle = meta.title === chrome.siteName ? chrome.siteName : `${meta.title} – ${chrome.siteName}`;
  return (
    <html lang={chrome.locale.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        {meta.description ? <meta name="description" content={meta.description} /> : null}
        {meta.canonical ? <link rel="canonical" href={chrome.siteUrl + meta.canonical} /> : null}
        {meta.noindex ? <meta name="robots" content="noindex" /> : null}
        <meta name="theme-color" content="#b0141f" media="(prefers-color-scheme: light)" />
        <meta name="theme-color" content="#141518" media="(prefers-color-scheme: dark)" />
        <FeedLinks feed={meta.feed ?? { title: chrome.siteName, pagePath: paths.home() }} />
        <SocialTags chrome={chrome} meta={meta} />
        {meta.head}
        <style dangerouslySetInnerHTML={{ __html: chrome.css }} />
        <script src={chrome.scriptPath} defer />
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        {chrome.breaking ? <BreakingBanner breaking={chrome.breaking} /> : null}
        <Masthead chrome={chrome} currentDesk={meta.currentDesk} />
        <main id="main" class="wrap">
          {children}
        </main>
        <Footer chrome={chrome} />
      </body>
    </html>
  );
}

function FeedLinks({ feed }: { feed: { title: string; pagePath: string } }) {
  const links = feedLinks(feed.pagePath);
  return (
    <>
      <link rel="alternate" type="application/rss+xml" title={`${feed.title} (RSS)`} href={links.rss} />
      <link rel="alternate" type="application/atom+xml" title={`${feed.title} (Atom)`} href={links.atom} />
      <link rel="alternate" type="application/feed+json" title={`${feed.title} (JSON Feed)`} href={links.json} />
    </>
  );
}

function BreakingBanner({ breaking }: { breaking: Breaking }) {
  return (
    <section class="breaking" aria-label="Breaking news">
      <p class="wrap">
        <strong>Breaking</strong> {breaking.url ? <a href={breaking.url}>{breaking.headline}</a> : <span>{breaking.headline}</span>}
      </p>
    </section>
  );
}

function Masthead({ chrome, currentDesk }: { chrome: Chrome; currentDesk: string | undefined }) {
  return (
    <header class="masthead">
      <div class="wrap">
        <div class="masthead-top">
          <span>
            <a href={paths.archive()}>Archive</a>
          </span>
          <form class="masthead-search" role="search" method="get" action={paths.search()} aria-label="Site">
            <label class="visually-hidden" for="masthead-q">
              Search stories
            </label>
            <input id="masthead-q" name="q" type="search" placeholder="Search stories" maxLength={200} autocomplete="off" />
            <button type="submit">Search</button>
          </form>
          <span>
            <a href={paths.staff()}>Staff</a> · <a href={paths.contact()}>Contact</a>
          </span>
        </div>
        <div class="brand">
          <a href={paths.home()}>{chrome.siteName}</a>
          {chrome.tagline ? <p>{chrome.tagline}</p> : null}
        </div>
      </div>
      <nav class="desk-nav" aria-label="Desks">
        <ul class="wrap">
          <li>
            <a href={paths.home()} aria-current={currentDesk === '' ? 'page' : undefined}>
              Home
            </a>
          </li>
          {chrome.desks.map((d) => (
            <li key={d.id}>
              <a href={paths.desk(d.slug)} aria-current={currentDesk === d.slug ? 'page' : undefined}>
                {d.name}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

function Footer({ chrome }: { chrome: Chrome }) {
  return (
    <footer class="site-footer">
      <div class="wrap columns">
        <div>
          <h2>{chrome.siteName}</h2>
          <p>{chrome.tagline}</p>
          <p>
            © {chrome.siteName}. All rights reserved.
          </p>
        </div>
        <nav aria-label="Desks in the footer">
          <h2>Desks</h2>
          <ul>
            {chrome.desks.map((d) => (
              <li key={d.id}>
                <a href={paths.desk(d.slug)}>{d.name}</a>
              </li>
            ))}
          </ul>
        </nav>
        <nav aria-labelledby="footer-newsroom">
          <h2 id="footer-newsroom">Newsroom</h2>
          <ul>
            <li>
              <a href={paths.staff()}>Staff and editors</a>
            </li>
            <li>
              <a href={paths.contact()}>Contact us</a>
            </li>
            <li>
              <a href={paths.archive()}>Archive</a>
            </li>
            <li>
              <a href={paths.corrections()}>Corrections</a>
            </li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}
