import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/server.ts';
import { loadConfig } from '../src/config.ts';
import type { Db } from '../src/db/connection.ts';
import { createDesk } from '../src/newsroom/desks/repository.ts';
import type { Desk } from '../src/newsroom/desks/types.ts';
import { NewsroomError } from '../src/newsroom/errors.ts';
import { listMessages, markRead, MESSAGE_LIMITS, plausibleEmail, submitMessage, type MessageInput } from '../src/newsroom/contact/messages.ts';
import { eachDatabase, testDatabases, type TestDatabase } from './helpers/databases.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The page without its frame and inline CSS, so a failed match prints something readable. */
const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>') + '</main>'.length);

const countMessages = async (db: Db) => Number((await db.kysely.selectFrom('contact_messages').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

/** The fields of a failed submitMessage, or a failed assertion when it did not fail that way. */
async function problemsOf(run: Promise<unknown>): Promise<Record<string, string>> {
  try {
    await run;
  } catch (error) {
    assert.ok(error instanceof NewsroomError && error.code === 'invalid_input', `expected invalid_input, got ${String(error)}`);
    return error.fields;
  }
  assert.fail('expected the message to be refused');
}

test('plausible email addresses', () => {
  for (const good of ['reader@example.com', 'a.b+tag@mail.example.ir', 'خواننده@مثال.ایران']) assert.ok(plausibleEmail(good), good);
  for (const bad of ['', 'reader', 'reader@', '@example.com', 'reader@example', 'a b@example.com', 'a@b@example.com', 'reader@example..com', 'Reader <r@example.com>', 'a@-x.com']) {
    assert.ok(!plausibleEmail(bad), bad);
  }
});

eachDatabase('contact messages', (kind) => {
  let handle: Awaited<ReturnType<TestDatabase['create']>>;
  let politics: Desk;
  let economy: Desk;
  const input = (over: Partial<MessageInput> = {}): MessageInput => ({
    deskId: politics.id,
    name: 'Sara Reader',
    email: 'sara@example.com',
    subject: 'About the budget story',
    body: 'The second paragraph gives the wrong year.',
    ...over,
  });

  before(async () => {
    handle = await kind.create();
    politics = await createDesk(handle.db.kysely, { name: 'Politics' });
    economy = await createDesk(handle.db.kysely, { name: 'Economy' });
  });
  after(() => handle.dispose());

  test('a valid message is stored as trimmed plain text, with its desk', async () => {
    const now = new Date('2026-11-28T05:35:00Z');
    const body = '  <b>Bold</b> claim\r\non two lines\u0007  ';
    const message = await submitMessage(handle.db.kysely, input({ name: '  Sara \t Reader ', subject: ' Budget\u001b[31m ', body }), now);
    assert.equal(message.desk.slug, 'politics');
    assert.equal(message.name, 'Sara Reader');
    assert.equal(message.subject, 'Budget [31m');
    assert.equal(message.body, '<b>Bold</b> claim\non two lines');
    assert.equal(message.createdAt, now.toISOString());
    assert.equal(message.readAt, null);
  });

  test('every problem is reported at once, keyed by field, and nothing is stored', async () => {
    const before = await countMessages(handle.db);
    const problems = await problemsOf(submitMessage(handle.db.kysely, { deskId: null, name: ' ', email: '', subject: '', body: '\n\n' }));
    assert.deepEqual(Object.keys(problems).sort(), ['body', 'desk', 'email', 'name', 'subject']);
    assert.equal(await countMessages(handle.db), before);
  });

  test('lengths and the desk are checked', async () => {
    const db = handle.db.kysely;
    const long = await problemsOf(
      submitMessage(db, input({ name: 'n'.repeat(MESSAGE_LIMITS.name + 1), subject: 's'.repeat(MESSAGE_LIMITS.subject + 1), body: 'b'.repeat(MESSAGE_LIMITS.bodyMax + 1) })),
    );
    assert.deepEqual(Object.keys(long).sort(), ['body', 'name', 'subject']);
    const email = `${'e'.repeat(60)}@${'d'.repeat(200)}.com`;
    assert.ok((await problemsOf(submitMessage(db, input({ email })))).email?.includes('254'));
    assert.ok((await problemsOf(submitMessage(db, input({ email: 'sara at example.com' })))).email);
    assert.ok((await problemsOf(submitMessage(db, input({ body: 'Too short' })))).body?.includes('at least 10'));
    assert.ok((await problemsOf(submitMessage(db, input({ deskId: 999_999 })))).desk?.includes('no longer exists'));
    assert.ok((await problemsOf(submitMessage(db, input({ deskId: 99_999_999_999 })))).desk);
    await submitMessage(db, input({ body: 'x'.repeat(MESSAGE_LIMITS.bodyMin) }));
    await submitMessage(db, input({ body: 'x'.repeat(MESSAGE_LIMITS.bodyMax) }));
    // A browser sends line breaks as CRLF; each counts as one character.
    await submitMessage(db, input({ body: 'x\r\n'.repeat(MESSAGE_LIMITS.bodyMax / 2) }));
  });

  test('messages are listed newest first, by desk and unread, and marked read', async () => {
    const db = handle.db.kysely;
    const older = await submitMessage(db, input({ deskId: economy.id, subject: 'Older' }), new Date('2030-01-01T10:00:00Z'));
    const newer = await submitMessage(db, input({ deskId: economy.id, subject: 'Newer' }), new Date('2030-01-01T11:00:00Z'));
    const listed = await listMessages(db, { deskSlug: 'economy', limit: 10 });
    assert.deepEqual(listed.map((m) => m.subject), ['Newer', 'Older']);
    assert.deepEqual(listed[0]?.desk, { id: economy.id, slug: 'economy', name: 'Economy' });
    assert.equal((await listMessages(db, { deskSlug: 'economy', limit: 1 })).length, 1);
    assert.equal(await markRead(db, newer.id), true);
    assert.equal(await markRead(db, newer.id), false);
    assert.deepEqual((await listMessages(db, { deskSlug: 'economy', unreadOnly: true, limit: 10 })).map((m) => m.id), [older.id]);
    assert.ok((await listMessages(db, { limit: 100 })).some((m) => m.desk.slug === 'politics'));
  });
});

eachDatabase('the contact page', (kind) => {
  let handle: Awaited<ReturnType<TestDatabase['create']>>;
  let app: FastifyInstance;
  let politics: Desk;
  // The rate limit counts per client address, so each test posts from an address of its own.
  let clients = 0;
  const nextClient = () => `10.0.0.${++clients}`;

  before(async () => {
    handle = await kind.create();
    politics = await createDesk(handle.db.kysely, { name: 'Politics' });
    await createDesk(handle.db.kysely, { name: 'Economy' });
    app = await buildApp({ config: loadConfig({ DATABASE_URL: handle.url, DATELINE_DEMO: 'false' }), db: handle.db });
  });
  after(async () => {
    await app.close();
    await handle.dispose();
  });

  interface Session {
    ip: string;
    cookie: string;
    token: string;
  }

  async function openForm(query = ''): Promise<Session & { page: LightMyRequestResponse }> {
    const ip = nextClient();
    const page = await app.inject({ method: 'GET', url: `/contact${query}`, remoteAddress: ip });
    const setCookie = [page.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('_csrf='));
    const token = /<input type="hidden" name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(setCookie && token, 'the form sets a CSRF cookie and holds its token');
    return { ip, cookie: setCookie.split(';')[0] ?? '', token, page };
  }

  const fields = (over: Record<string, string> = {}) => ({
    desk: String(politics.id),
    name: 'Sara Reader',
    email: 'sara@example.com',
    subject: 'About the budget story',
    body: 'The second paragraph gives the wrong year.',
    website: '',
    ...over,
  });

  function post(session: Pick<Session, 'ip'> & Partial<Session>, form: Record<string, string>, options: { token?: string } = {}) {
    const token = options.token ?? session.token;
    return app.inject({
      method: 'POST',
      url: '/contact',
      remoteAddress: session.ip,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(session.cookie ? { cookie: session.cookie } : {}) },
      payload: new URLSearchParams({ ...form, ...(token === undefined ? {} : { _csrf: token }) }).toString(),
    });
  }

  test('the form preselects the desk from ?desk=, with a honeypot and no caching', async () => {
    const { page } = await openForm('?desk=politics');
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(main(page.body), new RegExp(`<option value="${politics.id}" selected>Politics</option>`));
    assert.match(main(page.body), /<option value>Choose a desk<\/option>/);
    assert.match(main(page.body), /<label for="contact-name">Your name<\/label><input id="contact-name" name="name" type="text" value required maxlength="200" autocomplete="name"\/>/);
    assert.match(main(page.body), /<input id="contact-email" name="email" type="email" value required maxlength="254" autocomplete="email"/);
    assert.match(main(page.body), /<textarea id="contact-body" name="body" rows="10" required minlength="10" maxlength="10000" aria-describedby="contact-body-hint"><\/textarea>/);
    assert.match(main(page.body), /<div class="trap" aria-hidden="true"><label for="contact-website">Leave this empty<\/label><input id="contact-website" type="text" name="website" value tabindex="-1" autocomplete="off"\/><\/div>/);
    assert.match(main(page.body), /href="\/staff"/);
    const plain = await app.inject({ method: 'GET', url: '/contact?desk=nonexistent', remoteAddress: nextClient() });
    assert.equal(plain.statusCode, 200);
    assert.doesNotMatch(main(plain.body), /selected/);
  });

  test('a complete message is stored and answered with a redirect to the thank-you', async () => {
    const session = await openForm();
    const before = await countMessages(handle.db);
    const sent = await post(session, fields());
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, '/contact?sent=politics');
    assert.equal(sent.headers['cache-control'], 'no-store');
    assert.equal(await countMessages(handle.db), before + 1);
    const [stored] = await listMessages(handle.db.kysely, { deskSlug: 'politics', limit: 1 });
    assert.equal(stored?.subject, 'About the budget story');
    assert.equal(stored?.email, 'sara@example.com');
    const thanks = await app.inject({ method: 'GET', url: '/contact?sent=politics', remoteAddress: session.ip });
    assert.equal(thanks.statusCode, 200);
    assert.match(main(thanks.body), /class="notice ok" role="status">Your message has been sent to the Politics desk\./);
    assert.ok(thanks.body.includes('<meta name="robots" content="noindex"/>'));
  });

  test('a message in a script of three-byte characters fits at full length', async () => {
    const session = await openForm();
    const sent = await post(session, fields({ name: '李'.repeat(MESSAGE_LIMITS.name), subject: '中'.repeat(MESSAGE_LIMITS.subject), body: '文'.repeat(MESSAGE_LIMITS.bodyMax) }));
    assert.equal(sent.statusCode, 303);
  });

  test('missing and invalid fields re-show the form with what was typed and every error', async () => {
    const session = await openForm();
    const before = await countMessages(handle.db);
    const typed = fields({ name: '', email: 'sara at example', subject: 'Budget "figures" & more', body: 'Short' });
    const page = await post(session, typed);
    assert.equal(page.statusCode, 400);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(await countMessages(handle.db), before);
    assert.match(main(page.body), /value="sara at example"/);
    assert.match(main(page.body), /value="Budget &quot;figures&quot; &amp; more"/);
    assert.match(main(page.body), />Short<\/textarea>/);
    assert.match(main(page.body), new RegExp(`<option value="${politics.id}" selected>`));
    for (const field of ['name', 'email', 'body']) {
      assert.match(main(page.body), new RegExp(`id="contact-${field}"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*contact-${field}-error"`));
      assert.match(main(page.body), new RegExp(`<p class="error" id="contact-${field}-error">`));
      assert.match(main(page.body), new RegExp(`<li><a href="#contact-${field}">`));
    }
    assert.doesNotMatch(main(page.body), /id="contact-subject-error"/);
    assert.match(main(page.body), /class="notice" role="alert"/);
    assert.match(main(page.body), /name="_csrf" value="[^"]+"/);
  });

  test('an unknown desk is a field error', async () => {
    const session = await openForm();
    const page = await post(session, fields({ desk: '987654' }));
    assert.equal(page.statusCode, 400);
    assert.match(main(page.body), /<p class="error" id="contact-desk-error">That desk no longer exists/);
  });

  test('a missing or wrong CSRF token keeps the input and stores nothing', async () => {
    const before = await countMessages(handle.db);
    const session = await openForm();
    const missing = await post({ ip: session.ip, cookie: session.cookie }, fields({ subject: 'Kept subject' }), { token: undefined });
    const wrong = await post(session, fields({ subject: 'Kept subject' }), { token: 'forged-token' });
    const noCookie = await post({ ip: session.ip, token: session.token }, fields({ subject: 'Kept subject' }));
    for (const page of [missing, wrong, noCookie]) {
      assert.equal(page.statusCode, 403);
      assert.match(main(page.body), /This form had expired, so nothing was sent/);
      assert.match(main(page.body), /value="Kept subject"/);
      assert.match(main(page.body), /The second paragraph gives the wrong year\.<\/textarea>/);
    }
    assert.equal(await countMessages(handle.db), before);
  });

  test('a filled honeypot looks like success but stores nothing', async () => {
    const session = await openForm();
    const before = await countMessages(handle.db);
    const sent = await post(session, fields({ website: 'https://spam.example' }));
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, '/contact?sent=politics');
    assert.equal(await countMessages(handle.db), before);
  });

  test('markup in a message is kept as text and escaped wherever it is shown', async () => {
    const script = '<script>alert("x")</script> is what I found on your page.';
    const session = await openForm();
    const refused = await post(session, fields({ name: '', body: script }));
    assert.equal(refused.statusCode, 400);
    assert.ok(!refused.body.includes('<script>alert'));
    assert.ok(refused.body.includes('>&lt;script>alert(&quot;x&quot;)&lt;/script> is what I found on your page.</textarea>'));

    const sent = await post(session, fields({ subject: 'Script on the page', body: script }));
    assert.equal(sent.statusCode, 303);
    const [stored] = await listMessages(handle.db.kysely, { deskSlug: 'politics', limit: 1 });
    assert.equal(stored?.body, script);

    if (kind.name !== 'sqlite') return;
    const cli = spawnSync(process.execPath, ['bin/dateline.js', 'messages', '--desk', 'politics'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: handle.url },
      encoding: 'utf8',
    });
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /to the Politics desk, newest first/);
    assert.match(cli.stdout, /From: {4}Sara Reader <sara@example\.com>/);
    assert.match(cli.stdout, /Subject: Script on the page/);
    assert.ok(cli.stdout.includes('  <script>alert("x")</script> is what I found on your page.'), cli.stdout);
  });

  test('the 100 KB post is refused with an HTML error page', async () => {
    const session = await openForm();
    const before = await countMessages(handle.db);
    const page = await post(session, fields({ body: 'x'.repeat(100 * 1024) }));
    assert.equal(page.statusCode, 413);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(main(page.body), /That was too large/);
    assert.equal(await countMessages(handle.db), before);
  });

  test('the sixth post within ten minutes is refused with a 429 page', async () => {
    const session = await openForm();
    for (let i = 0; i < 5; i++) assert.notEqual((await post(session, fields({ name: '' }))).statusCode, 429);
    const page = await post(session, fields());
    assert.equal(page.statusCode, 429);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(main(page.body), /Too many requests/);
    assert.match(main(page.body), /Please wait \d+ minutes before sending another\./);
    assert.ok(Number(page.headers['retry-after']) > 500);
    const other = await post({ ...session, ip: nextClient() }, fields({ name: '' }));
    assert.equal(other.statusCode, 400, 'another reader is not held back');
  });
});

