// Webhook delivery end to end on a real database and a real HTTP receiver: which workflow
// commands send which events (and drafts none), what a payload holds, retries with back-off,
// giving up and redelivering, no redirects, timeouts, embargoes, the transactional outbox, and
// claims that deliver each event once with two dispatchers racing.
import { after, afterEach, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import type { Db } from '../../src/db/connection.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';
import { createUser } from '../../src/newsroom/users.ts';
import type { Actor } from '../../src/newsroom/workflow/policy.ts';
import { createStory, publishDue, restoreRevision, saveStory, transition } from '../../src/newsroom/workflow/commands.ts';
import { createSubscription, removeSubscription, setSubscriptionActive } from '../../src/newsroom/webhooks/subscriptions.ts';
import { getDelivery, listDeliveries, redeliver } from '../../src/newsroom/webhooks/deliveries.ts';
import { startWebhookDispatcher, type Dispatcher, type DispatcherOptions } from '../../src/jobs/webhooks.ts';
import { startReceiver, type Receiver } from './receiver.ts';

const SITE = 'https://news.example.org';
const RETRY = { baseMs: 1000, capMs: 8000, maxAttempts: 4, jitter: 0.2 };

eachDatabase('webhooks', (kind) => {
  let db: Db;
  let dispose: () => Promise<void>;
  let url: string;
  let editor: Actor;
  let deskId: number;
  let clock: Date;
  let receiver: Receiver;
  let secret: string;
  const dispatchers: Dispatcher[] = [];

  const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));
  /** A dispatcher that runs only when told (tick), on the test's clock, with a mid-point jitter. */
  const dispatcher = (overrides: Partial<DispatcherOptions> = {}, on = db) => {
    const d = startWebhookDispatcher(on.kysely, { siteUrl: SITE, intervalMs: 3_600_000, retry: RETRY, now: () => clock, random: () => 0.5, ...overrides });
    dispatchers.push(d);
    return d;
  };
  const story = async (headline: string, text = `<p>${headline}: the public text.</p>`) =>
    (await createStory(db.kysely, editor, { headline, deskId, bodyHtml: text, tags: ['Budget'] }, clock)).id;
  const publish = async (id: number) => {
    await transition(db.kysely, editor, id, 'submit', {}, clock);
    await transition(db.kysely, editor, id, 'publish', {}, clock);
  };
  const version = async (id: number) => (await db.kysely.selectFrom('articles').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;

  before(async () => {
    ({ db, dispose, url } = await kind.create());
    deskId = (await createDesk(db.kysely, { name: 'Politics' })).id;
    const person = await createPerson(db.kysely, { name: 'Ada Reporter' });
    const user = await createUser(db.kysely, { email: 'ada@example.com', role: 'managing_editor', personId: person.id });
    editor = { userId: user.id, role: 'managing_editor', personId: person.id };
  });
  after(() => dispose());

  beforeEach(async () => {
    clock = new Date(Math.floor(Date.now() / 1000) * 1000);
    receiver = await startReceiver({ now: () => clock });
    await db.kysely.deleteFrom('webhooks').execute();
    ({ secret } = await createSubscription(db.kysely, { url: receiver.url, events: ['*'] }, clock));
    receiver.secret = secret;
  });
  afterEach(async () => {
    for (const d of dispatchers.splice(0)) await d.stop();
    await receiver.close();
  });

  test('publish, update, correct and unpublish each send their event, signed; drafts send nothing', async () => {
    const d = dispatcher();
    const id = await story('Budget passes', '<p>The budget passed.</p>');
    await saveStory(db.kysely, editor, id, { headline: 'Budget passes', deskId, bodyHtml: '<p>DRAFT-ONLY sentence.</p>', tags: ['Budget'], bylineIds: [editor.personId!] }, 1, clock);
    await transition(db.kysely, editor, id, 'submit', {}, clock);
    await transition(db.kysely, editor, id, 'approve', {}, clock);
    assert.deepEqual(await d.tick(), [], 'create, save, submit and approve send nothing');

    await saveStory(db.kysely, editor, id, { headline: 'Budget passes', deskId, bodyHtml: '<p>The budget passed.</p>', tags: ['Budget'], bylineIds: [editor.personId!] }, await version(id), clock);
    await transition(db.kysely, editor, id, 'publish', {}, clock);
    const [published] = await d.tick();
    assert.equal(published?.status, 'delivered');
    assert.equal(receiver.received.length, 1);
    const first = receiver.received[0]!;
    assert.equal(first.json.type, 'article.published');
    assert.equal(first.headers['x-dateline-event'], 'article.published');
    assert.equal(first.headers['x-dateline-delivery'], String(published?.deliveryId));
    assert.equal(first.headers['content-type'], 'application/json');
    assert.match(first.json.id, /^evt_[0-9a-f-]{36}$/);
    assert.equal(first.json.createdAt, clock.toISOString());
    const article = first.json.data.article;
    assert.equal(article.headline, 'Budget passes');
    assert.equal(article.bodyHtml, '<p>The budget passed.</p>');
    assert.equal(article.url, `${SITE}/politics/budget-passes`);
    assert.deepEqual((article.bylines as Array<{ name: string }>).map((b) => b.name), ['Ada Reporter']);
    // The public API's allowlist: nothing of the newsroom's own.
    for (const field of ['status', 'version', 'embargoUntil', 'seoTitle', 'createdBy']) assert.ok(!(field in article), `no ${field}`);
    assert.doesNotMatch(first.body, /DRAFT-ONLY/);
    assert.equal(receiver.rejected, 0, 'the signature verifies with the secret');

    const v = await version(id);
    await transition(db.kysely, editor, id, 'update', { note: 'Adds the vote count.', content: { input: { headline: 'Budget passes, 61 to 40', deskId, bodyHtml: '<p>It passed 61 to 40.</p>', tags: ['Budget'] }, baseVersion: v } }, advance(1000));
    await transition(db.kysely, editor, id, 'correct', { note: 'The vote was 61 to 39.', content: { input: { headline: 'Budget passes, 61 to 39', deskId, bodyHtml: '<p>It passed 61 to 39.</p>', tags: ['Budget'] }, baseVersion: v + 1 } }, advance(1000));
    await transition(db.kysely, editor, id, 'unpublish', {}, advance(1000));
    const results = await d.tick();
    assert.equal(results.length, 3);
    assert.ok(results.every((r) => r.status === 'delivered'));
    const byType = new Map(receiver.received.map((r) => [r.json.type, r.json]));
    assert.equal(byType.get('article.updated')?.data.article.headline, 'Budget passes, 61 to 40');
    assert.equal(byType.get('article.updated')?.data.note, 'Adds the vote count.');
    assert.equal(byType.get('article.corrected')?.data.article.bodyHtml, '<p>It passed 61 to 39.</p>');
    assert.equal(byType.get('article.corrected')?.data.note, 'The vote was 61 to 39.');
    assert.deepEqual(
      (byType.get('article.corrected')?.data.article.events as Array<{ kind: string }>).map((e) => e.kind),
      ['update', 'correction'],
    );
    assert.deepEqual(byType.get('article.unpublished')?.data, { article: { id, slug: 'budget-passes-61-to-39', url: `${SITE}/politics/budget-passes-61-to-39` } });
    assert.equal(new Set(receiver.received.map((r) => r.json.id)).size, 4, 'every event has its own id');
    assert.equal(receiver.rejected, 0);

    // A draft saved again and a story taken back from review: still nothing.
    const draft = await story('Only a draft');
    await saveStory(db.kysely, editor, draft, { headline: 'Only a draft', deskId, bodyHtml: '<p>x</p>' }, 1, clock);
    await transition(db.kysely, editor, draft, 'submit', {}, clock);
    await transition(db.kysely, editor, draft, 'request_changes', { note: 'More.' }, clock);
    assert.deepEqual(await d.tick(), []);
    assert.equal(await db.kysely.selectFrom('webhook_events').select('id').where('article_id', '=', draft).executeTakeFirst(), undefined);
  });

  test('a story published at its scheduled time sends article.published then; restoring a revision of a published story sends article.updated', async () => {
    const d = dispatcher();
    const id = await story('Scheduled story');
    await transition(db.kysely, editor, id, 'submit', {}, clock);
    await transition(db.kysely, editor, id, 'schedule', { at: new Date(clock.getTime() + 60_000) }, clock);
    assert.deepEqual(await d.tick(), [], 'nothing while scheduled');
    await publishDue(db.kysely, advance(30_000));
    assert.deepEqual(await d.tick(), [], 'nothing before its time');
    assert.deepEqual(await publishDue(db.kysely, advance(30_000)), [id]);
    const [result] = await d.tick();
    assert.equal(result?.eventType, 'article.published');
    assert.equal(receiver.received[0]?.json.data.article.headline, 'Scheduled story');
    assert.equal(receiver.received[0]?.json.data.article.publishedAt, clock.toISOString());

    await restoreRevision(db.kysely, editor, id, 1, await version(id), advance(1000));
    const [restored] = await d.tick();
    assert.equal(restored?.eventType, 'article.updated');
  });

  test('a story under embargo is announced when the embargo passes, and not at all if unpublished before', async () => {
    const d = dispatcher();
    const id = await story('Embargoed report');
    await transition(db.kysely, editor, id, 'submit', {}, clock);
    await transition(db.kysely, editor, id, 'publish', { embargoUntil: new Date(clock.getTime() + 3_600_000) }, clock);
    assert.deepEqual(await d.tick(), []);
    advance(3_600_000);
    assert.equal((await d.tick())[0]?.eventType, 'article.published');

    const other = await story('Taken back');
    await transition(db.kysely, editor, other, 'submit', {}, clock);
    await transition(db.kysely, editor, other, 'publish', { embargoUntil: new Date(clock.getTime() + 3_600_000) }, clock);
    await transition(db.kysely, editor, other, 'unpublish', {}, advance(60_000));
    advance(3_600_000);
    assert.deepEqual(await d.tick(), []);
    assert.equal(receiver.received.length, 1);
    const log = await listDeliveries(db.kysely, { limit: 10 });
    assert.equal(log.find((l) => l.articleId === other)?.status, 'cancelled');
  });

  test('subscriptions get only the events they chose; paused and removed ones get none', async () => {
    const corrections = await startReceiver({ now: () => clock });
    try {
      const sub = await createSubscription(db.kysely, { url: corrections.url, events: ['article.corrected'] }, clock);
      corrections.secret = sub.secret;
      const d = dispatcher();
      const id = await story('Picky');
      await publish(id);
      await transition(db.kysely, editor, id, 'correct', { note: 'Fixed a name.' }, advance(1000));
      await d.tick();
      assert.deepEqual(corrections.received.map((r) => r.json.type), ['article.corrected']);
      assert.deepEqual(receiver.received.map((r) => r.json.type), ['article.published', 'article.corrected']);

      await setSubscriptionActive(db.kysely, sub.subscription.id, false);
      await transition(db.kysely, editor, id, 'correct', { note: 'Fixed another name.' }, advance(1000));
      await d.tick();
      assert.equal(corrections.received.length, 1, 'paused');
      await removeSubscription(db.kysely, sub.subscription.id);
      assert.equal((await listDeliveries(db.kysely, { webhookId: sub.subscription.id, limit: 10 })).length, 0, 'its log goes with it');
    } finally {
      await corrections.close();
    }
  });

  test('retries with exponential back-off after 500s, then delivers; the event id stays the same', async () => {
    receiver.answer = (_r, n) => (n < 2 ? 500 : 200);
    const d = dispatcher();
    const id = await story('Flaky receiver');
    await publish(id);
    const start = clock.getTime();
    const [first] = await d.tick();
    assert.equal(first?.status, 'pending');
    assert.equal(first?.statusCode, 500);
    let delivery = await getDelivery(db.kysely, first!.deliveryId);
    assert.equal(delivery.attempts, 1);
    assert.equal(delivery.nextAttemptAt, new Date(start + 1000).toISOString(), 'first wait: the base');
    assert.match(delivery.lastError ?? '', /^HTTP 500: receiver says no/);

    advance(999);
    assert.deepEqual(await d.tick(), [], 'not before the wait is over');
    advance(1);
    assert.equal((await d.tick())[0]?.statusCode, 500);
    delivery = await getDelivery(db.kysely, first!.deliveryId);
    assert.equal(delivery.nextAttemptAt, new Date(clock.getTime() + 2000).toISOString(), 'second wait: doubled');
    advance(1999);
    assert.deepEqual(await d.tick(), []);
    advance(1);
    const [third] = await d.tick();
    assert.equal(third?.status, 'delivered');
    delivery = await getDelivery(db.kysely, first!.deliveryId);
    assert.equal(delivery.status, 'delivered');
    assert.equal(delivery.attempts, 3);
    assert.equal(delivery.lastStatusCode, 200);
    assert.equal(delivery.lastError, null);
    assert.equal(delivery.deliveredAt, clock.toISOString());
    assert.equal(receiver.received.length, 3);
    assert.equal(new Set(receiver.received.map((r) => r.json.id)).size, 1, 'one event id across retries');
    assert.equal(new Set(receiver.received.map((r) => r.headers['x-dateline-delivery'])).size, 1);
    assert.equal(new Set(receiver.received.map((r) => r.body)).size, 1, 'the same body every time');
    assert.deepEqual(receiver.processed, [receiver.received[0]!.json.id]);
    assert.deepEqual(await d.tick(), [], 'nothing more once delivered');
  });

  test('the delivery log keeps its window: settled deliveries and their events go, waiting ones stay', async () => {
    const DAY = 86_400_000;
    const d = dispatcher({ historyDays: 30 });
    const eventsOf = async (articleId: number) =>
      (await db.kysely.selectFrom('webhook_events').select('id').where('article_id', '=', articleId).execute()).map((r) => r.id);
    const deliveriesOf = async (eventIds: string[]) =>
      eventIds.length === 0 ? [] : await db.kysely.selectFrom('webhook_deliveries').select(['id', 'status']).where('event_id', 'in', eventIds).execute();

    const old = await story('Old news');
    await publish(old);
    assert.equal((await d.tick())[0]?.status, 'delivered');
    receiver.answer = () => 500;
    const waiting = await story('Still waiting');
    await publish(waiting);
    assert.equal((await d.tick())[0]?.status, 'pending');

    advance(31 * DAY);
    // The waiting delivery is attempted again (and fails again); then the log is pruned.
    assert.equal((await d.tick())[0]?.status, 'pending');
    assert.deepEqual(await eventsOf(old), [], 'the old event went with its delivery');
    const waitingEvents = await eventsOf(waiting);
    assert.equal(waitingEvents.length, 1, 'a waiting delivery keeps its event');
    assert.deepEqual((await deliveriesOf(waitingEvents)).map((r) => r.status), ['pending']);

    receiver.answer = () => 200;
    const fresh = await story('Fresh news');
    await publish(fresh);
    assert.equal((await d.tick())[0]?.status, 'delivered');
    advance(29 * DAY);
    await d.tick();
    assert.equal((await deliveriesOf(await eventsOf(fresh))).length, 1, 'a delivery settled within the window stays');
  });

  test('gives up after the last attempt; redelivery sends the same event again under a new delivery', async () => {
    receiver.answer = () => ({ status: 503, headers: { 'retry-after': '5' } });
    const d = dispatcher();
    const id = await story('Down for good');
    await publish(id);
    const [first] = await d.tick();
    let delivery = await getDelivery(db.kysely, first!.deliveryId);
    assert.equal(delivery.nextAttemptAt, new Date(clock.getTime() + 5000).toISOString(), 'Retry-After beats a shorter back-off');
    for (let i = 0; i < RETRY.maxAttempts - 1; i++) {
      advance(RETRY.capMs);
      assert.equal((await d.tick()).length, 1);
    }
    delivery = await getDelivery(db.kysely, first!.deliveryId);
    assert.equal(delivery.status, 'failed');
    assert.equal(delivery.attempts, RETRY.maxAttempts);
    advance(RETRY.capMs * 10);
    assert.deepEqual(await d.tick(), [], 'no attempt after giving up');
    assert.deepEqual((await listDeliveries(db.kysely, { status: 'failed', limit: 5 })).map((l) => l.id), [delivery.id]);

    receiver.answer = () => 200;
    const again = await redeliver(db.kysely, delivery.id, clock);
    assert.notEqual(again.id, delivery.id);
    assert.equal(again.status, 'pending');
    const [result] = await d.tick();
    assert.equal(result?.deliveryId, again.id);
    assert.equal(result?.status, 'delivered');
    assert.equal(receiver.received.at(-1)?.json.id, delivery.eventId, 'the same event id');
    assert.equal((await getDelivery(db.kysely, delivery.id)).status, 'failed', 'the old delivery stays in the log as it was');
  });

  test('redirects are not followed and a receiver that does not answer times out', async () => {
    const target = await startReceiver({ now: () => clock });
    try {
      receiver.answer = (_r, n) => (n === 0 ? { status: 302, headers: { location: target.url } } : 'hang');
      const d = dispatcher({ timeoutMs: 300 });
      const id = await story('Moved away');
      await publish(id);
      const [redirected] = await d.tick();
      assert.equal(redirected?.statusCode, 302);
      assert.match(redirected?.error ?? '', /redirects are not followed/);
      assert.equal(target.received.length, 0, 'the redirect target is never called');
      advance(RETRY.baseMs);
      const [timedOut] = await d.tick();
      assert.equal(timedOut?.statusCode, null);
      assert.equal(timedOut?.error, 'no answer within 0.3 s');
      assert.equal((await getDelivery(db.kysely, timedOut!.deliveryId)).status, 'pending');
    } finally {
      await target.close();
    }
  });

  test('stopping the server mid-request gives the claim back: due again at once, the attempt not counted', async () => {
    receiver.answer = () => 'hang';
    const d = dispatcher();
    const id = await story('Interrupted by a restart');
    await publish(id);
    const pass = d.tick();
    await receiver.waitFor(() => receiver.received.length === 1);
    await d.stop();
    const [result] = await pass;
    assert.equal(result?.status, 'pending');
    const [delivery] = await listDeliveries(db.kysely, { eventId: receiver.received[0]!.json.id, limit: 1 });
    assert.equal(delivery?.attempts, 0);
    assert.ok(delivery!.nextAttemptAt <= clock.toISOString(), 'due now, not after a lease or a back-off');
  });

  test('the outbox is written in the transaction: a rolled-back publish leaves no event', async () => {
    const id = await story('Rolled back');
    await transition(db.kysely, editor, id, 'submit', {}, clock);
    await assert.rejects(
      db.kysely.transaction().execute(async (trx) => {
        await transition(trx, editor, id, 'publish', {}, clock);
        assert.equal((await trx.selectFrom('webhook_events').select('id').where('article_id', '=', id).execute()).length, 1, 'written inside');
        throw new Error('crash before commit');
      }),
      /crash before commit/,
    );
    assert.equal((await db.kysely.selectFrom('webhook_events').select('id').where('article_id', '=', id).execute()).length, 0);
    assert.equal((await db.kysely.selectFrom('articles').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'submitted');
  });

  test('two dispatchers on two connections deliver every event exactly once', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) {
      const id = await story(`Race ${i}`);
      await publish(id);
      ids.push(id);
    }
    const second = openDatabase(url);
    try {
      const a = dispatcher({ batchSize: 5 });
      const b = dispatcher({ batchSize: 5 }, second);
      for (let round = 0; round < 4; round++) await Promise.all([a.tick(), b.tick()]);
      assert.equal(receiver.received.length, 12, 'no event sent twice');
      assert.equal(new Set(receiver.processed).size, 12);
      assert.equal((await listDeliveries(db.kysely, { status: 'delivered', limit: 50 })).filter((l) => ids.includes(l.articleId)).length, 12);
    } finally {
      for (const d of dispatchers.splice(0)) await d.stop();
      await second.close();
    }
  });
});
