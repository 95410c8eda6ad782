// The story editor's bundle and schema: it builds, it is served immutable with a JS type, the
// page loads it without inline script, and the editor's HTML is exactly what sanitizeBody keeps
// — for a document using every feature, built with the toolbar's own commands in a real TipTap
// editor (on happy-dom), and for every demo story: opening a story never loses a word.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { Window } from 'happy-dom';
import { Editor, getSchema } from '@tiptap/core';
import { adminBundle } from '../../src/admin/bundle.ts';
import { bodyExtensions } from '../../src/admin/client/schema.ts';
import { parseBody, serializeBody, textOfBody } from '../../src/admin/client/body-html.ts';
import { embedFigure, imageFigure } from '../../src/admin/client/figures.ts';
import { keptHref, safeHref, safeMediaUrl } from '../../src/admin/client/urls.ts';
import { countWords } from '../../src/admin/client/words.ts';
import { sanitizeBody } from '../../src/newsroom/body.ts';
import { textFromHtml } from '../../src/newsroom/text.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { Browser, makeUser } from '../auth/helpers.ts';

const window = new Window({ url: 'http://localhost/' });
const document = window.document as unknown as Document;
const schema = getSchema(bodyExtensions());
const roundTrip = (html: string) => serializeBody(schema, parseBody(schema, html, document), document);

// TipTap's Editor wants a browser: happy-dom's globals, for this test process only.
const globals = globalThis as Record<string, unknown>;
for (const name of ['window', 'document', 'navigator', 'Node', 'HTMLElement', 'Element', 'DOMParser', 'getComputedStyle', 'requestAnimationFrame', 'MutationObserver', 'Text', 'DocumentFragment', 'Event', 'KeyboardEvent', 'CustomEvent']) {
  if (!(name in globals)) globals[name] = (window as unknown as Record<string, unknown>)[name];
}

let t: TestApp;

before(async () => {
  t = await startApp(testDatabases()[0]!, { demo: true });
});
after(async () => {
  await t?.close();
  await window.happyDOM.close();
});

test('the bundle builds: one script at a content-hashed path', async () => {
  const { editor } = await adminBundle();
  assert.match(editor.path, /^\/admin\/assets\/editor\.[0-9a-f]{12}\.js$/);
  assert.ok(editor.body.length > 50_000, 'TipTap and ProseMirror are in it');
  assert.match(editor.body, /story-form/);
  assert.equal(gunzipSync(editor.gzip).toString('utf8'), editor.body);
  assert.equal(await adminBundle(), await adminBundle(), 'built once per process');
});

test('served with a JavaScript type and a year of immutable caching, gzip when asked', async () => {
  const { editor } = await adminBundle();
  const plain = await t.app.inject({ method: 'GET', url: editor.path });
  assert.equal(plain.statusCode, 200);
  assert.match(String(plain.headers['content-type']), /^text\/javascript; charset=utf-8/);
  assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body, editor.body);
  const zipped = await t.app.inject({ method: 'GET', url: editor.path, headers: { 'accept-encoding': 'gzip, deflate, br' } });
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.equal(zipped.headers.vary, 'accept-encoding');
  assert.equal(gunzipSync(zipped.rawPayload).toString('utf8'), editor.body);
  assert.equal((await t.app.inject({ method: 'GET', url: '/admin/assets/editor.000000000000.js' })).statusCode, 404);
});