describe('dateline messages', () => {
  const sqlite = testDatabases().find((kind) => kind.name === 'sqlite');
  let handle: Awaited<ReturnType<TestDatabase['create']>>;
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/dateline.js', 'messages', ...args], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: handle.url }, encoding: 'utf8' });

  before(async () => {
    assert.ok(sqlite);
    handle = await sqlite.create();
    const desk = await createDesk(handle.db.kysely, { name: 'Sports' });
    await submitMessage(handle.db.kysely, { deskId: desk.id, name: 'Ali', email: 'ali@example.com', subject: 'Score', body: 'The final score was 2–1.\nNot 1–2.' });
    // Rows may come from elsewhere than the form: the listing must not pass control codes on.
    await handle.db.kysely
      .insertInto('contact_messages')
      .values({ desk_id: desk.id, name: 'Eve\u001b]0;owned\u0007', email: 'eve@example.com', subject: 'Hi', body: 'x'.repeat(20), created_at: '2020-01-01T00:00:00.000Z', read_at: null, answered_at: null })
      .execute();
  });
  after(() => handle.dispose());

  test('lists the first line of each message and marks them read on request', () => {
    const listed = run('--desk', 'sports', '--mark-read');
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(listed.stdout, /^2 messages to the Sports desk, newest first\. Editors: none listed yet\./);
    assert.match(listed.stdout, / {2}The final score was 2–1\.\n/);
    assert.doesNotMatch(listed.stdout, /Not 1–2/);
    assert.doesNotMatch(listed.stdout, /\p{Cc}(?<!\n)/u);
    assert.match(listed.stdout, /Marked 2 messages read\./);
    assert.match(run('--unread').stdout, /^No unread messages\./);
  });

  test('an unknown desk or a bad limit fails with one line', () => {
    const unknown = run('--desk', 'weather');
    assert.equal(unknown.status, 1);
    assert.equal(unknown.stderr, 'dateline: there is no desk "weather"; the desks are: sports\n');
    const limit = run('--limit', 'lots');
    assert.notEqual(limit.status, 0);
    assert.match(limit.stderr, /must be a whole number/);
  });
});
