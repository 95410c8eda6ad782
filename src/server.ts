// Assembles the application from its parts. Nothing listens here: callers decide.
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import csrf from '@fastify/csrf-protection';
import type { Config } from './config.ts';
import type { Db } from './db/connection.ts';
import { installErrorHandlers } from './http/errors.ts';
import { siteAssets } from './site/assets.ts';
import { pageRoutes } from './site/routes/pages.tsx';
import { legacyRoutes } from './site/routes/legacy.tsx';
import { setupRoutes } from './site/routes/setup.tsx';
import { contactRoutes } from './site/routes/contact.tsx';
import { searchRoutes } from './site/routes/search.tsx';
import { discoveryRoutes } from './site/seo/routes.ts';
import { cookieSecret } from './newsroom/settings/secrets.ts';
import { startScheduler } from './jobs/scheduler.ts';
import { startWebhookDispatcher, type DispatcherOptions } from './jobs/webhooks.ts';
import { registerAuth } from './http/auth.ts';
import { fieldErrors } from './http/schema-errors.ts';
import { newsroomApiRoutes } from './api/newsroom/routes.ts';
import { curationApiRoutes } from './api/newsroom/curation.ts';
import { storyAdminRoutes } from './admin/routes/stories.tsx';
import { adminAssetRoutes } from './admin/routes/assets.ts';
import { frontPageAdminRoutes } from './admin/routes/frontpage.tsx';
import { inboxAdminRoutes } from './admin/routes/inbox.tsx';
import { manageAdminRoutes } from './admin/routes/manage.tsx';
import { adminApiRoutes } from './api/newsroom/admin.ts';
import { inboxApiRoutes } from './api/newsroom/inbox.ts';
import multipart from '@fastify/multipart';
import { mediaApiRoutes } from './api/newsroom/media.ts';
import { mediaFileRoutes } from './media/http.ts';
import { mediaAdminRoutes } from './admin/routes/media.tsx';
import { DiskStorage } from './media/storage.ts';
import { registerOpenApi } from './api/openapi.ts';
import { PUBLIC_API, publicApiRoutes } from './api/public/routes.ts';
import { answerFromCache, installPageCache } from './cache/http.ts';
import type { PageStore } from './cache/store.ts';
import { createServer } from 'node:http';

export interface AppOptions {
  config: Config;
  db: Db;
  /** Pino logger options, or false for none (tests). */
  logger?: boolean | object;
  /** Overrides for webhook delivery (tests: clock, back-off, lease). */
  webhooks?: Partial<DispatcherOptions>;
}

export async function buildApp({ config, db, logger = false, webhooks: webhookOptions = {} }: AppOptions): Promise<FastifyInstance> {
  // Stored pages are answered before Fastify sees the request (src/cache/http.ts).
  let cached: PageStore | undefined;
  const app = Fastify({
    serverFactory: (handler) => {
      const server = createServer((request, response) => {
        if (cached && answerFromCache(cached, request, response)) return;
        handler(request, response);
      });
      // Fastify's own default, which it sets only on servers it makes: idle keep-alive
      // connections outlive a client's pool (Node's 5 s would close them under its feet).
      server.keepAliveTimeout = 72_000;
      return server;
    },
    logger,
    trustProxy: config.trustProxy,
    bodyLimit: 256 * 1024,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
    // Unknown fields are refused, not silently dropped; schema errors name the field.
    ajv: { customOptions: { removeAdditional: false } },
    schemaErrorFormatter: fieldErrors,
  });
  const kysely = db.kysely;

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'img-src': ["'self'", 'https:', 'data:'],
        'style-src': ["'self'", "'unsafe-inline'"],
        'script-src': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'self'"],
        'upgrade-insecure-requests': config.siteUrl.startsWith('https:') ? [] : null,
      },
    },
    // The site is plain HTTP on a laptop; HSTS only makes sense behind real HTTPS.
    strictTransportSecurity: config.siteUrl.startsWith('https:'),
  });
  await app.register(cookie, { secret: await cookieSecret(kysely) });
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  // Multipart bodies are read only by routes that ask (request.parts()), with their own limits; these are the defaults.
  await app.register(multipart, { limits: { fileSize: config.mediaMaxBytes, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 30 } });
  await app.register(rateLimit, { global: false });
  await app.register(csrf, { cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: config.siteUrl.startsWith('https:') } });

  installErrorHandlers(app, kysely, config);
  // Before any route: the OpenAPI document is built from the routes as they are added.
  await registerOpenApi(app, config);

  const assets = await siteAssets();
  app.get(assets.script.path, async (_request, reply) =>
    reply.type(assets.script.type).header('cache-control', 'public, max-age=31536000, immutable').send(assets.script.body),
  );
  app.get('/health', async (_request, reply) => {
    await kysely.selectFrom('settings').select('key').limit(1).execute();
    return reply.header('cache-control', 'no-store').send({ status: 'ok' });
  });

  const scheduler = startScheduler(
    kysely,
    (ids) => {
      app.log.info({ ids }, 'published scheduled stories');
      // Readers see them now, not at the page cache's next poll.
      void app.pageCache?.sync();
    },
    (error) => app.log.error({ err: error }, 'scheduled publishing failed'),
  );
  app.decorate('scheduler', scheduler);
  app.addHook('onClose', () => scheduler.stop());
  const webhooks = startWebhookDispatcher(kysely, {
    siteUrl: config.siteUrl,
    historyDays: config.webhookHistoryDays,
    onAttempt: (r) => app.log[r.error ? 'warn' : 'info']({ delivery: r.deliveryId, event: r.eventId, attempt: r.attempt, status: r.statusCode, error: r.error }, `webhook ${r.eventType} to ${r.url}`),
    onError: (error) => app.log.error({ err: error }, 'webhook delivery failed'),
    ...webhookOptions,
  });
  app.decorate('webhooks', webhooks);
  app.addHook('onClose', () => webhooks.stop());

  registerAuth(app, kysely, config);
  // Before any route: every public GET may be answered from the page cache.
  const pageCache = await installPageCache(app, kysely, config);
  if (pageCache.enabled) cached = pageCache.store;
  app.addHook('onClose', () => pageCache.store.clear());
  newsroomApiRoutes(app, kysely);
  curationApiRoutes(app, kysely);
  adminApiRoutes(app, kysely);
  inboxApiRoutes(app, kysely);
  // Media files on disk for now; an S3-compatible MediaStorage can replace DiskStorage here.
  const mediaStorage = new DiskStorage(config.mediaDir);
  mediaApiRoutes(app, kysely, mediaStorage, { maxBytes: config.mediaMaxBytes });
  mediaFileRoutes(app, mediaStorage);
  mediaAdminRoutes(app, kysely, config, mediaStorage);
  await adminAssetRoutes(app);
  storyAdminRoutes(app, kysely, config);
  await frontPageAdminRoutes(app, kysely, config);
  inboxAdminRoutes(app, kysely, config);
  manageAdminRoutes(app, kysely, config);
  await app.register(publicApiRoutes, { prefix: PUBLIC_API, db: kysely, config });
  setupRoutes(app, kysely, config);
  contactRoutes(app, kysely, config);
  searchRoutes(app, db, config);
  discoveryRoutes(app, kysely, config);
  // Old addresses of an imported site: before the site's catch-all desk and story routes.
  legacyRoutes(app, kysely, config);
  pageRoutes(app, kysely, config);
  return app;
}
