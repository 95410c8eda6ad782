// The shape shared by desk, tag, author and archive pages: a header, a list of stories with
// pagination, and Recent Posts beside it.
import type { ComponentChildren } from 'preact';
import type { ArticleSummary } from '../../newsroom/articles/types.ts';
import { Pagination, RecentPosts, StoryList } from './components.tsx';
import { Layout, type Chrome, type PageMeta } from './layout.tsx';

export interface ListingData {
  stories: ArticleSummary[];
  page: number;
  more: boolean;
  /** The listing's path without ?page, for pagination links. */
  base: string;
  recent: ArticleSummary[];
}

export function ListingPage({ chrome, meta, header, data, showDesk = true, empty }: {
  chrome: Chrome;
  meta: PageMeta;
  header: ComponentChildren;
  data: ListingData;
  showDesk?: boolean;
  empty?: string;
}) {
  return (
    <Layout chrome={chrome} meta={{ ...meta, title: data.page > 1 ? `${meta.title} (page ${data.page})` : meta.title }}>
      <header class="page-header">{header}</header>
      <div class="listing">
        <section aria-label="Stories">
          <StoryList stories={data.stories} locale={chrome.locale} level={2} showDesk={showDesk} empty={empty} />
          <Pagination base={data.base} page={data.page} more={data.more} />
        </section>
        <RecentPosts stories={data.recent} locale={chrome.locale} />
      </div>
    </Layout>
  );
}
