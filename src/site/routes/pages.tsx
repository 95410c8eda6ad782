// Public pages: thin handlers that read through the newsroom and render a view.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.ts';
import type { Queryable } from '../../newsroom/db.ts';
import { findForReader, listPublic, listRelated } from '../../newsroom/articles/repository.ts';
import { findDeskBySlug, findFormerDeskSlug, listDesks } from '../../newsroom/desks/repository.ts';
import { editorsByDesk, findPersonBySlug, listPeople } from '../../newsroom/people/repository.ts';
import { findTagBySlug } from '../../newsroom/tags/repository.ts';
import { NewsroomError, notFound } from '../../newsroom/errors.ts';
import { zonedStart } from '../../newsroom/time.ts';
import { loadChrome } from '../chrome.ts';
import { archiveDate, assertPageExists, pageNumber, PAGE_SIZE } from '../params.ts';
import { paths } from '../paths.ts';
import { renderHtml } from '../render.ts';
import { ArticlePage } from '../views/article.tsx';
import { HomePage } from '../views/home.tsx';
import { ListingPage } from '../views/listing.tsx';
import { StaffPage } from '../views/staff.tsx';
import { CorrectionsPage } from '../views/corrections.tsx';
import { listCorrections } from '../../newsroom/articles/corrections.ts';
import { frontPageStories } from '../../newsroom/frontpage.ts';
import { FEED_FILES, FEED_TYPES, renderFeed } from '../feeds/render.ts';
import { ArchiveIndexPage } from '../views/archive.tsx';
import { AuthorHeader } from '../views/author.tsx';
import { monthName, formatDate } from '../views/format.ts';
import type { ArticleSummary } from '../../newsroom/articles/types.ts';
import { CHROME_TAGS, shownTags, TAGS } from '../cache-tags.ts';

const RECENT = 6;

