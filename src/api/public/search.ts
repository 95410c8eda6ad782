// GET /api/v1/search: full-text search of published stories through the search module (the
// same one the site uses), with the list's filters and numbered pages.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Queryable } from '../../newsroom/db.ts';
import { MAX_SEARCH_PAGE, search } from '../../search/index.ts';
import { resolveFilters } from './filters.ts';
import { presentSearchHit, type PresentContext } from './presenter.ts';
import { SearchQuery, SearchResponse, type SearchQueryType } from './schemas.ts';
import { TAGS as CACHE } from '../../site/cache-tags.ts';

export function searchRoute(app: FastifyInstance, db: Queryable, config: Config): void {
  const c: PresentContext = { siteUrl: config.siteUrl };
  app.get<{ Querystring: SearchQueryType }>(
    '/search',
    {
      schema: {
        tags: ['Public content'],
        summary: 'Search published stories',
        description:
          'Best first: all the words in the headline, then in headline and dek, then anywhere (newest first). Where the words are in more than 200 headlines, the 200 newest come first, best first, then the next 200. Filters as on `/api/v1/articles` (no tag). A query with nothing to search for answers 200 with `query.problem` and no results.',
        querystring: SearchQuery,
        response: SearchResponse,
      },
    },
    async (request, reply) => {
      // Any story's change may change what matches.
      reply.cacheTags([CACHE.site, CACHE.stories, CACHE.latest]);
      const q = request.query;
      const filters = await resolveFilters(db, q, config.timeZone);
      const page = q.page ?? 1;
      const found = await search(db, q.q, filters, page, { pageSize: q.limit ?? 20 });
      return {
        query: { text: found.query.text, truncated: found.query.truncated, problem: found.query.problem ?? null },
        results: found.hits.map((hit) => presentSearchHit(c, hit)),
        page: found.page,
        nextPage: found.more && page < MAX_SEARCH_PAGE ? page + 1 : null,
        newestOnly: found.cut,
      };
    },
  );
}
