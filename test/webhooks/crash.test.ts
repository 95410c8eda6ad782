// No event is lost to a crash: a server process killed with SIGKILL while a delivery is pending
// (the receiver down) or in flight (the receiver not yet answering) leaves it in the outbox, and
// the next process started on the same database delivers it, so the receiver (deduplicating by
// event id) acts on the event exactly once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { eachDatabase } from '../helpers/databases.ts';
import type { Db } from '../../src/db/connection.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { createUser } from '../../src/newsroom/users.ts';
import { createStory, transition } from '../../src/newsroom/workflow/commands.ts';
import { createSubscription } from '../../src/newsroom/webhooks/subscriptions.ts';
import { listDeliveries } from '../../src/newsroom/webhooks/deliveries.ts';
import { startReceiver, type Receiver } from './receiver.ts';

const SCRIPT = fileURLToPath(new URL('./server-process.ts', import.meta.url));

interface ServerProcess {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  waitFor(predicate: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

function startServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // Not one of ours.
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    lines,
    async waitFor(predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find(predicate);
        if (found) return found;
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server process: no such line (exit ${child.exitCode}); stdout ${JSON.stringify(lines)}; stderr ${stderr}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async kill(signal) {
      if (child.exitCode === null) child.kill(signal);
      await exited;
    },
  };
}

eachDatabase('webhooks across a killed process', (kind) => {
  let db: Db;
  let url: string;
  let dispose: () => Promise<void>;
  let userId: number;
  let deskId: number;
  const running: ServerProcess[] = [];

  before(async () => {
    ({ db, url, dispose } = await kind.create());
    deskId = (await createDesk(db.kysely, { name: 'World' })).id;
    userId = (await createUser(db.kysely, { email: 'chief@example.com', role: 'managing_editor' })).id;
  });
  after(async () => {
    for (const p of running) await p.kill('SIGKILL');
    await dispose();
  });

  const approvedStory = async (headline: string) => {
    const actor = { userId, role: 'managing_editor' as const, personId: null };
    const { id } = await createStory(db.kysely, actor, { headline, deskId, bodyHtml: '<p>Text.</p>' });
    await transition(db.kysely, actor, id, 'submit');
    await transition(db.kysely, actor, id, 'approve');
    return id;
  };
  const server = (env: Record<string, string> = {}) => {
    const p = startServer({ DATABASE_URL: url, ...env });
    running.push(p);
    return p;
  };
  const subscribe = async (receiverUrl: string) => (await createSubscription(db.kysely, { url: receiverUrl, events: ['article.published'] })).secret;
  const clearSubscriptions = () => db.kysely.deleteFrom('webhooks').execute();

  test('an event published while the receiver is down is delivered once by the next process after a SIGKILL', async () => {
    await clearSubscriptions();
    // A port nobody listens on: the receiver is down.
    const probe = await startReceiver();
    const port = probe.port;
    await probe.close();
    const secret = await subscribe(`http://127.0.0.1:${port}/hook`);
    const id = await approvedStory('Published while the receiver was down');

    const first = server({ PUBLISH_ARTICLE: String(id), PUBLISH_USER: String(userId) });
    const { published: eventId } = await first.waitFor((l) => 'published' in l);
    assert.match(String(eventId), /^evt_/);
    const failed = await first.waitFor((l) => 'attempt' in l);
    assert.equal((failed.attempt as { statusCode: number | null }).statusCode, null);
    assert.match(String((failed.attempt as { error: string }).error), /ECONNREFUSED/);
    await first.kill('SIGKILL');
    const [pending] = await listDeliveries(db.kysely, { eventId: String(eventId), limit: 5 });
    assert.equal(pending?.status, 'pending', 'still in the outbox after the kill');

    let receiver: Receiver | undefined;
    try {
      receiver = await startReceiver({ port, secret });
      const second = server();
      await receiver.waitFor(() => receiver!.processed.length > 0);
      await second.waitFor((l) => (l.attempt as { status?: string } | undefined)?.status === 'delivered');
      // The dispatcher may deliver before the process says it is ready: count from there.
      await second.waitFor((l) => 'ready' in l);
      // A few more polls of the second process: nothing is sent again.
      const polls = second.lines.length;
      await new Promise((r) => setTimeout(r, 300));
      await second.kill('SIGTERM');
      assert.equal(second.lines.length, polls);
      assert.deepEqual(receiver.processed, [eventId]);
      assert.equal(receiver.received.length, 1, 'received exactly once');
      assert.equal(receiver.rejected, 0, 'signed with the subscription secret');
      assert.equal(receiver.received[0]?.json.data.article.headline, 'Published while the receiver was down');
      const [done] = await listDeliveries(db.kysely, { eventId: String(eventId), limit: 5 });
      assert.equal(done?.status, 'delivered');
    } finally {
      await receiver?.close();
    }
  });

  test('a delivery in flight when the process is killed is sent again after its lease, and acted on once', async () => {
    await clearSubscriptions();
    const receiver = await startReceiver();
    try {
      // The first request is never answered: the process dies waiting for it.
      receiver.answer = (_r, n) => (n === 0 ? 'hang' : 200);
      receiver.secret = await subscribe(receiver.url);
      const id = await approvedStory('In flight at the crash');
      const first = server({ PUBLISH_ARTICLE: String(id), PUBLISH_USER: String(userId), LEASE_MS: '1500' });
      const { published: eventId } = await first.waitFor((l) => 'published' in l);
      await receiver.waitFor(() => receiver.received.length === 1);
      await first.kill('SIGKILL');
      assert.equal(receiver.processed.length, 0, 'not yet acted on');
      const [inFlight] = await listDeliveries(db.kysely, { eventId: String(eventId), limit: 5 });
      assert.equal(inFlight?.attempts, 1);

      const second = server({ LEASE_MS: '1500' });
      await second.waitFor((l) => (l.attempt as { status?: string } | undefined)?.status === 'delivered');
      await second.kill('SIGTERM');
      assert.deepEqual(receiver.processed, [eventId]);
      assert.equal(receiver.received.length, 2, 'the interrupted request, then the one that was answered');
      assert.equal(receiver.received[0]?.json.id, receiver.received[1]?.json.id, 'same event id both times');
      const [done] = await listDeliveries(db.kysely, { eventId: String(eventId), limit: 5 });
      assert.equal(done?.status, 'delivered');
      assert.equal(done?.attempts, 2);
    } finally {
      await receiver.close();
    }
  });
});
