// The newsroom API: the editorial workflow over JSON, for the browser UI and for scripts.
// Handlers validate, authenticate, open a transaction, call a named command and present.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../newsroom/db.ts';
import { apiWriter, requireActor } from '../../http/auth.ts';
import { createStory, restoreRevision, saveStory, transition } from '../../newsroom/workflow/commands.ts';
import { assertMayRead, listStoriesFor, loadStoryFor } from '../../newsroom/workflow/queries.ts';
import { listAudit } from '../../newsroom/workflow/audit.ts';
import { getRevision, listRevisions } from '../../newsroom/revisions/repository.ts';
import { diffSnapshots } from '../../newsroom/revisions/diff.ts';
import { TRANSITION_SEGMENTS } from '../../http/transitions.ts';
import { invalid } from '../../newsroom/errors.ts';
import { presentAudit, presentListItem, presentStory } from './presenter.ts';
import {
  DiffQuery,
  IdParams,
  ListQuery,
  RestoreBody,
  RevisionParams,
  SaveBody,
  StoryFields,
  TransitionBody,
  TransitionParams,
  type ListQueryType,
  type TransitionParamsType,
  type SaveBodyType,
  type StoryFieldsBody,
  type TransitionBodyType,
} from './schemas.ts';

const API = '/api/newsroom/v1';
/** A story's JSON carries its whole body (up to 2,000,000 characters of HTML). */
const STORY_BODY_LIMIT = 8 * 1024 * 1024;


export function newsroomApiRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith(API)) reply.header('cache-control', 'no-store');
  });

  app.get<{ Querystring: ListQueryType }>(`${API}/stories`, { schema: { querystring: ListQuery } }, async (request) => {
    const actor = requireActor(request);
    const q = request.query;
    const limit = Math.min(Number(q.limit ?? 50), 200) || 50;
    const { items, more } = await listStoriesFor(db, actor, {
      status: q.status,
      deskId: q.desk === undefined ? undefined : Number(q.desk),
      mine: q.mine === 'true',
      limit,
      offset: Number(q.offset ?? 0),
    });
    return { stories: items.map(presentListItem), more };
  });

  app.post<{ Body: StoryFieldsBody }>(`${API}/stories`, { schema: { body: StoryFields }, bodyLimit: STORY_BODY_LIMIT }, async (request, reply) => {
    const actor = apiWriter(request, reply);
    const story = await db.transaction().execute(async (trx) => {
      const { id } = await createStory(trx, actor, request.body);
      return loadStoryFor(trx, actor, id);
    });
    return reply.code(201).send({ story: presentStory(story) });
  });

  app.get<{ Params: { id: string } }>(`${API}/stories/:id`, { schema: { params: IdParams } }, async (request) => {
    const actor = requireActor(request);
    return { story: presentStory(await loadStoryFor(db, actor, Number(request.params.id))) };
  });

  app.put<{ Params: { id: string }; Body: SaveBodyType }>(`${API}/stories/:id`, { schema: { params: IdParams, body: SaveBody }, bodyLimit: STORY_BODY_LIMIT }, async (request, reply) => {
    const actor = apiWriter(request, reply);
    const id = Number(request.params.id);
    const story = await db.transaction().execute(async (trx) => {
      await saveStory(trx, actor, id, request.body.story, request.body.baseVersion);
      return loadStoryFor(trx, actor, id);
    });
    return { story: presentStory(story) };
  });

  app.post<{ Params: TransitionParamsType; Body: TransitionBodyType }>(
    `${API}/stories/:id/:action`,
    {
      schema: { params: TransitionParams, body: TransitionBody },
      bodyLimit: STORY_BODY_LIMIT,
      // Most commands need no body at all: an empty POST means "no options".
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const actor = apiWriter(request, reply);
      const id = Number(request.params.id);
      const command = TRANSITION_SEGMENTS[request.params.action];
      const body = request.body;
      if (body.story && body.baseVersion === undefined) throw invalid({ baseVersion: 'Send the version your new text starts from as baseVersion.' });
      const story = await db.transaction().execute(async (trx) => {
        await transition(trx, actor, id, command, {
          note: body.note,
          at: body.at ? new Date(body.at) : undefined,
          embargoUntil: body.embargoUntil === undefined ? undefined : body.embargoUntil === null ? null : new Date(body.embargoUntil),
          content: body.story ? { input: body.story, baseVersion: body.baseVersion ?? 0 } : undefined,
        });
        return loadStoryFor(trx, actor, id);
      });
      return { story: presentStory(story) };
    },
  );

  app.get<{ Params: { id: string } }>(`${API}/stories/:id/history`, { schema: { params: IdParams } }, async (request) => {
    const actor = requireActor(request);
    const id = Number(request.params.id);
    await assertMayRead(db, actor, id);
    return { history: (await listAudit(db, id)).map(presentAudit) };
  });

  app.get<{ Params: { id: string } }>(`${API}/stories/:id/revisions`, { schema: { params: IdParams } }, async (request) => {
    const actor = requireActor(request);
    const id = Number(request.params.id);
    await assertMayRead(db, actor, id);
    return { revisions: (await listRevisions(db, id)).map((r) => ({ version: r.version, at: r.at, user: r.userEmail })) };
  });

  app.get<{ Params: { id: string; version: string } }>(`${API}/stories/:id/revisions/:version`, { schema: { params: RevisionParams } }, async (request) => {
    const actor = requireActor(request);
    const id = Number(request.params.id);
    await assertMayRead(db, actor, id);
    const revision = await getRevision(db, id, Number(request.params.version));
    return { revision: { version: revision.version, at: revision.at, fields: revision.fields } };
  });

  app.get<{ Params: { id: string }; Querystring: { from: string; to: string } }>(
    `${API}/stories/:id/diff`,
    { schema: { params: IdParams, querystring: DiffQuery } },
    async (request) => {
      const actor = requireActor(request);
      const id = Number(request.params.id);
      await assertMayRead(db, actor, id);
      const [from, to] = await Promise.all([getRevision(db, id, Number(request.query.from)), getRevision(db, id, Number(request.query.to))]);
      return { from: from.version, to: to.version, fields: diffSnapshots(from.fields, to.fields) };
    },
  );

  app.post<{ Params: { id: string; version: string }; Body: { baseVersion: number } }>(
    `${API}/stories/:id/revisions/:version/restore`,
    { schema: { params: RevisionParams, body: RestoreBody } },
    async (request, reply) => {
      const actor = apiWriter(request, reply);
      const id = Number(request.params.id);
      const story = await db.transaction().execute(async (trx) => {
        await restoreRevision(trx, actor, id, Number(request.params.version), request.body.baseVersion);
        return loadStoryFor(trx, actor, id);
      });
      return { story: presentStory(story) };
    },
  );
}
