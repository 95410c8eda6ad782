import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/connection.ts';
import { migrateToLatest, pendingMigrations } from '../db/migrate.ts';
import { prepareFirstRun } from '../newsroom/first-run.ts';
import { buildApp } from '../server.ts';
import { CliError } from './errors.ts';

interface ServeOptions {
  demo: boolean;
  migrate: boolean;
  port?: string;
  host?: string;
}

export function registerServe(cli: Command): void {
  cli
    .command('serve')
    .description('serve the site and the newsroom (migrates the database and, on first run, seeds the demo newsroom)')
    .option('--no-demo', 'do not seed the demo newsroom into an empty database (or set DATELINE_DEMO=false)')
    .option('--no-migrate', 'refuse to start on an out-of-date schema instead of migrating it')
    .option('-p, --port <port>', 'port to listen on (default: PORT or 3000)')
    .option('-H, --host <host>', 'address to listen on (default: HOST or 127.0.0.1)')
    .action(async (options: ServeOptions) => serve(options));
}

async function serve(options: ServeOptions): Promise<void> {
  const env = { ...process.env, ...(options.port ? { PORT: options.port } : {}), ...(options.host ? { HOST: options.host } : {}) };
  const config = loadConfig(env);
  const db = openDatabase(config.databaseUrl);
  if (options.migrate) await migrateToLatest(db);
  else if ((await pendingMigrations(db)).length > 0) {
    await db.close();
    throw new CliError('the database schema is out of date; run "dateline migrate" first');
  }
  const firstRun = await db.kysely.transaction().execute((trx) => prepareFirstRun(trx, { demo: options.demo && config.demo, ownerEmail: config.ownerEmail }));
  const app = await buildApp({ config, db, logger: { level: config.logLevel } });
  installShutdown(async () => {
    await app.close();
    await db.close();
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await db.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`port ${config.port} on ${config.host} is in use; stop the other server or set PORT`);
    throw error;
  }
  console.log(`\nDateline is serving ${config.siteUrl}/`);
  if (firstRun.seeded) console.log(`Seeded the demo newsroom: ${firstRun.seeded.desks} desks, ${firstRun.seeded.people} people, ${firstRun.seeded.stories} stories.`);
  if (firstRun.ownerToken) {
    console.log(`Set the owner's password (${firstRun.ownerEmail}) once, here: ${config.siteUrl}/setup/${firstRun.ownerToken}`);
  }
  console.log('');
}

function installShutdown(close: () => Promise<void>): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`\n${signal}: finishing open requests and closing the database…`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