test('the story editor page loads the bundle by URL (no inline script) and says what the script needs', async () => {
  const db = t.db.kysely;
  const desk = await createDesk(db, { name: 'Bundle desk' });
  const person = await createPerson(db, { name: 'Bea Bundle', title: 'Journalist' });
  const user = await makeUser(db, { email: 'bea@example.com', role: 'contributor' });
  await db.updateTable('users').set({ person_id: person.id }).where('id', '=', user.id).execute();
  const browser = new Browser(t.app, '10.0.9.1');
  assert.equal((await browser.login('bea@example.com')).statusCode, 303);
  const created = await browser.post('/admin/stories', {
    _csrf: await browser.csrf('/admin/stories/new'),
    headline: 'Bundle check',
    deskId: String(desk.id),
    bodyHtml: '<p>Hello.</p>',
    language: 'en',
  });
  assert.equal(created.statusCode, 303);
  const page = await browser.get(created.headers.location as string);
  const { editor } = await adminBundle();
  assert.ok(page.body.includes(`<script src="${editor.path}" defer></script>`), 'the editor script, deferred');
  assert.doesNotMatch(page.body, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script: CSP is script-src self');
  assert.match(page.body, /data-status="draft"/);
  assert.match(page.body, /<textarea id="bodyHtml" name="bodyHtml"/, 'the textarea is still there for JavaScript-less browsers');
  assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
});

/** What every feature of the toolbar makes, through the toolbar's own commands. */
function everyFeature(): string {
  const el = document.createElement('div');
  document.body.append(el);
  const editor = new Editor({ element: el, extensions: bodyExtensions() });
  const c = () => editor.chain().focus();
  /** A new paragraph at the end, the cursor in it: where the writer starts the next block. */
  const next = () => editor.chain().insertContentAt(editor.state.doc.content.size, { type: 'paragraph' }).focus('end');
  c().insertContent('The budget passed with a ').run();
  c().toggleBold().insertContent('narrow').toggleBold().insertContent(' majority, ').run();
  c().toggleItalic().insertContent('after midnight').toggleItalic().insertContent('. ').run();
  c().insertContent({ type: 'text', text: 'Full vote', marks: [{ type: 'link', attrs: { href: 'https://example.com/vote?a=1&b="2"' } }] }).insertContent(' & more <here>.').run();
  next().toggleHeading({ level: 2 }).insertContent('What comes next').run();
  next().toggleHeading({ level: 3 }).insertContent('In the provinces').run();
  next().toggleBulletList().insertContent('Food').splitListItem('listItem').insertContent('Medicine').run();
  next().toggleOrderedList().insertContent('First').splitListItem('listItem').insertContent('Second').run();
  next().insertContent('“We will be back,” a driver said.').wrapIn('blockquote', { pullquote: false }).run();
  next().insertContent('A fair budget, at last').wrapIn('blockquote', { pullquote: true }).run();
  next().insertContent('Line one').setHardBreak().insertContent('line two\u00a0with a no-break space').run();
  c().insertContentAt(editor.state.doc.content.size, imageFigure({ src: '/media/convoy.jpg', alt: 'Lorries queue at the “crossing”', caption: 'At the crossing', credit: 'Photo: IFP' })).run();
  c().insertContentAt(editor.state.doc.content.size, imageFigure({ src: 'https://images.example.com/a.jpg', alt: 'No caption here' })).run();
  c()
    .insertContentAt(
      editor.state.doc.content.size,
      imageFigure({ src: '/media/k/1920x1280.jpg', alt: 'Library image', credit: 'Agency', width: 1920, height: 1280, srcset: '/media/k/640x427.jpg 640w, /media/k/1920x1280.jpg 1920w', sizes: '(min-width: 42rem) 40rem, calc(100vw - 2rem)' }),
    )
    .run();
  c().insertContentAt(editor.state.doc.content.size, embedFigure('https://www.youtube.com/watch?v=abc&t=1')).run();
  next().insertContent('Last words.').run();
  const before = editor.getHTML();
  editor.commands.undo();
  assert.notEqual(editor.getHTML(), before, 'undo undoes');
  editor.commands.redo();
  assert.equal(editor.getHTML(), before, 'redo redoes');
  const html = serializeBody(editor.schema, editor.state.doc, document);
  editor.destroy();
  el.remove();
  return html;
}

test('the editor writes exactly the HTML sanitizeBody keeps, for every feature', () => {
  const html = everyFeature();
  for (const part of [
    '<strong>narrow</strong>',
    '<em>after midnight</em>',
    '<a href="https://example.com/vote?a=1&amp;b=&quot;2&quot;">Full vote</a> &amp; more &lt;here&gt;.',
    '<h2>What comes next</h2>',
    '<h3>In the provinces</h3>',
    '<ul><li>Food</li><li>Medicine</li></ul>',
    '<ol><li>First</li><li>Second</li></ol>',
    '<blockquote><p>“We will be back,” a driver said.</p></blockquote>',
    '<blockquote class="pullquote"><p>A fair budget, at last</p></blockquote>',
    '<p>Line one<br />line two\u00a0with a no-break space</p>',
    '<figure class="image"><img src="/media/convoy.jpg" alt="Lorries queue at the “crossing”" loading="lazy" decoding="async" /><figcaption>At the crossing — <cite>Photo: IFP</cite></figcaption></figure>',
    '<figure class="image"><img src="https://images.example.com/a.jpg" alt="No caption here" loading="lazy" decoding="async" /></figure>',
    'width="1920" height="1280" srcset="/media/k/640x427.jpg 640w, /media/k/1920x1280.jpg 1920w" sizes="(min-width: 42rem) 40rem, calc(100vw - 2rem)"',
    '<figcaption><cite>Agency</cite></figcaption>',
    '<figure class="embed"><a href="https://www.youtube.com/watch?v=abc&amp;t=1">https://www.youtube.com/watch?v=abc&amp;t=1</a></figure>',
    '<p>Last words.</p>',
  ]) {
    assert.ok(html.includes(part), `has ${part}\n\nin ${html}`);
  }
  assert.doesNotMatch(html, /<p><\/p>|target=|rel=|class="ProseMirror|<span|style=/);
  // The claim itself: byte for byte, no attribute order or whitespace to forgive.
  assert.equal(sanitizeBody(html), html);
  assert.equal(roundTrip(html), html, 'reopening the story gives the same HTML');
});

test('typing while an image is selected writes its caption, the image stays; Enter in a caption goes on below', () => {
  const el = document.createElement('div');
  document.body.append(el);
  const editor = new Editor({
    element: el,
    extensions: bodyExtensions(),
    content: '<figure class="image"><img src="/a.jpg" alt="A"><figcaption>Caption</figcaption></figure><figure class="image"><img src="/b.jpg" alt="B"></figure>',
  });
  const type = (text: string) => editor.view.someProp('handleTextInput', (f) => f(editor.view, editor.state.selection.from, editor.state.selection.to, text, () => editor.state.tr));
  const imageAt = (n: number) => {
    let at = -1;
    editor.state.doc.descendants((node, pos) => {
      if (node.type.name === 'image' && n-- === 0) at = pos;
    });
    return at;
  };
  editor.commands.setNodeSelection(imageAt(0));
  assert.equal(type(' — more'), true);
  // Enter in a caption goes on in a new paragraph below the figure.
  editor.commands.focus('end');
  editor.commands.keyboardShortcut('Enter');
  editor.commands.insertContent('Below.');
  editor.commands.setNodeSelection(imageAt(1));
  assert.equal(type('New caption'), true);
  assert.equal(
    serializeBody(editor.schema, editor.state.doc, document),
    '<figure class="image"><img src="/a.jpg" alt="A" loading="lazy" decoding="async" /><figcaption>Caption — more</figcaption></figure>' +
      '<figure class="image"><img src="/b.jpg" alt="B" loading="lazy" decoding="async" /><figcaption>New caption</figcaption></figure><p>Below.</p>',
  );
  editor.destroy();
  el.remove();
});

test('every tag of the body allowlist survives the editor (nothing in a stored story is lost)', () => {
  const stored = sanitizeBody(
    '<p>a <b>b</b> <i>i</i> <u>u</u> <s>s</s> H<sub>2</sub>O x<sup>2</sup> <cite>Work</cite> <q>quoted</q> <code>c</code> <a href="/politics/x" title="T">rel</a> <a href="mailto:desk@example.com">mail</a></p>' +
      '<h1>h1</h1><h4>h4</h4><blockquote cite="https://ex.com/source"><p>q</p></blockquote><aside class="pullquote">aside words</aside><aside>plain aside</aside>' +
      '<ul><li>one<ul><li>nested</li></ul></li><li><p>para one</p><p>para two</p></li></ul><ol start="3"><li>three</li></ol><hr>' +
      '<figure class="image"><img src="/m.jpg" alt="m"><figcaption>cap <cite>cred</cite></figcaption></figure><figure class="embed"><a href="https://x.example/v">Watch the video</a><figcaption>Embed caption</figcaption></figure>' +
      '<figure><figcaption>only a caption</figcaption></figure><p><img src="/inline.jpg" alt="inline"> after image</p>' +
      '<pre>code  block\n  indented</pre><table><caption>Votes</caption><thead><tr><th scope="col">Party</th><th>Seats</th></tr></thead><tbody><tr><td>A</td><td colspan="2"><p>150</p><p>of 290</p></td></tr></tbody></table>' +
      '<table><tr><td>no tbody</td></tr></table>',
  );
  const once = roundTrip(stored);
  assert.equal(sanitizeBody(once), once, 'still exactly what the sanitizer keeps');
  assert.equal(roundTrip(once), once, 'stable from the first save on');
  // Every character of text, in order (block boundaries may add or drop a space: textFromHtml
  // does not count <aside>, <pre> or <caption> as blocks).
  const letters = (html: string) => textFromHtml(html).replace(/\s+/g, '');
  assert.equal(letters(once), letters(stored), 'the same words, every one');
  for (const kept of ['<sub>2</sub>', '<sup>2</sup>', '<cite>Work</cite>', '<q>quoted</q>', '<code>c</code>', 'title="T"', '<h2>h1</h2>', '<h4>h4</h4>', 'blockquote cite="https://ex.com/source"', '<aside class="pullquote"><p>aside words</p></aside>', '<ol start="3">', '<hr />', '<a href="https://x.example/v">Watch the video</a><figcaption>Embed caption</figcaption>', '<caption>Votes</caption>', '<th scope="col">Party</th>', '<td colspan="2"><p>150</p><p>of 290</p></td>', '<tbody><tr><td>no tbody</td></tr></tbody>', '<pre><code>code  block\n  indented</code></pre>', '<p><img src="/inline.jpg" alt="inline" loading="lazy" decoding="async" /> after image</p>']) {
    assert.ok(once.includes(kept), `keeps ${kept}\n\nin ${once}`);
  }
});

test('every demo story opens in the editor without losing a word', async () => {
  const rows = await t.db.kysely.selectFrom('articles').select(['slug', 'body_html']).execute();
  assert.ok(rows.length >= 5);
  for (const row of rows) {
    const edited = roundTrip(row.body_html);
    assert.equal(sanitizeBody(edited), edited, row.slug);
    assert.equal(textFromHtml(edited).replace(/\s+/g, ''), textFromHtml(row.body_html).replace(/\s+/g, ''), `${row.slug}: same text`);
  }
});

test('addresses: links refuse javascript: and other schemes the body drops; images need http(s) or a site path', () => {
  assert.equal(safeHref('https://example.com/a?b=1'), 'https://example.com/a?b=1');
  assert.equal(safeHref('example.com/page'), 'https://example.com/page');
  assert.equal(safeHref('/politics/story'), '/politics/story');
  assert.equal(safeHref('mailto:desk@example.com'), 'mailto:desk@example.com');
  for (const bad of ['javascript:alert(1)', 'JavaScript:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,x', 'vbscript:x', '//evil.example', '\\\\evil', 'ftp://x.example', 'not a url', '']) {
    assert.equal(safeHref(bad), null, bad);
  }
  assert.equal(keptHref('javascript:alert(1)'), false);
  assert.equal(keptHref('java\nscript:alert(1)'), false);
  assert.equal(keptHref('relative/page'), true);
  assert.equal(safeMediaUrl('/media/a.jpg'), '/media/a.jpg');
  assert.equal(safeMediaUrl('mailto:x@example.com'), null);
  assert.equal(safeMediaUrl('data:image/png;base64,AAAA'), null);
  // A pasted javascript: link keeps its words and loses the link.
  assert.equal(roundTrip('<p><a href="javascript:alert(1)">click</a> <a href=" javascript:x">me</a></p>'), '<p>click me</p>');
});

test('word count and the conflict view text', () => {
  assert.equal(countWords('The budget passed, 150 votes to 90.'), 7);
  assert.equal(countWords('  '), 0);
  assert.equal(countWords('هیچ مذاکره‌ای با آمریکا'), 4);
  assert.equal(textOfBody('<h2>Title</h2><p>One <strong>two</strong></p><ul><li>three</li></ul><figure class="embed"><a href="https://x">https://x</a></figure>', document), 'Title\n\nOne two\n\nthree\n\nhttps://x');
});
