// `dateline webhook …` as an operator runs it: a real process on a real SQLite file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { createUser } from '../../src/newsroom/users.ts';
import { createStory, transition } from '../../src/newsroom/workflow/commands.ts';
import { claimDue, recordAttempt } from '../../src/newsroom/webhooks/deliveries.ts';

const root = resolve(import.meta.dirname, '../..');
let dir: string;
let env: NodeJS.ProcessEnv;
let db: Db;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dateline-webhook-cli-'));
  env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'cli.db')}`, LOG_LEVEL: 'silent' };
  db = openDatabase(env.DATABASE_URL!);
  await migrateToLatest(db);
});
after(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin/dateline.js'), 'webhook', ...args], { cwd: root, env, encoding: 'utf8' });

test('add prints the secret once; list shows webhooks without it; remove takes one away', () => {
  const added = run('add', 'https://hooks.example.com/dateline', '--events', 'article.published,article.corrected', '--description', 'Apps team');
  assert.equal(added.status, 0, added.stderr);
  assert.match(added.stdout, /^Webhook (\d+) sends article\.published, article\.corrected to https:\/\/hooks\.example\.com\/dateline\./);
  const secret = /\n(whsec_[\w-]{43})\n/.exec(added.stdout)?.[1];
  assert.ok(secret, added.stdout);
  const listed = run('list');
  assert.match(listed.stdout, /active {2}https:\/\/hooks\.example\.com\/dateline {2}article\.published,article\.corrected {2}"Apps team"/);
  assert.doesNotMatch(listed.stdout, new RegExp(secret));

  const given = run('add', 'http://127.0.0.1:9/other', '--events', '*', '--secret', 'a-secret-of-my-own-choosing');
  assert.equal(given.status, 0, given.stderr);
  assert.doesNotMatch(given.stdout, /a-secret-of-my-own-choosing/);
  const otherId = /^Webhook (\d+)/.exec(given.stdout)?.[1];
  assert.match(run('pause', otherId!).stdout, /is paused/);
  assert.match(run('list').stdout, new RegExp(`${otherId} {2}paused`));
  assert.match(run('remove', otherId!).stdout, /Removed webhook/);
  assert.doesNotMatch(run('list').stdout, /127\.0\.0\.1:9/);
});

test('bad input: one line on stderr, exit 1', () => {
  for (const [args, message] of [
    [['add', 'ftp://files.example.com/x', '--events', 'article.published'], /must be http or https/],
    [['add', 'not a url', '--events', 'article.published'], /is not a URL/],
    [['add', 'https://x.example.com', '--events', 'article.deleted'], /Unknown event "article\.deleted"/],
    [['add', 'https://x.example.com', '--events', ''], /Choose at least one event/],
    [['add', 'https://x.example.com', '--events', 'article.updated', '--secret', 'short'], /at least 16 characters/],
    [['remove', '12x'], /is not a webhook id/],
    [['remove', '999'], /That webhook was not found/],
    [['redeliver', '999'], /That delivery was not found/],
    [['deliveries', '--limit', '0'], /--limit must be a number from 1 to 1000/],
    [['deliveries', '--status', 'lost'], /--status must be one of/],
  ] as Array<[string[], RegExp]>) {
    const res = run(...args);
    assert.equal(res.status, 1, `${args.join(' ')}: ${res.stdout}`);
    assert.match(res.stderr, message);
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
  }
  assert.notEqual(run('add', 'https://x.example.com').status, 0, '--events is required');
});

test('the delivery log shows outcomes, --failed filters, redeliver queues the event again', async () => {
  const desk = await createDesk(db.kysely, { name: 'World' });
  const user = await createUser(db.kysely, { email: 'chief@example.com', role: 'managing_editor' });
  const actor = { userId: user.id, role: 'managing_editor' as const, personId: null };
  const { id } = await createStory(db.kysely, actor, { headline: 'Logged story', deskId: desk.id, bodyHtml: '<p>x</p>' });
  await transition(db.kysely, actor, id, 'submit');
  await transition(db.kysely, actor, id, 'publish');
  // One attempt that failed for good, as the dispatcher records it.
  const [claim] = await claimDue(db.kysely, { now: new Date(), leaseMs: 60_000, limit: 10 });
  assert.ok(claim);
  await recordAttempt(db.kysely, claim, { statusCode: 500, error: 'HTTP 500: boom' }, { now: new Date(), retry: { baseMs: 1, capMs: 1, maxAttempts: 1, jitter: 0 } });

  const log = run('deliveries');
  assert.equal(log.status, 0, log.stderr);
  assert.match(log.stdout, new RegExp(`\\s${claim.id}\\s+failed\\s+1\\s+article\\.published\\s+${id}\\s+${claim.event.id} → https://hooks\\.example\\.com/dateline`));
  assert.match(log.stdout, /last: HTTP 500: boom/);
  assert.match(run('deliveries', '--failed').stdout, new RegExp(claim.event.id));
  assert.match(run('deliveries', '--status', 'delivered').stdout, /No deliveries\./);

  const again = run('redeliver', String(claim.id));
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`sends article\\.published ${claim.event.id} to https://hooks\\.example\\.com/dateline again \\(was delivery ${claim.id}, failed\\)`));
  assert.match(run('deliveries', '--status', 'pending', '--limit', '1').stdout, new RegExp(`pending\\s+0\\s+article\\.published.*${claim.event.id}[^]*due `));
});
