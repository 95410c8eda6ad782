// Newsroom API for soft locks, front-page curation and the breaking-news banner.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../newsroom/db.ts';
import { apiWriter, requireActor } from '../../http/auth.ts';
import { clearBreaking, curatedIds, currentBreaking, setBreaking, setFrontPage } from '../../newsroom/frontpage.ts';
import { closeStory, openStory } from '../../newsroom/workflow/locks.ts';
import { BreakingBody, FrontPageBody, IdParams, LockBody, type BreakingBodyType, type FrontPageBodyType, type LockBodyType } from './schemas.ts';

const API = '/api/newsroom/v1';

export function curationApiRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  app.post<{ Params: { id: string }; Body: LockBodyType }>(
    `${API}/stories/:id/lock`,
    {
      schema: { params: IdParams, body: LockBody },
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const actor = apiWriter(request, reply);
      const lock = await db.transaction().execute((trx) => openStory(trx, actor, Number(request.params.id), { takeover: request.body.takeover === true }));
      return { lock };
    },
  );

  app.delete<{ Params: { id: string } }>(`${API}/stories/:id/lock`, { schema: { params: IdParams } }, async (request, reply) => {
    const actor = apiWriter(request, reply);
    await closeStory(db, actor, Number(request.params.id));
    return reply.code(204).send();
  });

  app.get(`${API}/front-page`, async (request) => {
    requireActor(request);
    return { articleIds: await curatedIds(db) };
  });

  app.put<{ Body: FrontPageBodyType }>(`${API}/front-page`, { schema: { body: FrontPageBody } }, async (request, reply) => {
    const actor = apiWriter(request, reply);
    const articleIds = await db.transaction().execute((trx) => setFrontPage(trx, actor, request.body.articleIds));
    return { articleIds };
  });

  app.get(`${API}/breaking`, async (request) => {
    requireActor(request);
    return { breaking: (await currentBreaking(db)) ?? null };
  });

  app.put<{ Body: BreakingBodyType }>(`${API}/breaking`, { schema: { body: BreakingBody } }, async (request, reply) => {
    const actor = apiWriter(request, reply);
    const body = request.body;
    const breaking = await db.transaction().execute((trx) => setBreaking(trx, actor, { headline: body.headline, url: body.url ?? null, expiresAt: new Date(body.expiresAt) }));
    return { breaking };
  });

  app.delete(`${API}/breaking`, async (request, reply) => {
    const actor = apiWriter(request, reply);
    await clearBreaking(db, actor);
    return reply.code(204).send();
  });
}
