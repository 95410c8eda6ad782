// Sitemaps for search engines and robots.txt pointing at them:
//   /sitemap.xml            the index: pages, news, and one sitemap per month that has stories
//   /sitemaps/pages.xml     home, desks, staff, contact, archive, corrections, tags and authors
//   /sitemaps/news.xml      Google News: stories that reached readers in the last 48 hours
//   /sitemaps/YYYY-MM.xml   the stories published in a month (the newsroom's time zone)
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.ts';
import type { Queryable } from '../../newsroom/db.ts';
import { listDesks } from '../../newsroom/desks/repository.ts';
import { readSiteSettings } from '../../newsroom/settings/repository.ts';
import { notFound } from '../../newsroom/errors.ts';
import { zonedStart } from '../../newsroom/time.ts';
import { archiveMonths } from '../views/archive.tsx';
import { paths } from '../paths.ts';
import { renderSitemapIndex, renderUrlset, SITEMAP_TYPE, type SitemapUrl } from '../sitemaps/render.ts';
import {
  lastPublishedByDesk,
  listPublicStoryUrls,
  listRecentPublicStoryUrls,
  oldestPublicAt,
  publicAuthorPages,
  publicSpansStats,
  publicTagPages,
  type StoryUrl,
} from '../sitemaps/queries.ts';
import { TAGS } from '../cache-tags.ts';

const NEWS_WINDOW_MS = 48 * 3600_000;

export const sitemapPaths = {
  index: () => '/sitemap.xml',
  pages: () => '/sitemaps/pages.xml',
  news: () => '/sitemaps/news.xml',
  month: (year: number, month: number) => `/sitemaps/${year}-${String(month).padStart(2, '0')}.xml`,
};

/** Paths no crawler has business in: the newsroom's own screens and API. */
export const ROBOTS_DISALLOW = ['/admin', '/account', '/login', '/setup', '/api/newsroom'];

const latest = (...times: Array<string | null | undefined>): string | undefined =>
  times.filter((t): t is string => !!t).sort().at(-1);

const storyLastmod = (s: StoryUrl) => latest(s.publishedAt, s.updatedAt);

export function sitemapRoutes(app: FastifyInstance, db: Queryable, config: Config): void {
  const abs = (path: string) => config.siteUrl + path;
  const xml = (reply: FastifyReply, body: string) => reply.type(SITEMAP_TYPE).send(body);
  const monthSpan = (year: number, month: number) => ({
    from: zonedStart(year, month, 1, config.timeZone),
    to: zonedStart(year, month + 1, 1, config.timeZone),
  });

  app.get('/robots.txt', async (_request, reply) => {
    const lines = [
      'User-agent: *',
      ...ROBOTS_DISALLOW.map((p) => `Disallow: ${p}`),
      '',
      `Sitemap: ${abs(sitemapPaths.index())}`,
      `Sitemap: ${abs(sitemapPaths.news())}`,
      '',
    ];
    reply.cacheTags([TAGS.site]);
    return reply.type('text/plain; charset=utf-8').send(lines.join('\n'));
  });

  app.get('/sitemap.xml', async (_request, reply) => {
    const now = new Date();
    const oldest = await oldestPublicAt(db, now);
    const months = archiveMonths(oldest, now.toISOString(), config.timeZone);
    const [figures, recent] = await Promise.all([
      publicSpansStats(db, months.map((m) => monthSpan(m.year, m.month)), now),
      listRecentPublicStoryUrls(db, new Date(now.getTime() - NEWS_WINDOW_MS), now, 1),
    ]);
    const stats = months.map((m, i) => ({ ...m, ...figures[i]! }));
    const newest = stats.find((s) => s.count > 0);
    const sitemaps = [
      { loc: abs(sitemapPaths.pages()), lastmod: newest?.lastPublished ?? undefined },
      { loc: abs(sitemapPaths.news()), lastmod: recent[0] ? storyLastmod(recent[0]) : undefined },
      ...stats.filter((s) => s.count > 0).map((s) => ({ loc: abs(sitemapPaths.month(s.year, s.month)), lastmod: latest(s.lastPublished, s.lastUpdated) })),
    ];
    reply.cacheTags([TAGS.site, TAGS.stories]);
    return xml(reply, await renderSitemapIndex(sitemaps));
  });

  app.get('/sitemaps/pages.xml', async (_request, reply) => {
    const now = new Date();
    const desks = await listDesks(db);
    const [byDesk, tags, authors] = await Promise.all([lastPublishedByDesk(db, desks.map((d) => d.id), now), publicTagPages(db, now), publicAuthorPages(db, now)]);
    const newest = latest(...byDesk.values());
    const urls: SitemapUrl[] = [
      { loc: abs(paths.home()), lastmod: newest },
      ...desks.map((d) => ({ loc: abs(paths.desk(d.slug)), lastmod: byDesk.get(d.id) })),
      { loc: abs(paths.staff()) },
      { loc: abs(paths.contact()) },
      { loc: abs(paths.archive()), lastmod: newest },
      { loc: abs(paths.corrections()) },
      ...tags.map((t) => ({ loc: abs(paths.tag(t.slug)), lastmod: t.last || undefined })),
      ...authors.map((a) => ({ loc: abs(paths.author(a.slug)), lastmod: a.last || undefined })),
    ];
    reply.cacheTags([TAGS.site, TAGS.stories, TAGS.people]);
    return xml(reply, await renderUrlset(urls));
  });

  app.get('/sitemaps/news.xml', async (_request, reply) => {
    const now = new Date();
    const [settings, stories] = await Promise.all([readSiteSettings(db), listRecentPublicStoryUrls(db, new Date(now.getTime() - NEWS_WINDOW_MS), now)]);
    const publicationName = config.siteName ?? settings.siteName;
    const urls: SitemapUrl[] = stories.map((s) => ({
      loc: abs(paths.articleBySlugs(s.deskSlug, s.slug)),
      lastmod: storyLastmod(s),
      // Google wants the time the story first reached readers; an embargo may have held it back.
      news: { publicationName, language: s.language || config.language, publishedAt: latest(s.publishedAt, s.embargoUntil) ?? s.publishedAt, title: s.headline },
    }));
    // The sitemaps schema requires at least one <url>; in a quiet spell the front page stands in.
    if (urls.length === 0) urls.push({ loc: abs(paths.home()) });
    // Stories leave the 48-hour window with time alone: kept a minute at most.
    reply.cacheTags([TAGS.site, TAGS.stories]).cacheFor(60_000);
    return xml(reply, await renderUrlset(urls, { news: true }));
  });

  app.get<{ Params: { file: string } }>('/sitemaps/:file', async (request, reply) => {
    const m = /^(\d{4})-(\d{2})\.xml$/.exec(request.params.file);
    const year = Number(m?.[1]);
    const month = Number(m?.[2]);
    if (!m || month < 1 || month > 12) throw notFound('That sitemap');
    const now = new Date();
    const { from, to } = monthSpan(year, month);
    const stories = from <= now ? await listPublicStoryUrls(db, from, to, now) : [];
    if (stories.length === 0) throw notFound('That sitemap');
    reply.cacheTags([TAGS.site, TAGS.stories]);
    return xml(reply, await renderUrlset(stories.map((s) => ({ loc: abs(paths.articleBySlugs(s.deskSlug, s.slug)), lastmod: storyLastmod(s) }))));
  });
}