const html = (reply: FastifyReply, body: string, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(body);

/** The six latest stories other than `exclude`, for the Recent Posts column. */
async function recentPosts(db: Queryable, excludeIds: number[] = []): Promise<ArticleSummary[]> {
  const { items } = await listPublic(db, { limit: RECENT, excludeIds });
  return items;
}

function redirect(reply: FastifyReply, path: string, query: string): FastifyReply {
  return reply.redirect(path + query, 301);
}

const queryString = (url: string) => {
  const i = url.indexOf('?');
  return i === -1 ? '' : url.slice(i);
};

export function pageRoutes(app: FastifyInstance, db: Queryable, config: Config): void {
  app.get('/', async (_request, reply) => {
    const [chrome, front, desks] = await Promise.all([loadChrome(db, config), frontPageStories(db), listDesks(db)]);
    const [lead, ...top] = front;
    const shown = front.map((s) => s.id);
    const byDesk = await Promise.all(
      desks.map(async (desk) => ({ desk, stories: (await listPublic(db, { deskId: desk.id, limit: 4, excludeIds: shown })).items })),
    );
    // Recent Posts beside the front page continues where the lead and top stories stop.
    const recent = await recentPosts(db, shown);
    reply.cacheTags([...CHROME_TAGS, TAGS.front, TAGS.latest, ...shownTags([...front, ...byDesk.flatMap((d) => d.stories), ...recent])]);
    return html(reply, renderHtml(HomePage({ chrome, data: { lead, top, byDesk, recent } })));
  });

  app.get('/staff', async (_request, reply) => {
    const [chrome, desks, editors, collectives, people] = await Promise.all([
      loadChrome(db, config),
      listDesks(db),
      editorsByDesk(db),
      listPeople(db, 'collective'),
      listPeople(db, 'person'),
    ]);
    const editorIds = new Set([...editors.values()].flat().map((p) => p.id));
    const data = {
      desks: desks.map((desk) => ({ desk, editors: editors.get(desk.id) ?? [] })),
      collectives,
      people: people.filter((p) => !editorIds.has(p.id)),
    };
    reply.cacheTags([...CHROME_TAGS, TAGS.people]);
    return html(reply, renderHtml(StaffPage({ chrome, data })));
  });

  app.get<{ Params: { slug: string } }>('/tag/:slug', async (request, reply) => {
    const page = pageNumber(request.query);
    const tag = await findTagBySlug(db, request.params.slug);
    if (!tag) throw notFound('That tag');
    const base = paths.tag(tag.slug);
    const [chrome, list, recent] = await Promise.all([
      loadChrome(db, config),
      listPublic(db, { tagId: tag.id, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      recentPosts(db),
    ]);
    assertPageExists(page, list.items.length);
    const meta = { title: tag.name, description: `Stories tagged ${tag.name}.`, canonical: paths.page(base, page), feed: { title: `${chrome.siteName}: ${tag.name}`, pagePath: base } };
    const header = (
      <>
        <p class="kicker">Tag</p>
        <h1>{tag.name}</h1>
      </>
    );
    reply.cacheTags([...CHROME_TAGS, TAGS.latest, TAGS.tagList(tag.id), ...shownTags([...list.items, ...recent])]);
    return html(reply, renderHtml(ListingPage({ chrome, meta, header, data: { stories: list.items, more: list.more, page, base, recent } })));
  });

  app.get<{ Params: { slug: string } }>('/author/:slug', async (request, reply) => {
    const page = pageNumber(request.query);
    const person = await findPersonBySlug(db, request.params.slug);
    if (!person) throw notFound('That author');
    const base = paths.author(person.slug);
    const [chrome, list, recent] = await Promise.all([
      loadChrome(db, config),
      listPublic(db, { personId: person.id, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      recentPosts(db),
    ]);
    assertPageExists(page, list.items.length);
    const meta = { title: person.name, description: person.bio.slice(0, 160) || `Stories by ${person.name}.`, canonical: paths.page(base, page), feed: { title: `${chrome.siteName}: ${person.name}`, pagePath: base } };
    const data = { stories: list.items, more: list.more, page, base, recent };
    const empty = `${person.name} has no published stories yet.`;
    reply.cacheTags([...CHROME_TAGS, TAGS.person(person.slug), TAGS.latest, TAGS.personList(person.id), ...shownTags([...list.items, ...recent])]);
    return html(reply, renderHtml(ListingPage({ chrome, meta, header: AuthorHeader({ person }), data, empty })));
  });

  app.get('/corrections', async (request, reply) => {
    const page = pageNumber(request.query);
    const [chrome, list] = await Promise.all([loadChrome(db, config), listCorrections(db, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })]);
    assertPageExists(page, list.items.length);
    reply.cacheTags([...CHROME_TAGS, TAGS.corrections, ...list.items.map((e) => TAGS.story(e.article.id))]);
    return html(reply, renderHtml(CorrectionsPage({ chrome, entries: list.items, page, more: list.more })));
  });

  for (const format of ['rss', 'atom', 'json'] as const) {
    app.get(`/corrections/${FEED_FILES[format]}`, async (_request, reply) => {
      const [chrome, list] = await Promise.all([loadChrome(db, config), listCorrections(db, { limit: 50 })]);
      const meta = {
        title: `${chrome.siteName}: corrections`,
        description: `Every correction ${chrome.siteName} has made to a published story.`,
        siteUrl: config.siteUrl,
        pagePath: paths.corrections(),
        language: config.language,
        siteName: chrome.siteName,
      };
      const entries = list.items.map((e) => ({
        id: `${config.siteUrl}${paths.article(e.article)}#correction-${e.at}`,
        title: `Correction: ${e.article.headline}`,
        link: config.siteUrl + paths.article(e.article),
        date: new Date(e.at),
        summary: e.note,
      }));
      reply.cacheTags([TAGS.site, TAGS.corrections, ...list.items.map((e) => TAGS.story(e.article.id))]);
      return reply.type(FEED_TYPES[format]).send(renderFeed(format, meta, entries));
    });
  }

  app.get('/archive', async (_request, reply) => {
    const chrome = await loadChrome(db, config);
    const oldest = await db
      .selectFrom('articles')
      .select('published_at')
      .where('status', '=', 'published')
      .where('published_at', 'is not', null)
      .orderBy('published_at')
      .limit(1)
      .executeTakeFirst();
    reply.cacheTags([...CHROME_TAGS, TAGS.latest]);
    return html(reply, renderHtml(ArchiveIndexPage({ chrome, oldest: oldest?.published_at ?? null, now: new Date().toISOString() })));
  });

  const archive = async (request: { params: { year?: string; month?: string; day?: string }; query: unknown }, reply: FastifyReply) => {
    const page = pageNumber(request.query);
    const date = archiveDate(request.params);
    const tz = config.timeZone;
    const from = zonedStart(date.year, date.month ?? 1, date.day ?? 1, tz);
    const to = date.day
      ? zonedStart(date.year, date.month ?? 1, date.day + 1, tz)
      : date.month
        ? zonedStart(date.year, date.month + 1, 1, tz)
        : zonedStart(date.year + 1, 1, 1, tz);
    const base = paths.archive(date.year, date.month, date.day);
    const [chrome, list, recent] = await Promise.all([
      loadChrome(db, config),
      listPublic(db, { from, to, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      recentPosts(db),
    ]);
    assertPageExists(page, list.items.length);
    const label = date.day
      ? formatDate(new Date(from.getTime() + 12 * 3600_000).toISOString(), chrome.locale)
      : date.month
        ? monthName(date.year, date.month, config.language)
        : String(date.year);
    const meta = { title: `Archive: ${label}`, canonical: paths.page(base, page) };
    const header = (
      <>
        <p class="kicker">
          <a href={paths.archive()}>Archive</a>
        </p>
        <h1>{label}</h1>
      </>
    );
    const data = { stories: list.items, more: list.more, page, base, recent };
    reply.cacheTags([...CHROME_TAGS, TAGS.latest, ...shownTags([...list.items, ...recent])]);
    return html(reply, renderHtml(ListingPage({ chrome, meta, header, data, empty: `Nothing was published in ${label}.` })));
  };
  app.get<{ Params: { year: string } }>('/archive/:year', archive);
  app.get<{ Params: { year: string; month: string } }>('/archive/:year/:month', archive);
  app.get<{ Params: { year: string; month: string; day: string } }>('/archive/:year/:month/:day', archive);

  app.get<{ Params: { desk: string } }>('/:desk', async (request, reply) => {
    const page = pageNumber(request.query);
    const desk = await findDeskBySlug(db, request.params.desk);
    if (!desk) {
      const current = await findFormerDeskSlug(db, request.params.desk);
      if (current) return redirect(reply, paths.desk(current), queryString(request.url));
      throw notFound('That page');
    }
    const base = paths.desk(desk.slug);
    const [chrome, list, recent] = await Promise.all([
      loadChrome(db, config),
      listPublic(db, { deskId: desk.id, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      recentPosts(db),
    ]);
    assertPageExists(page, list.items.length);
    const meta = { title: desk.name, description: desk.description || `The latest from the ${desk.name} desk.`, canonical: paths.page(base, page), currentDesk: desk.slug, feed: { title: `${chrome.siteName}: ${desk.name}`, pagePath: base } };
    const header = (
      <>
        <h1>{desk.name}</h1>
        {desk.description ? <p>{desk.description}</p> : null}
        <p class="meta">
          <a href={paths.contact(desk.slug)}>Contact the {desk.name} desk</a> · <a href={paths.staff()}>Its editors</a>
        </p>
      </>
    );
    const data = { stories: list.items, more: list.more, page, base, recent };
    reply.cacheTags([...CHROME_TAGS, TAGS.latest, TAGS.deskList(desk.id), ...shownTags([...list.items, ...recent])]);
    return html(reply, renderHtml(ListingPage({ chrome, meta, header, data, showDesk: false, empty: `The ${desk.name} desk has not published anything yet.` })));
  });

  app.get<{ Params: { desk: string; slug: string } }>('/:desk/:slug', async (request, reply) => {
    const { desk, slug } = request.params;
    const found = await findForReader(db, slug);
    if (found.kind === 'missing') throw notFound('That story');
    if (found.kind === 'gone') throw new NewsroomError('gone', 'This story has been withdrawn by the newsroom.');
    if (found.kind === 'moved') return redirect(reply, paths.articleBySlugs(found.deskSlug, found.slug), '');
    const article = found.article;
    if (article.desk.slug !== desk) return redirect(reply, paths.article(article), '');
    const [chrome, recent] = await Promise.all([loadChrome(db, config), recentPosts(db, [article.id])]);
    // Related stories never repeat what Recent Posts already shows beside them.
    const related = await listRelated(db, article, 4, [article.id, ...recent.map((s) => s.id)]);
    // Related stories are those sharing a tag: any list of those tags may change them.
    reply.cacheTags([
      ...CHROME_TAGS,
      TAGS.latest,
      ...shownTags([article, ...recent, ...related]),
      ...article.tags.map((t) => TAGS.tagList(t.id)),
    ]);
    return html(reply, renderHtml(ArticlePage({ chrome, data: { article, recent, related } })));
  });
}
