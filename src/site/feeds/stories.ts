// The story feeds: the whole site, a desk, a tag or an author, newest first. Every story comes
// through the public list of the articles repository (listPublic), and its body through a read
// that applies the visibility rule again, so a feed can never carry what a reader may not see.
// A feed of fifty stories costs four queries, not four per story.
import type { Config } from '../../config.ts';
import type { Queryable } from '../../newsroom/db.ts';
import type { ArticleSummary } from '../../newsroom/articles/types.ts';
import type { Desk } from '../../newsroom/desks/types.ts';
import type { Person } from '../../newsroom/people/types.ts';
import type { Tag } from '../../newsroom/tags/repository.ts';
import { listPublic, publicBodies, tagsByArticle } from '../../newsroom/articles/repository.ts';
import { readSetting, readSiteSettings } from '../../newsroom/settings/repository.ts';
import { paths } from '../paths.ts';
import { absoluteUrl, absolutizeHtml, imageType, LOGO_PATH, storyId } from '../seo/urls.ts';
import type { FeedEntry, FeedMeta } from './render.ts';

export const FEED_LIMIT = 50;

export type FeedScope =
  | { kind: 'site' }
  | { kind: 'desk'; desk: Desk }
  | { kind: 'tag'; tag: Tag }
  | { kind: 'author'; person: Person };

/** The `feed_full_content` setting: full stories unless it says otherwise (false, 0, no, off, excerpt). */
export async function feedFullContent(db: Queryable): Promise<boolean> {
  const value = await readSetting(db, 'feed_full_content');
  return value === undefined || !/^(0|false|no|off|excerpt)$/i.test(value.trim());
}

/** What an entry shows of a story: its teaser, with its whole body, language and tags. */
export type FeedStory = ArticleSummary & { bodyHtml: string; language: string; tags: Tag[] };

export function storyEntry(article: FeedStory, config: Pick<Config, 'siteUrl' | 'language'>, full: boolean): FeedEntry {
  const siteUrl = config.siteUrl;
  const published = new Date(article.publishedAt);
  const image = article.leadImage;
  const imageUrl = image ? absoluteUrl(siteUrl, image.url) : '';
  return {
    id: storyId(siteUrl, article.id),
    title: article.headline,
    link: siteUrl + paths.article(article),
    date: article.updatedAt ? new Date(article.updatedAt) : published,
    published,
    summary: article.dek || article.excerpt,
    ...(full ? { contentHtml: absolutizeHtml(article.bodyHtml, siteUrl) } : {}),
    authors: article.bylines.map((p) => ({ name: p.name, link: siteUrl + paths.author(p.slug) })),
    categories: article.tags.map((t) => ({ term: t.slug, label: t.name, scheme: `${siteUrl}/tag/` })),
    image: image ? { url: imageUrl, alt: image.alt, credit: image.credit || undefined, type: imageType(imageUrl) } : null,
    ...(article.language && article.language !== config.language ? { language: article.language } : {}),
  };
}

/** The listed stories with their bodies and tags; one unpublished since the list was read drops out. */
async function feedStories(db: Queryable, items: ArticleSummary[], now: Date): Promise<FeedStory[]> {
  const ids = items.map((s) => s.id);
  const [bodies, tags] = await Promise.all([publicBodies(db, ids, now), tagsByArticle(db, ids)]);
  return items.flatMap((s) => {
    const body = bodies.get(s.id);
    return body ? [{ ...s, ...body, tags: tags.get(s.id) ?? [] }] : [];
  });
}

export async function storyFeed(db: Queryable, config: Config, scope: FeedScope, now = new Date()): Promise<{ meta: FeedMeta; entries: FeedEntry[]; stories: FeedStory[] }> {
  const [settings, full] = await Promise.all([readSiteSettings(db), feedFullContent(db)]);
  const siteName = config.siteName ?? settings.siteName;
  const filter =
    scope.kind === 'desk' ? { deskId: scope.desk.id } : scope.kind === 'tag' ? { tagId: scope.tag.id } : scope.kind === 'author' ? { personId: scope.person.id } : {};
  const { items } = await listPublic(db, { ...filter, limit: FEED_LIMIT }, now);
  const articles = await feedStories(db, items, now);
  const base = { siteUrl: config.siteUrl, language: config.language, siteName, icon: config.siteUrl + LOGO_PATH };
  const meta: FeedMeta =
    scope.kind === 'desk'
      ? { ...base, title: `${siteName}: ${scope.desk.name}`, description: scope.desk.description || `The latest from the ${scope.desk.name} desk of ${siteName}.`, pagePath: paths.desk(scope.desk.slug) }
      : scope.kind === 'tag'
        ? { ...base, title: `${siteName}: ${scope.tag.name}`, description: `Stories tagged ${scope.tag.name} on ${siteName}.`, pagePath: paths.tag(scope.tag.slug) }
        : scope.kind === 'author'
          ? { ...base, title: `${siteName}: ${scope.person.name}`, description: `Stories by ${scope.person.name} on ${siteName}.`, pagePath: paths.author(scope.person.slug) }
          : { ...base, title: siteName, description: settings.tagline || `The latest stories from ${siteName}.`, pagePath: paths.home() };
  return { meta, entries: articles.map((a) => storyEntry(a, config, full)), stories: articles };
}
