// The public content API under /api/v1: published stories, desks, people and tags, read-only,
// for anyone. A separate controller from the newsroom API, with its own presenters, and reading
// through the same newsroom services as the site, so it shows exactly what readers may see.
// Registered as an encapsulated plugin, so its CORS and caching never reach other routes.
import type { FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import type { Config } from '../../config.ts';
import type { Queryable } from '../../newsroom/db.ts';
import { findForReader } from '../../newsroom/articles/repository.ts';
import { decodeCursor, encodeCursor, listPublicPage } from '../../newsroom/articles/cursor.ts';
import { listDesks } from '../../newsroom/desks/repository.ts';
import { editorsByDesk, findPersonBySlug, listPeople } from '../../newsroom/people/repository.ts';
import { findPublicTag, listPublicTags } from '../../newsroom/tags/public.ts';
import { invalid, NewsroomError, notFound } from '../../newsroom/errors.ts';
import { sendError } from '../../http/errors.ts';
import { installCaching } from './caching.ts';
import { deskBySlug, resolveFilters } from './filters.ts';
import { searchRoute } from './search.ts';
import { presentArticle, presentArticleSummary, presentDesk, presentPerson, presentTag, type PresentContext } from './presenter.ts';
import {
  ArticleListResponse,
  ArticleResponse,
  ArticlesQuery,
  DeskListResponse,
  DeskResponse,
  PeopleQuery,
  PeopleResponse,
  PersonResponse,
  SLUG_PATTERN,
  SlugParams,
  TagListResponse,
  TagResponse,
  TagsQuery,
  type ArticlesQueryType,
  type PeopleQueryType,
  type SlugParamsType,
  type TagsQueryType,
} from './schemas.ts';
import { shownTags, TAGS as CACHE } from '../../site/cache-tags.ts';

export const PUBLIC_API = '/api/v1';
const TAGS = ['Public content'];

export interface PublicApiOptions {
  db: Queryable;
  config: Config;
}

export async function publicApiRoutes(app: FastifyInstance, { db, config }: PublicApiOptions): Promise<void> {
  const c: PresentContext = { siteUrl: config.siteUrl };

  // Helmet says same-origin for the site; the API's answers are meant for other origins too.
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cross-origin-resource-policy', 'cross-origin');
  });
  // Anyone may read from any origin; no credentials, so a wildcard origin is right and the
  // answer does not vary by Origin. Preflights are answered for the headers a reader sends.
  await app.register(cors, {
    origin: '*',
    methods: ['GET', 'HEAD'],
    allowedHeaders: ['Accept', 'If-None-Match', 'If-Modified-Since', 'Cache-Control'],
    exposedHeaders: ['ETag', 'Location'],
    maxAge: 86400,
    strictPreflight: false,
  });
  installCaching(app);
  // Unknown addresses under /api/v1 get the JSON 404 with the CORS headers of this scope.
  app.setNotFoundHandler(async (request, reply) =>
    sendError(request, reply, { status: 404, code: 'not_found', message: 'Nothing is at this address.' }, db, config),
  );

  app.get<{ Querystring: ArticlesQueryType }>(
    '/articles',
    {
      schema: {
        tags: TAGS,
        summary: 'Published stories, newest first',
        description:
          'Filters combine. Pages are cursor-based: pass `nextCursor` back as `cursor` until it is null. A page never repeats or skips a story, even when stories are published meanwhile.',
        querystring: ArticlesQuery,
        response: ArticleListResponse,
      },
    },
    async (request, reply) => {
      const q = request.query;
      const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
      const filters = await resolveFilters(db, q, config.timeZone);
      let tagId: number | undefined;
      if (q.tag !== undefined) {
        const tag = await findPublicTag(db, q.tag);
        if (!tag) throw invalid({ tag: `No published story has the tag "${q.tag}".` });
        tagId = tag.id;
      }
      const { items, next } = await listPublicPage(db, { ...filters, tagId, limit: q.limit ?? 20, after });
      // Stories show their desk's name: a renamed desk changes the site.
      reply.cacheTags([CACHE.site, CACHE.latest, ...shownTags(items)]);
      return { articles: items.map((a) => presentArticleSummary(c, a)), nextCursor: next && encodeCursor(next) };
    },
  );

  app.get<{ Params: SlugParamsType }>(
    '/articles/:slug',
    {
      schema: {
        tags: TAGS,
        summary: 'One published story, whole',
        description: 'A former slug answers 301 to the current one; a withdrawn story 410 `gone`; anything else unknown 404 `not_found`.',
        params: SlugParams,
        response: ArticleResponse,
      },
    },
    async (request, reply) => {
      const found = await findForReader(db, request.params.slug);
      switch (found.kind) {
        case 'missing':
          throw notFound('That story');
        case 'gone':
          throw new NewsroomError('gone', 'This story has been withdrawn by the newsroom.');
        case 'moved':
          return reply.redirect(`${PUBLIC_API}/articles/${found.slug}`, 301);
        case 'found':
          reply.cacheTags([CACHE.site, ...shownTags([found.article])]);
          return { article: presentArticle(c, found.article) };
      }
    },
  );

  app.get('/desks', { schema: { tags: TAGS, summary: 'Every desk with its editors', response: DeskListResponse } }, async (_request, reply) => {
    reply.cacheTags([CACHE.site, CACHE.people]);
    const [desks, editors] = await Promise.all([listDesks(db), editorsByDesk(db)]);
    return { desks: desks.map((d) => presentDesk(c, d, editors.get(d.id) ?? [])) };
  });

  app.get<{ Params: SlugParamsType }>(
    '/desks/:slug',
    {
      schema: {
        tags: TAGS,
        summary: 'One desk with its editors',
        description: "A desk's former slug answers 301 to the current one. Its stories: `/api/v1/articles?desk=…`.",
        params: SlugParams,
        response: DeskResponse,
      },
    },
    async (request, reply) => {
      const found = await deskBySlug(db, request.params.slug);
      if (!found) throw notFound('That desk');
      if (found.moved) return reply.redirect(`${PUBLIC_API}/desks/${found.desk.slug}`, 301);
      const editors = (await editorsByDesk(db)).get(found.desk.id) ?? [];
      reply.cacheTags([CACHE.site, CACHE.people]);
      return { desk: presentDesk(c, found.desk, editors) };
    },
  );

  app.get<{ Querystring: PeopleQueryType }>(
    '/people',
    { schema: { tags: TAGS, summary: 'The staff: people and collectives, with their public profiles', querystring: PeopleQuery, response: PeopleResponse } },
    async (request, reply) => {
      reply.cacheTags([CACHE.people]);
      return { people: (await listPeople(db, request.query.kind)).map((p) => presentPerson(c, p)) };
    },
  );

  app.get<{ Params: SlugParamsType }>(
    '/people/:slug',
    {
      schema: {
        tags: TAGS,
        summary: 'One public profile',
        description: 'Their stories: `/api/v1/articles?author=…`.',
        params: SlugParams,
        response: PersonResponse,
      },
    },
    async (request, reply) => {
      const person = await findPersonBySlug(db, request.params.slug);
      if (!person) throw notFound('That person');
      reply.cacheTags([CACHE.people, CACHE.person(person.slug)]);
      return { person: presentPerson(c, person) };
    },
  );

  app.get<{ Querystring: TagsQueryType }>(
    '/tags',
    {
      schema: {
        tags: TAGS,
        summary: 'Tags of published stories, by slug',
        description: 'Only tags that at least one published story has. Cursor-based pages: pass `nextCursor` back as `cursor`.',
        querystring: TagsQuery,
        response: TagListResponse,
      },
    },
    async (request, reply) => {
      // Which tags published stories have changes only with what is published.
      reply.cacheTags([CACHE.latest]);
      const q = request.query;
      let after: string | undefined;
      if (q.cursor !== undefined) {
        after = Buffer.from(q.cursor, 'base64url').toString('utf8');
        if (!new RegExp(SLUG_PATTERN, 'u').test(after)) throw invalid({ cursor: 'The cursor is not valid: pass back the nextCursor of an earlier page unchanged.' });
      }
      const { items, next } = await listPublicTags(db, { limit: q.limit ?? 100, after });
      return { tags: items.map((t) => presentTag(c, t)), nextCursor: next && Buffer.from(next, 'utf8').toString('base64url') };
    },
  );

  app.get<{ Params: SlugParamsType }>(
    '/tags/:slug',
    {
      schema: {
        tags: TAGS,
        summary: 'One tag',
        description: 'Only a tag that at least one published story has. Its stories: `/api/v1/articles?tag=…`.',
        params: SlugParams,
        response: TagResponse,
      },
    },
    async (request, reply) => {
      reply.cacheTags([CACHE.latest]);
      const tag = await findPublicTag(db, request.params.slug);
      if (!tag) throw notFound('That tag');
      return { tag: presentTag(c, tag) };
    },
  );

  searchRoute(app, db, config);
}
