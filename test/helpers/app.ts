// The real app on a real database, for HTTP tests through app.inject.
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Db } from '../../src/db/connection.ts';
import { prepareFirstRun, type FirstRun } from '../../src/newsroom/first-run.ts';
import { buildApp } from '../../src/server.ts';
import type { TestDatabase } from './databases.ts';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  url: string;
  firstRun: FirstRun;
  close(): Promise<void>;
}

export async function startApp(kind: TestDatabase, options: { demo?: boolean; env?: Record<string, string>; now?: Date } = {}): Promise<TestApp> {
  const { db, url, dispose } = await kind.create();
  // The page cache is off unless a test asks for it (test/cache, the visibility tests): most tests
  // change the database directly between reads, which in production only the newsroom does.
  const config = loadConfig({ DATABASE_URL: url, DATELINE_DEMO: 'false', DATELINE_PAGE_CACHE: 'off', ...options.env });
  const firstRun = await db.kysely.transaction().execute((trx) => prepareFirstRun(trx, { demo: options.demo ?? false, ownerEmail: 'owner@example.com', now: options.now }));
  const app = await buildApp({ config, db });
  return {
    app,
    db,
    config,
    url,
    firstRun,
    async close() {
      await app.close();
      await dispose();
    },
  };
}

/** Undoes the HTML escaping of text so tests can compare with plain strings. */
export const unescapeHtml = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
