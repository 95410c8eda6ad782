import type { CorrectionEntry } from '../../newsroom/articles/corrections.ts';
import { paths } from '../paths.ts';
import { Pagination } from './components.tsx';
import { formatDateTime } from './format.ts';
import { Layout, type Chrome } from './layout.tsx';

export function CorrectionsPage({ chrome, entries, page, more }: { chrome: Chrome; entries: CorrectionEntry[]; page: number; more: boolean }) {
  const base = paths.corrections();
  return (
    <Layout chrome={chrome} meta={{ title: page > 1 ? `Corrections (page ${page})` : 'Corrections', description: `Every correction ${chrome.siteName} has made to a published story.`, canonical: paths.page(base, page), feed: { title: `${chrome.siteName}: corrections`, pagePath: base } }}>
      <header class="page-header">
        <h1>Corrections</h1>
        <p>When we get something wrong we correct the story and say so, on the story and here.</p>
        <p class="meta">
          Follow corrections: <a href={`${base}/feed.xml`}>RSS</a> · <a href={`${base}/feed.atom`}>Atom</a> · <a href={`${base}/feed.json`}>JSON Feed</a>
        </p>
      </header>
      <div class="listing">
        <section aria-label="Corrections">
          {entries.length === 0 ? (
            <p class="empty">No corrections have been published.</p>
          ) : (
            <ul class="story-list">
              {entries.map((e) => (
                <li key={`${e.article.id}-${e.at}`}>
                  <h2>
                    <a href={paths.article(e.article)}>{e.article.headline}</a>
                  </h2>
                  <p>{e.note}</p>
                  <p class="meta">
                    <a href={paths.desk(e.article.desk.slug)}>{e.article.desk.name}</a> · Corrected{' '}
                    <time datetime={e.at}>{formatDateTime(e.at, chrome.locale)}</time>
                  </p>
                </li>
              ))}
            </ul>
          )}
          <Pagination base={base} page={page} more={more} />
        </section>
      </div>
    </Layout>
  );
}
