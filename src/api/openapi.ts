// The OpenAPI 3.1 document of the JSON API, generated from the route schemas (@fastify/swagger in
// dynamic mode) and served at /api/openapi.json. Register it before any route: it collects
// routes as they are added. Only routes under /api/ are documented; the site's pages are not.
import type { FastifyInstance, FastifySchema } from 'fastify';
import swagger from '@fastify/swagger';
import type { Config } from '../config.ts';
import { Type } from '@sinclair/typebox';
import { ErrorBody } from './public/schemas.ts';

export const OPENAPI_PATH = '/api/openapi.json';

const PUBLIC_TAG = 'Public content';
const NEWSROOM_TAG = 'Newsroom';

/** The error handler's JSON; the newsroom's errors may carry details (both texts of an edit conflict). */
const NewsroomErrorBody = Type.Object(
  {
    error: Type.Object({
      ...ErrorBody.properties.error.properties,
      details: Type.Optional(Type.Unknown({ description: 'What a client needs to recover, e.g. both texts of a 409 edit conflict.' })),
    }),
  },
  { description: 'An error, with a stable code.' },
);

/** What a route under /api/ looks like in the document; undefined hides it. */
export function documented(url: string, schema: FastifySchema | undefined): FastifySchema | undefined {
  if (!url.startsWith('/api/') || url === OPENAPI_PATH) return undefined;
  if (url.startsWith('/api/v1/')) return { ...schema, tags: schema?.tags ?? [PUBLIC_TAG] };
  // Everything else under /api/ is the newsroom's: it needs a token (or a browser session), and
  // answers errors in the one JSON shape of the error handler.
  const response = (schema?.response ?? {}) as Record<string, unknown>;
  return {
    ...schema,
    tags: schema?.tags ?? [NEWSROOM_TAG],
    security: schema?.security ?? [{ bearerAuth: [] }],
    response: { ...response, '4xx': response['4xx'] ?? NewsroomErrorBody },
  };
}

export async function registerOpenApi(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Dateline API',
        version: '1.0.0',
        description:
          'Published stories, desks, people and tags for anyone (`/api/v1`, read-only, CORS open, cached with ETags), and the editorial workflow for the newsroom (`/api/newsroom/v1`, with an API token). Errors are JSON: `{"error": {"code", "message", "fields"?}}` with a stable `code`.',
      },
      servers: [{ url: config.siteUrl }],
      tags: [
        { name: PUBLIC_TAG, description: 'What readers may see: published stories and the people and desks behind them.' },
        { name: NEWSROOM_TAG, description: 'The editorial workflow: stories, revisions, workflow commands, curation. Needs an API token.' },
      ],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API token (`dl_…`) made on /account or with `dateline token create`.',
          },
        },
      },
    },
    transform: ({ schema, url }) => {
      const shown = documented(url, schema);
      return { schema: shown ?? { ...schema, hide: true }, url };
    },
  });

  app.get(OPENAPI_PATH, { schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*').send(app.swagger()),
  );
}
