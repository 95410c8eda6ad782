// Readers' messages through the newsroom API: a desk editor reads and marks the messages of the
// desks they edit and no others (403), managing editors and administrators every desk's,
// contributors none (403).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import { inboxApiRoutes } from '../../src/api/newsroom/inbox.ts';
import { createDesk, setDeskEditors } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';
import { createUser, type Role } from '../../src/newsroom/users.ts';
import { createApiToken } from '../../src/newsroom/auth/tokens.ts';
import { submitMessage } from '../../src/newsroom/contact/messages.ts';
import { listInbox } from '../../src/newsroom/admin/inbox.ts';
import { NewsroomError } from '../../src/newsroom/errors.ts';

type Who = 'politicsEditor' | 'sportsEditor' | 'deskless' | 'managing' | 'admin' | 'writer';
const API = '/api/newsroom/v1';

eachDatabase('inbox API', (kind) => {
  let t: TestApp;
  const tokens = {} as Record<Who, string>;
  const actors = {} as Record<Who, { userId: number; email: string; role: Role; personId: number | null }>;
  const desks = {} as Record<'politics' | 'sports' | 'culture', number>;
  const ids = { politics: [] as number[], sports: [] as number[], culture: [] as number[] };

  before(async () => {
    t = await startApp(kind);
    // Until src/server.ts registers these routes itself (the app is not ready yet: routes still fit).
    if (!t.app.hasRoute({ method: 'GET', url: `${API}/messages` })) inboxApiRoutes(t.app, t.db.kysely);
    const db = t.db.kysely;
    for (const name of ['Politics', 'Sports', 'Culture'] as const) desks[name.toLowerCase() as keyof typeof desks] = (await createDesk(db, { name })).id;
    const roles: Record<Who, Role> = { politicsEditor: 'desk_editor', sportsEditor: 'desk_editor', deskless: 'desk_editor', managing: 'managing_editor', admin: 'admin', writer: 'contributor' };
    for (const [who, role] of Object.entries(roles) as Array<[Who, Role]>) {
      const person = who === 'deskless' ? null : await createPerson(db, { name: `${who} person` });
      const user = await createUser(db, { email: `${who}@example.com`, role, personId: person?.id ?? null });
      actors[who] = { userId: user.id, email: user.email, role, personId: person?.id ?? null };
      tokens[who] = (await createApiToken(db, user.id, 'tests')).secret;
    }
    await setDeskEditors(db, desks.politics, [actors.politicsEditor.personId!]);
    // The sports editor edits Culture too; a contributor may be in the byline of anything but edits nothing.
    await setDeskEditors(db, desks.sports, [actors.sportsEditor.personId!]);
    await setDeskEditors(db, desks.culture, [actors.sportsEditor.personId!]);
    const start = Date.parse('2026-11-28T08:00:00Z');
    const plan: Array<keyof typeof desks> = ['politics', 'sports', 'politics', 'culture', 'politics', 'sports'];
    for (const [i, desk] of plan.entries()) {
      const message = await submitMessage(
        db,
        { deskId: desks[desk], name: `Reader ${i}`, email: `reader${i}@example.com`, subject: `Message ${i} to ${desk}`, body: `This is message number ${i} for the ${desk} desk.` },
        new Date(start + i * 60_000),
      );
      ids[desk].push(message.id);
    }
  });
  after(() => t.close());

  const call = async (who: Who | null, method: 'GET' | 'PATCH', url: string, payload?: unknown) => {
    const res = await t.app.inject({
      method,
      url: `${API}${url}`,
      headers: who ? { authorization: `Bearer ${tokens[who]}` } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.json() as Record<string, any>, headers: res.headers }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const subjects = (body: Record<string, unknown>) => (body.messages as Array<{ subject: string }>).map((m) => m.subject);
  const readAt = async (id: number) => (await t.db.kysely.selectFrom('contact_messages').select(['read_at', 'answered_at']).where('id', '=', id).executeTakeFirstOrThrow());

  test("a desk editor sees only the messages of the desks they edit, newest first", async () => {
    const politics = await call('politicsEditor', 'GET', '/messages');
    assert.equal(politics.status, 200);
    assert.equal(politics.headers['cache-control'], 'no-store');
    assert.deepEqual(subjects(politics.body), ['Message 4 to politics', 'Message 2 to politics', 'Message 0 to politics']);
    assert.equal(politics.body.more, false);
    const message = politics.body.messages[0];
    assert.deepEqual(Object.keys(message).sort(), ['answeredAt', 'body', 'createdAt', 'desk', 'email', 'id', 'name', 'readAt', 'subject']);
    assert.deepEqual(message.desk, { id: desks.politics, slug: 'politics', name: 'Politics' });
    assert.equal(message.email, 'reader4@example.com');

    const sports = await call('sportsEditor', 'GET', '/messages');
    assert.deepEqual(subjects(sports.body), ['Message 5 to sports', 'Message 3 to culture', 'Message 1 to sports']);
    assert.deepEqual(subjects((await call('sportsEditor', 'GET', `/messages?desk=${desks.culture}`)).body), ['Message 3 to culture']);

    const other = await call('politicsEditor', 'GET', `/messages?desk=${desks.sports}`);
    assert.equal(other.status, 403);
    assert.equal(other.body.error.code, 'forbidden');
    assert.match(other.body.error.message, /Sports/);
    assert.equal((await call('politicsEditor', 'GET', '/messages?desk=999999')).status, 404);

    const deskless = await call('deskless', 'GET', '/messages');
    assert.equal(deskless.status, 200);
    assert.deepEqual(deskless.body.messages, [], 'a desk editor without desks has an empty inbox');
  });

  test('managing editors and administrators see every desk; contributors and strangers nothing', async () => {
    for (const who of ['managing', 'admin'] as Who[]) {
      const all = await call(who, 'GET', '/messages');
      assert.equal(all.status, 200);
      assert.equal(all.body.messages.length, 6, who);
      assert.deepEqual(subjects((await call(who, 'GET', `/messages?desk=${desks.sports}`)).body), ['Message 5 to sports', 'Message 1 to sports']);
    }
    const writer = await call('writer', 'GET', '/messages');
    assert.equal(writer.status, 403);
    assert.equal(writer.body.error.code, 'forbidden');
    const writerMark = await call('writer', 'PATCH', `/messages/${ids.politics[0]}`, { read: true });
    assert.equal(writerMark.status, 403);
    assert.equal(writerMark.body.error.code, 'forbidden');
    assert.equal((await readAt(ids.politics[0]!)).read_at, null);
    assert.equal((await call(null, 'GET', '/messages')).status, 401);
    assert.equal((await call(null, 'PATCH', `/messages/${ids.politics[0]}`, { read: true })).status, 401);
    await assert.rejects(
      listInbox(t.db.kysely, actors.writer, { limit: 10 }),
      (e: unknown) => e instanceof NewsroomError && e.code === 'forbidden',
    );
  });

  test("a desk editor marks their desks' messages read and answered, and not another desk's", async () => {
    const [first, second] = ids.politics;
    const read = await call('politicsEditor', 'PATCH', `/messages/${first}`, { read: true });
    assert.equal(read.status, 200);
    assert.ok(read.body.message.readAt);
    assert.equal(read.body.message.answeredAt, null);
    const firstRead = read.body.message.readAt as string;
    assert.deepEqual(subjects((await call('politicsEditor', 'GET', '/messages?unread=true')).body), ['Message 4 to politics', 'Message 2 to politics']);

    const answered = await call('politicsEditor', 'PATCH', `/messages/${first}`, { answered: true });
    assert.ok(answered.body.message.answeredAt);
    assert.equal(answered.body.message.readAt, firstRead, 'the first reading time is kept');
    const answeredUnread = await call('politicsEditor', 'PATCH', `/messages/${second}`, { answered: true });
    assert.ok(answeredUnread.body.message.readAt, 'answering a message reads it');

    const unread = await call('politicsEditor', 'PATCH', `/messages/${first}`, { read: false, answered: false });
    assert.equal(unread.body.message.readAt, null);
    assert.equal(unread.body.message.answeredAt, null);
    assert.deepEqual(await readAt(first!), { read_at: null, answered_at: null });

    for (const id of [ids.sports[0], ids.culture[0]]) {
      const refused = await call('politicsEditor', 'PATCH', `/messages/${id}`, { read: true, answered: true });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'forbidden');
      assert.deepEqual(await readAt(id!), { read_at: null, answered_at: null }, 'nothing changed');
    }
    assert.equal((await call('sportsEditor', 'PATCH', `/messages/${ids.culture[0]}`, { read: true })).status, 200, 'the editor of both desks');
    assert.equal((await call('deskless', 'PATCH', `/messages/${ids.sports[0]}`, { read: true })).status, 403);
    const managing = await call('managing', 'PATCH', `/messages/${ids.sports[0]}`, { answered: true });
    assert.equal(managing.status, 200);
    assert.ok(managing.body.message.answeredAt);
    assert.equal((await call('admin', 'PATCH', `/messages/${ids.sports[1]}`, { read: true })).status, 200);
    assert.equal((await call('politicsEditor', 'PATCH', '/messages/999999', { read: true })).status, 404);
  });

  test('pages of messages with limit and offset', async () => {
    const first = await call('managing', 'GET', '/messages?limit=4');
    assert.equal(first.body.messages.length, 4);
    assert.equal(first.body.more, true);
    const rest = await call('managing', 'GET', '/messages?limit=4&offset=4');
    assert.deepEqual(subjects(rest.body), ['Message 1 to sports', 'Message 0 to politics']);
    assert.equal(rest.body.more, false);
    assert.equal((await call('managing', 'GET', '/messages?offset=100')).body.messages.length, 0);
  });

  test('bad input gets 400 with the field that is wrong', async () => {
    const cases: Array<[method: 'GET' | 'PATCH', url: string, payload: unknown, field: string]> = [
      ['GET', '/messages?limit=lots', undefined, 'limit'],
      ['GET', '/messages?unread=maybe', undefined, 'unread'],
      ['GET', '/messages?desk=politics', undefined, 'desk'],
      ['PATCH', `/messages/${ids.politics[0]}`, {}, 'read'],
      ['PATCH', `/messages/${ids.politics[0]}`, { read: 'perhaps' }, 'read'],
      ['PATCH', `/messages/${ids.politics[0]}`, { read: false, answered: true }, 'read'],
      ['PATCH', '/messages/abc', { read: true }, 'id'],
    ];
    for (const [method, url, payload, field] of cases) {
      const res = await call('politicsEditor', method, url, payload);
      assert.equal(res.status, 400, `${method} ${url} ${JSON.stringify(payload)}`);
      assert.equal(res.body.error.code, 'invalid_input');
      assert.ok(res.body.error.fields?.[field], `${url}: ${JSON.stringify(res.body)}`);
    }
    const empty = await t.app.inject({ method: 'PATCH', url: `${API}/messages/${ids.politics[0]}`, headers: { authorization: `Bearer ${tokens.politicsEditor}` } });
    assert.equal(empty.statusCode, 400, 'no body: nothing to mark');
    assert.ok(empty.json().error.fields.read);
  });
});
