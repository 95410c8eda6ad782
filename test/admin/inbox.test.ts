// The inbox page over HTTP: a desk editor reads the messages of the desks they edit, managing
// editors and administrators every desk's, contributors none; read and answered states; the
// dashboard's unread panel links to each message.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, unescapeHtml, type TestApp } from '../helpers/app.ts';
import { Browser, makeUser } from '../auth/helpers.ts';
import { createDesk, setDeskEditors } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';
import { submitMessage } from '../../src/newsroom/contact/messages.ts';

eachDatabase('inbox pages', (kind) => {
  let t: TestApp;
  let editor: Browser;
  let managing: Browser;
  let writer: Browser;
  const desks = {} as Record<'politics' | 'sports', number>;
  const messages = {} as Record<'politics' | 'sports' | 'politics2', number>;

  before(async () => {
    t = await startApp(kind);
    const db = t.db.kysely;
    desks.politics = (await createDesk(db, { name: 'Politics' })).id;
    desks.sports = (await createDesk(db, { name: 'Sports' })).id;
    const person = await createPerson(db, { name: 'Pari Editor' });
    await setDeskEditors(db, desks.politics, [person.id]);
    const e = await makeUser(db, { email: 'editor@example.com', role: 'desk_editor' });
    await db.updateTable('users').set({ person_id: person.id }).where('id', '=', e.id).execute();
    await makeUser(db, { email: 'boss@example.com', role: 'managing_editor' });
    await makeUser(db, { email: 'writer@example.com', role: 'contributor' });
    const start = Date.parse('2026-11-28T08:00:00Z');
    messages.politics = (await submitMessage(db, { deskId: desks.politics, name: 'Reader One', email: 'one@example.com', subject: 'About the budget story', body: 'First paragraph <b>not bold</b>.\nSecond line.\n\nSecond paragraph.' }, new Date(start))).id;
    messages.sports = (await submitMessage(db, { deskId: desks.sports, name: 'Reader Two', email: 'two@example.com', subject: 'Match report', body: 'The score was wrong in the match report.' }, new Date(start + 60_000))).id;
    messages.politics2 = (await submitMessage(db, { deskId: desks.politics, name: 'Reader Three', email: 'three@example.com', subject: 'A tip', body: 'I have a tip for the politics desk.' }, new Date(start + 120_000))).id;
    editor = new Browser(t.app, '10.3.0.1');
    managing = new Browser(t.app, '10.3.0.2');
    writer = new Browser(t.app, '10.3.0.3');
    await editor.login('editor@example.com');
    await managing.login('boss@example.com');
    await writer.login('writer@example.com');
  });
  after(() => t.close());

  test('desk editors see their desks’ messages; managing editors all; contributors none', async () => {
    const page = await editor.get('/admin/inbox');
    assert.equal(page.statusCode, 200);
    const body = unescapeHtml(page.body);
    assert.match(body, /About the budget story/);
    assert.match(body, /A tip/);
    assert.doesNotMatch(body, /Match report/, 'not the Sports desk’s');
    assert.match(page.body, new RegExp(`<article id="message-${messages.politics}"`));
    assert.match(page.body, /<a href="mailto:one@example.com">one@example.com<\/a>/);
    assert.match(page.body, /<p>First paragraph &lt;b>not bold&lt;\/b>\.<br\/?>Second line\.<\/p><p>Second paragraph\.<\/p>/, 'escaped text with its line breaks');
    assert.match(page.body, /<time datetime="2026-11-28T08:00:00.000Z">/);
    assert.doesNotMatch(page.body, /<option value="\d+"[^>]*>Sports<\/option>/, 'only the desks the editor reads in the filter');

    const all = unescapeHtml((await managing.get('/admin/inbox')).body);
    assert.match(all, /Match report[^]*About the budget story/);
    assert.equal((await writer.get('/admin/inbox')).statusCode, 403);
    const anonymous = await new Browser(t.app, '10.3.0.9').get('/admin/inbox');
    assert.equal(anonymous.statusCode, 303);
    assert.match(anonymous.headers.location as string, /^\/login/);
    assert.equal((await editor.get(`/admin/inbox?desk=${desks.sports}`)).statusCode, 403, 'another desk’s filter');
    assert.doesNotMatch((await writer.get('/admin')).body, /Unread messages/, 'no inbox panel for contributors');
  });

  test('the dashboard counts the unread messages and links to the latest', async () => {
    const dashboard = await editor.get('/admin');
    assert.equal(dashboard.statusCode, 200);
    assert.match(dashboard.body, /Unread messages <span class="count">2<\/span>/);
    assert.match(dashboard.body, new RegExp(`href="/admin/inbox#message-${messages.politics2}">A tip</a>`));
    assert.match((await managing.get('/admin')).body, /Unread messages <span class="count">3<\/span>/);
  });

  test('mark read and answered, and back; the filter keeps its place; other desks’ messages are refused', async () => {
    const page = await editor.get(`/admin/inbox?unread=true&desk=${desks.politics}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const read = await editor.post(`/admin/inbox/${messages.politics}`, { _csrf: csrf, mark: 'read', unread: 'true', desk: String(desks.politics) });
    assert.equal(read.statusCode, 303);
    assert.equal(read.headers.location, `/admin/inbox?desk=${desks.politics}&unread=true&done=read#message-${messages.politics}`);
    const unreadOnly = unescapeHtml((await editor.get(read.headers.location as string)).body);
    assert.match(unreadOnly, /Marked read\./);
    assert.doesNotMatch(unreadOnly, /About the budget story/, 'read messages leave the unread filter');
    assert.match(unreadOnly, /A tip/);
    assert.match((await editor.get('/admin')).body, /Unread messages <span class="count">1<\/span>/);

    const answered = await editor.post(`/admin/inbox/${messages.politics2}`, { _csrf: csrf, mark: 'answered' });
    assert.equal(answered.statusCode, 303);
    const list = await editor.get('/admin/inbox');
    const second = list.body.slice(list.body.indexOf(`id="message-${messages.politics2}"`));
    assert.match(second, /^[^]*?<span class="state answered">Answered<\/span>/);
    assert.match(second, /^[^]*?value="unanswered">Mark not answered/);
    const first = list.body.slice(list.body.indexOf(`id="message-${messages.politics}"`));
    assert.match(first, /^[^]*?<span class="state read">Read<\/span>/);
    assert.match(first, /^[^]*?value="answered">Mark answered/);
    assert.match((await editor.get('/admin')).body, /Unread messages <span class="count">0<\/span>/, 'answering reads it');

    assert.equal((await editor.post(`/admin/inbox/${messages.politics2}`, { _csrf: csrf, mark: 'unanswered' })).statusCode, 303);
    assert.equal((await editor.post(`/admin/inbox/${messages.politics}`, { _csrf: csrf, mark: 'unread' })).statusCode, 303);
    const back = unescapeHtml((await editor.get('/admin/inbox?unread=true')).body);
    assert.match(back, /About the budget story/);

    assert.equal((await editor.post(`/admin/inbox/${messages.sports}`, { _csrf: csrf, mark: 'read' })).statusCode, 403, 'not their desk');
    assert.equal((await editor.post(`/admin/inbox/${messages.politics}`, { _csrf: csrf, mark: 'constructor' })).statusCode, 400);
    const expired = await editor.post(`/admin/inbox/${messages.politics}`, { _csrf: 'stale', mark: 'read' });
    assert.equal(expired.statusCode, 403);
    assert.match(expired.body, /This form had expired/);
    assert.match(unescapeHtml((await editor.get('/admin/inbox?unread=true')).body), /About the budget story/, 'still unread');
  });
});
