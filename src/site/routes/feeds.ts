// Story feeds in RSS 2.0, Atom 1.0 and JSON Feed 1.1 beside every page that lists stories:
// /feed.xml, /{desk}/feed.xml, /tag/{slug}/feed.xml, /author/{slug}/feed.xml (and .atom, .json).
// The static last segment wins over the article route /:desk/:slug; story slugs hold no dot.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.ts';
import type { Queryable } from '../../newsroom/db.ts';
import { findDeskBySlug, findFormerDeskSlug } from '../../newsroom/desks/repository.ts';
import { findPersonBySlug } from '../../newsroom/people/repository.ts';
import { findTagBySlug } from '../../newsroom/tags/repository.ts';
import { notFound } from '../../newsroom/errors.ts';
import { paths } from '../paths.ts';
import { FEED_FILES, FEED_TYPES, feedLinks, renderFeed, type FeedFormat } from '../feeds/render.ts';
import { storyFeed, type FeedScope } from '../feeds/stories.ts';
import { shownTags, TAGS } from '../cache-tags.ts';

export function feedRoutes(app: FastifyInstance, db: Queryable, config: Config): void {
  const send = async (reply: FastifyReply, format: FeedFormat, scope: FeedScope) => {
    const now = new Date();
    const { meta, entries, stories } = await storyFeed(db, config, scope, now);
    const list =
      scope.kind === 'desk' ? [TAGS.deskList(scope.desk.id)] : scope.kind === 'tag' ? [TAGS.tagList(scope.tag.id)] : scope.kind === 'author' ? [TAGS.personList(scope.person.id), TAGS.person(scope.person.slug)] : [TAGS.latest];
    reply.cacheTags([TAGS.site, ...list, ...shownTags(stories)]);
    return reply.type(FEED_TYPES[format]).send(renderFeed(format, meta, entries, now));
  };

  for (const format of ['rss', 'atom', 'json'] as const) {
    const file = FEED_FILES[format];

    app.get(`/${file}`, async (_request, reply) => send(reply, format, { kind: 'site' }));

    app.get<{ Params: { desk: string } }>(`/:desk/${file}`, async (request, reply) => {
      const desk = await findDeskBySlug(db, request.params.desk);
      if (desk) return send(reply, format, { kind: 'desk', desk });
      const current = await findFormerDeskSlug(db, request.params.desk);
      if (current) return reply.redirect(feedLinks(paths.desk(current))[format], 301);
      throw notFound('That feed');
    });

    app.get<{ Params: { slug: string } }>(`/tag/:slug/${file}`, async (request, reply) => {
      const tag = await findTagBySlug(db, request.params.slug);
      if (!tag) throw notFound('That feed');
      return send(reply, format, { kind: 'tag', tag });
    });

    app.get<{ Params: { slug: string } }>(`/author/:slug/${file}`, async (request, reply) => {
      const person = await findPersonBySlug(db, request.params.slug);
      if (!person) throw notFound('That feed');
      return send(reply, format, { kind: 'author', person });
    });
  }
}
