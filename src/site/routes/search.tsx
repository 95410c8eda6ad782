// GET /search: the search page. Bad filters answer 400 with the form and what to fix, never an
// error page; a query with nothing to search for answers 200 with a message saying so.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/connection.ts';
import { listDesks } from '../../newsroom/desks/repository.ts';
import { listPeople } from '../../newsroom/people/repository.ts';
import { search } from '../../search/index.ts';
import { readSearchRequest } from '../../search/params.ts';
import { loadChrome } from '../chrome.ts';
import { renderHtml } from '../render.ts';
import { SEARCH_PATH, SearchPage } from '../views/search.tsx';
import { CHROME_TAGS, TAGS } from '../cache-tags.ts';

export function searchRoutes(app: FastifyInstance, db: Db, config: Config): void {
  const kysely = db.kysely;
  app.get(SEARCH_PATH, async (request, reply) => {
    const [chrome, desks, people, searchRequest] = await Promise.all([
      loadChrome(kysely, config),
      listDesks(kysely),
      listPeople(kysely),
      readSearchRequest(kysely, request.query, config.timeZone),
    ]);
    const { values, filters, page, asked, errors } = searchRequest;
    const invalid = Object.keys(errors).length > 0;
    const results = !invalid && asked ? await search(db, values.q, filters, page) : undefined;
    const body = renderHtml(SearchPage({ chrome, data: { values, errors, desks, people, results } }));
    if (invalid) return reply.code(400).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
    // Results change with any story (and the filters list desks and people): dropped with them.
    reply.cacheTags([...CHROME_TAGS, TAGS.stories, TAGS.latest, TAGS.people]);
    return reply.type('text/html; charset=utf-8').send(body);
  });
}
