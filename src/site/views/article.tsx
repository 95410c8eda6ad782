import type { Article, ArticleEvent, ArticleSummary } from '../../newsroom/articles/types.ts';
import type { Person } from '../../newsroom/people/types.ts';
import { paths } from '../paths.ts';
import { Avatar, Bylines, ContactList, Picture, RecentPosts, StoryList } from './components.tsx';
import { formatDateTime, type Locale } from './format.ts';
import { Layout, type Chrome } from './layout.tsx';
import { ArticleStructuredData, articleSocial } from '../seo/jsonld.tsx';

export interface ArticlePageData {
  article: Article;
  recent: ArticleSummary[];
  related: ArticleSummary[];
}

export function ArticlePage({ chrome, data }: { chrome: Chrome; data: ArticlePageData }) {
  const { article, recent, related } = data;
  const locale = chrome.locale;
  const publishedAt = article.publishedAt ?? '';
  return (
    <Layout
      chrome={chrome}
      meta={{ title: article.seoTitle || article.headline, description: article.seoDescription || article.dek || article.excerpt, canonical: paths.article(article), currentDesk: article.desk.slug, social: articleSocial(article, chrome), head: <ArticleStructuredData article={article} chrome={chrome} /> }}
    >
      <div class="article-layout">
        <article lang={article.language === locale.language ? undefined : article.language}>
          <header class="article-header">
            {article.kicker ? <p class="kicker">{article.kicker}</p> : null}
            <h1>{article.headline}</h1>
            {article.dek ? <p class="dek">{article.dek}</p> : null}
            <div class="byline-row">
              <Bylines bylines={article.bylines} />
              <a href={paths.desk(article.desk.slug)}>{article.desk.name}</a>
              <span>
                Published <time datetime={publishedAt}>{formatDateTime(publishedAt, locale)}</time>
              </span>
              {article.updatedAt ? (
                <span>
                  Updated <time datetime={article.updatedAt}>{formatDateTime(article.updatedAt, locale)}</time>
                </span>
              ) : null}
            </div>
          </header>
          {article.leadImage ? (
            <figure class="lead-figure">
              <Picture image={article.leadImage} eager />
              {article.leadImage.caption || article.leadImage.credit ? (
                <figcaption>
                  {article.leadImage.caption} {article.leadImage.credit ? <span class="credit">{article.leadImage.credit}</span> : null}
                </figcaption>
              ) : null}
            </figure>
          ) : null}
          <div class="body" dangerouslySetInnerHTML={{ __html: article.bodyHtml }} />
          <ArticleNotes events={article.events} locale={locale} />
          <footer class="article-footer">
            {article.tags.length > 0 ? (
              <ul class="tags" aria-label="Tags">
                {article.tags.map((t) => (
                  <li key={t.id}>
                    <a href={paths.tag(t.slug)} rel="tag">
                      {t.name}
                    </a>
                  </li>
                ))}
              </ul>
            ) : null}
            {article.bylines.map((person) => (
              <AuthorBox key={person.id} person={person} />
            ))}
            {related.length > 0 ? (
              <section class="related" aria-labelledby="related-title">
                <h2 class="section-title" id="related-title">
                  Related stories
                </h2>
                <StoryList stories={related} locale={locale} showDesk />
              </section>
            ) : null}
          </footer>
        </article>
        <RecentPosts stories={recent} locale={locale} />
      </div>
    </Layout>
  );
}

/** Dated updates and corrections, where readers of the story will see them. */
function ArticleNotes({ events, locale }: { events: ArticleEvent[]; locale: Locale }) {
  if (events.length === 0) return null;
  return (
    <section class="article-notes" aria-labelledby="article-notes-title">
      <h2 id="article-notes-title" class="visually-hidden">
        Updates and corrections
      </h2>
      <ul>
        {events.map((e) => (
          <li key={`${e.kind}-${e.at}`} class={e.kind}>
            <strong>{e.kind === 'correction' ? 'Correction' : 'Update'}</strong>{' '}
            <time datetime={e.at}>{formatDateTime(e.at, locale)}</time>: {e.note}
          </li>
        ))}
      </ul>
      {events.some((e) => e.kind === 'correction') ? (
        <p class="meta">
          <a href={paths.corrections()}>All corrections</a>
        </p>
      ) : null}
    </section>
  );
}

export function AuthorBox({ person }: { person: Person }) {
  const id = `author-${person.slug}`;
  return (
    <section class="author-box" aria-labelledby={id}>
      <Avatar person={person} />
      <div>
        <h2 id={id}>
          <a href={paths.author(person.slug)} rel="author">
            {person.name}
          </a>
        </h2>
        {person.title ? <p class="role">{person.title}</p> : null}
        {person.bio ? <p>{person.bio}</p> : null}
        <ContactList person={person} label={`Contact ${person.name}`} />
      </div>
    </section>
  );
}
