// A Dateline server process for the crash test: the real buildApp on DATABASE_URL, its webhook
// dispatcher polling fast and leasing briefly so a test need not wait minutes. It reports each
// attempt as a JSON line on stdout; with PUBLISH_ARTICLE set it first publishes that story (as
// PUBLISH_USER) the way the newsroom does: one transaction, outbox included.
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { buildApp } from '../../src/server.ts';
import { transition } from '../../src/newsroom/workflow/commands.ts';

const env = process.env;
const config = loadConfig({ DATABASE_URL: env.DATABASE_URL, DATELINE_DEMO: 'false' });
const db = openDatabase(config.databaseUrl);
const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const app = await buildApp({
  config,
  db,
  webhooks: {
    intervalMs: 50,
    // Long enough that a slow first attempt on a busy machine is not claimed again mid-flight.
    leaseMs: Number(env.LEASE_MS ?? 10_000),
    timeoutMs: Number(env.TIMEOUT_MS ?? 10_000),
    retry: { baseMs: 200, capMs: 400, maxAttempts: 20, jitter: 0 },
    onAttempt: (result) => print({ attempt: result }),
    onError: (error) => print({ error: String(error) }),
  },
});
if (env.PUBLISH_ARTICLE) {
  const actor = { userId: Number(env.PUBLISH_USER), role: 'managing_editor' as const, personId: null };
  await db.kysely.transaction().execute((trx) => transition(trx, actor, Number(env.PUBLISH_ARTICLE), 'publish'));
  const event = await db.kysely.selectFrom('webhook_events').select('id').where('article_id', '=', Number(env.PUBLISH_ARTICLE)).executeTakeFirstOrThrow();
  print({ published: event.id });
}
print({ ready: true });
// Like a listening server, stay up until told to stop (the dispatcher's own timer does not hold the process).
setInterval(() => {}, 60_000);
process.on('SIGTERM', () => void app.close().then(() => db.close()).then(() => process.exit(0)));
