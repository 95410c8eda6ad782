// Everything the site offers machines rather than people: story feeds, sitemaps, robots.txt and
// the publisher logo that structured data and feeds point at. One call registers it all.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Queryable } from '../../newsroom/db.ts';
import { feedRoutes } from '../routes/feeds.ts';
import { sitemapRoutes } from '../routes/sitemaps.ts';
import { LOGO_PATH } from './urls.ts';

/** A text-free square mark (512 × 512 PNG): Google wants a publisher logo for articles. */
const logo = readFileSync(new URL('./logo.png', import.meta.url));

export function discoveryRoutes(app: FastifyInstance, db: Queryable, config: Config): void {
  app.get(LOGO_PATH, async (_request, reply) => reply.type('image/png').header('cache-control', 'public, max-age=86400').send(logo));
  // Browsers ask for /favicon.ico on their own; the mark as PNG is what every current one shows.
  app.get('/favicon.ico', async (_request, reply) => reply.type('image/png').header('cache-control', 'public, max-age=86400').send(logo));
  feedRoutes(app, db, config);
  sitemapRoutes(app, db, config);
}
