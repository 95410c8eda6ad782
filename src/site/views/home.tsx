import type { ArticleSummary } from '../../newsroom/articles/types.ts';
import type { Desk } from '../../newsroom/desks/types.ts';
import { paths } from '../paths.ts';
import { Bylines, Picture, RecentPosts, RelativeTime, StoryList } from './components.tsx';
import { Layout, type Chrome } from './layout.tsx';
import type { Locale } from './format.ts';

export interface HomeData {
  lead: ArticleSummary | undefined;
  top: ArticleSummary[];
  byDesk: Array<{ desk: Desk; stories: ArticleSummary[] }>;
  recent: ArticleSummary[];
}

function Teaser({ story, locale, lead = false }: { story: ArticleSummary; locale: Locale; lead?: boolean }) {
  const Heading = lead ? 'h2' : 'h3';
  return (
    <article class={lead ? 'teaser lead' : 'teaser'}>
      {lead && story.leadImage ? <Picture image={story.leadImage} eager /> : null}
      {story.kicker ? <p class="kicker">{story.kicker}</p> : null}
      <Heading class="headline">
        <a href={paths.article(story)}>{story.headline}</a>
      </Heading>
      <p class="standfirst">{story.dek || story.excerpt}</p>
      <p class="meta">
        {story.bylines.length > 0 ? (
          <>
            <Bylines bylines={story.bylines} /> ·{' '}
          </>
        ) : null}
        <a href={paths.desk(story.desk.slug)}>{story.desk.name}</a> · <RelativeTime at={story.publishedAt} locale={locale} />
      </p>
    </article>
  );
}

export function HomePage({ chrome, data }: { chrome: Chrome; data: HomeData }) {
  const locale = chrome.locale;
  return (
    <Layout chrome={chrome} meta={{ title: chrome.siteName, description: chrome.tagline, canonical: paths.home(), currentDesk: '' }}>
      <h1 class="visually-hidden">{chrome.siteName}: latest news</h1>
      {data.lead ? (
        <div class="front">
          <div>
            <Teaser story={data.lead} locale={locale} lead />
            {data.top.length > 0 ? (
              <section aria-labelledby="top-stories" class="top-stories">
                <h2 class="section-title" id="top-stories">
                  Top stories
                </h2>
                {data.top.map((s) => (
                  <Teaser key={s.id} story={s} locale={locale} />
                ))}
              </section>
            ) : null}
          </div>
          <RecentPosts stories={data.recent} locale={locale} />
        </div>
      ) : (
        <p class="empty">Nothing has been published yet.</p>
      )}
      <div class="desk-grid">
        {data.byDesk
          .filter((d) => d.stories.length > 0)
          .map(({ desk, stories }) => (
            <section key={desk.id} aria-labelledby={`desk-${desk.slug}`}>
              <h2 class="section-title" id={`desk-${desk.slug}`}>
                <a href={paths.desk(desk.slug)}>{desk.name}</a>
              </h2>
              <StoryList stories={stories} locale={locale} />
            </section>
          ))}
      </div>
    </Layout>
  );
}
