// The story editor in Debian's Chromium: writing with the toolbar and the keyboard, autosave and
// its saved state, reload, an edit conflict between two browsers where nothing is lost, Ctrl+S,
// and the emergency copy that survives a lost connection and a closed tab.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import axe from 'axe-core';
import type { AxeResults } from 'axe-core';
import { startApp, type TestApp } from '../helpers/app.ts';
import { CHROMIUM, hasChromium, launchBrowser } from '../helpers/browser.ts';
import { testDatabases } from '../helpers/databases.ts';
import { makeUser, PASSWORD } from '../auth/factories.ts';
import { createDesk, setDeskEditors } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';
import { sanitizeBody } from '../../src/newsroom/body.ts';

const noBrowser = hasChromium() ? false : `no Chromium at ${CHROMIUM}: the editor tests need Debian's chromium`;

let t: TestApp;
let base: string;
let browser: Browser | undefined;
let closeBrowser: (() => Promise<void>) | undefined;
let deskId: number;
let storyPath = '';

before(async () => {
  if (noBrowser) return;
  t = await startApp(testDatabases()[0]!);
  const db = t.db.kysely;
  deskId = (await createDesk(db, { name: 'Politics' })).id;
  const writer = await createPerson(db, { name: 'Wanda Writer', title: 'Journalist' });
  const editor = await createPerson(db, { name: 'Eddie Editor', title: 'Editor' });
  await setDeskEditors(db, deskId, [editor.id]);
  const w = await makeUser(db, { email: 'wanda@example.com', role: 'contributor' });
  const e = await makeUser(db, { email: 'eddie@example.com', role: 'desk_editor' });
  await db.updateTable('users').set({ person_id: writer.id }).where('id', '=', w.id).execute();
  await db.updateTable('users').set({ person_id: editor.id }).where('id', '=', e.id).execute();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  ({ browser, close: closeBrowser } = await launchBrowser());
});

after(async () => {
  await closeBrowser?.();
  await t?.close();
});

async function loggedIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser!.newContext({ baseURL: base, locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => assert.fail(`script error on ${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) assert.fail(`CSP violation on ${page.url()}: ${message.text()}`);
  });
  await page.goto('/login');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForURL(/\/admin/), page.getByRole('button', { name: /log in|sign in/i }).click()]);
  return { context, page };
}

const body = (page: Page) => page.getByRole('textbox', { name: 'Body' });
const saveState = (page: Page) => page.locator('#save-state');
const tool = (page: Page, name: string) => page.getByRole('toolbar', { name: 'Body formatting' }).getByRole('button', { name, exact: true });
const stored = async () => {
  const id = Number(/\/admin\/stories\/(\d+)/.exec(storyPath)?.[1]);
  return t.db.kysely.selectFrom('articles').select(['body_html', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
};
const textareaValue = (page: Page) => page.locator('#bodyHtml').inputValue();
/**
 * The cursor at the end of the body. Set through the editor: a click and Ctrl+End land in a
 * different place from run to run in headless Chromium, and a test must not guess.
 */
async function atEnd(page: Page): Promise<void> {
  await page.evaluate(() => {
    const { editor } = (window as unknown as { datelineEditor: { editor: { view: { focus(): void }; state: { doc: { content: { size: number } } }; commands: { setTextSelection(at: number): void } } } }).datelineEditor;
    editor.view.focus();
    editor.commands.setTextSelection(editor.state.doc.content.size);
  });
}

test('write with the toolbar and the keyboard; autosave shows "Saved at"; a reload shows the text', { skip: noBrowser }, async () => {
  const { context, page } = await loggedIn('wanda@example.com');
  await page.goto('/admin/stories/new');
  await expectVisible(body(page));
  assert.equal(await page.locator('#bodyHtml').isHidden(), true, 'the textarea is hidden, still in the form');
  await page.getByLabel('Headline').fill('Parliament passes the budget');
  await page.getByLabel('Desk').selectOption(String(deskId));

  // A paragraph with a bold word (Ctrl+B) and a link (Ctrl+K on a selected word).
  await body(page).click();
  await page.keyboard.type('The budget passed with a ');
  await page.keyboard.press('Control+b');
  assert.equal(await tool(page, 'Bold').getAttribute('aria-pressed'), 'true');
  await page.keyboard.type('narrow');
  await page.keyboard.press('Control+b');
  await page.keyboard.type(' majority. Read the report');
  await page.keyboard.press('Control+Shift+ArrowLeft');
  await page.keyboard.press('Control+k');
  const linkDialog = page.getByRole('dialog', { name: 'Add a link' });
  await linkDialog.getByLabel('Address').fill('javascript:alert(1)');
  await linkDialog.getByRole('button', { name: 'Apply link' }).click();
  await expectVisible(linkDialog.getByText(/Scripts \(javascript:\) are not allowed/));
  await linkDialog.getByLabel('Address').fill('https://example.com/report');
  await linkDialog.getByLabel('Address').press('Enter');
  await expectHidden(linkDialog);
  // The focus is back in the text, the cursor just after the new link.
  await until('the cursor after the link', () =>
    page.evaluate(() => {
      const { editor } = (window as unknown as { datelineEditor: { editor: { isFocused: boolean; state: { selection: { empty: boolean } } } } }).datelineEditor;
      return editor.isFocused && editor.state.selection.empty;
    }),
  );
  await page.keyboard.type('.');
  // A quote, from the toolbar; then out of it again.
  await page.keyboard.press('Enter');
  await tool(page, 'Quote').click();
  assert.equal(await tool(page, 'Quote').getAttribute('aria-pressed'), 'true');
  await page.keyboard.type('“A fair budget,” the speaker said.');
  await page.keyboard.press('Enter');
  await tool(page, 'Quote').click();
  await page.keyboard.type('After the quote.');
  // An image with alt text, caption and credit.
  await tool(page, 'Image').click();
  const imageDialog = page.getByRole('dialog', { name: 'Insert an image' });
  await imageDialog.getByLabel('Image address').fill('/media/convoy.jpg');
  await imageDialog.getByRole('button', { name: 'Insert image' }).click();
  await expectVisible(imageDialog.getByText('Alt text is needed.'));
  await imageDialog.getByLabel('Alt text').fill('Lorries queue at the crossing');
  await imageDialog.getByLabel('Caption (optional)').fill('At the crossing');
  await imageDialog.getByLabel('Credit (optional)').fill('Photo: IFP');
  await imageDialog.getByRole('button', { name: 'Insert image' }).click();
  await expectHidden(imageDialog);
  await expectText(page.locator('.word-count [aria-hidden="true"]'), /^2\d words$/);

  // A new story has no autosave: "Create draft" posts the form, body from the hidden textarea.
  const html = await textareaValue(page);
  await Promise.all([page.waitForURL(/\/admin\/stories\/\d+\?done=created/), page.getByRole('button', { name: 'Create draft' }).click()]);
  storyPath = new URL(page.url()).pathname;
  for (const part of [
    '<p>The budget passed with a <strong>narrow</strong> majority. Read the <a href="https://example.com/report">report</a>.</p>',
    '<blockquote><p>“A fair budget,” the speaker said.</p></blockquote><p>After the quote.</p>',
    '<figure class="image"><img src="/media/convoy.jpg" alt="Lorries queue at the crossing" loading="lazy" decoding="async" /><figcaption>At the crossing — <cite>Photo: IFP</cite></figcaption></figure>',
  ]) {
    assert.ok(html.includes(part), `${part}\n\nin ${html}`);
  }
  assert.equal(sanitizeBody(html), html, 'the editor posts exactly what the sanitizer keeps');
  assert.equal((await stored()).body_html, html, 'stored as sent');

  // Now a draft: autosave 3 s after the last change.
  await atEnd(page);
  await page.keyboard.press('Enter');
  await page.keyboard.type('Autosaved paragraph.');
  await expectText(saveState(page), 'Unsaved changes');
  await expectText(saveState(page), /^Saved at \d{1,2}:\d\d( [AP]M)?$/, 10_000);
  const after = await stored();
  assert.equal(after.version, 2);
  assert.match(after.body_html, /<p>Autosaved paragraph\.<\/p>$/);
  assert.equal(await page.locator('input[name="baseVersion"]').inputValue(), '2');

  await page.reload();
  await expectText(body(page), /Autosaved paragraph\./);
  await expectText(body(page), /The budget passed with a narrow majority/);
  assert.equal(await page.locator('.restore-notice').count(), 0, 'nothing unsaved to offer');
  assert.equal(await textareaValue(page), after.body_html, 'the reloaded editor gives the same HTML');
  await context.close();
});

test('toolbar: one tab stop, arrow keys move along it, pressed states follow the cursor', { skip: noBrowser }, async () => {
  const { context, page } = await loggedIn('wanda@example.com');
  await page.goto(storyPath);
  const toolbar = page.getByRole('toolbar', { name: 'Body formatting' });
  assert.equal(await toolbar.locator('button[tabindex="0"]').count(), 1);
  await tool(page, 'Bold').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Italic');
  await page.keyboard.press('End');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Redo');
  await body(page).getByText('narrow').click();
  await expectAttribute(tool(page, 'Bold'), 'aria-pressed', 'true');
  await body(page).getByText('A fair budget').click();
  await expectAttribute(tool(page, 'Quote'), 'aria-pressed', 'true');
  await expectAttribute(tool(page, 'Bold'), 'aria-pressed', 'false');
  assert.equal(await body(page).getAttribute('aria-multiline'), 'true');
  await context.close();
});

test('the enhanced editor page, with the image dialog open, has no axe violations', { skip: noBrowser }, async () => {
  const { context, page } = await loggedIn('wanda@example.com');
  await page.goto(storyPath);
  await expectVisible(body(page));
  // axe goes in as an inline script, which the page's CSP rightly refuses: a second, CSP-less
  // context with the same session checks the same page.
  const axeContext = await browser!.newContext({ baseURL: base, bypassCSP: true, storageState: await context.storageState() });
  const axePage = await axeContext.newPage();
  await axePage.goto(storyPath);
  await expectVisible(body(axePage));
  await axePage.addScriptTag({ content: axe.source });
  const run = () =>
    axePage.evaluate(
      (o) => (window as unknown as { axe: { run(c: Document, o: unknown): Promise<AxeResults> } }).axe.run(document, o),
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }, resultTypes: ['violations'] },
    );
  const describe = (r: AxeResults) => r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n');
  const page1 = await run();
  assert.equal(page1.violations.length, 0, describe(page1));
  await tool(axePage, 'Image').click();
  await expectVisible(axePage.getByRole('dialog', { name: 'Insert an image' }));
  const dialog = await run();
  assert.equal(dialog.violations.length, 0, describe(dialog));
  await axeContext.close();
  await context.close();
});

test('an edit conflict: both versions side by side, autosave stops, nothing is lost, "keep mine" saves over theirs', { skip: noBrowser }, async () => {
  const writer = await loggedIn('wanda@example.com');
  const editor = await loggedIn('eddie@example.com');
  await writer.page.goto(storyPath);
  await editor.page.goto(storyPath);
  const { version } = await stored();

  // The soft lock: the writer opened it first; the editor's heartbeat shows who has it and
  // does not take it over.
  await editor.page.evaluate(() => (window as unknown as { datelineEditor: { saver: { heartbeat(): Promise<void> } } }).datelineEditor.saver.heartbeat());
  await expectText(editor.page.locator('#lock-live'), /^wanda@example\.com has this story open \(since /);
  const id = Number(/\/admin\/stories\/(\d+)/.exec(storyPath)?.[1]);
  const holder = await t.db.kysely.selectFrom('article_locks').innerJoin('users', 'users.id', 'article_locks.user_id').select('users.email').where('article_id', '=', id).executeTakeFirst();
  assert.equal(holder?.email, 'wanda@example.com');

  // The desk editor saves first.
  await atEnd(editor.page);
  await editor.page.keyboard.press('Enter');
  await editor.page.keyboard.type('Their paragraph, saved first.');
  await expectText(saveState(editor.page), /^Saved at/, 10_000);
  assert.equal((await stored()).version, version + 1);

  // The writer, still on the older version, types; the autosave meets the conflict.
  const puts: string[] = [];
  writer.page.on('request', (r) => {
    if (r.method() === 'PUT') puts.push(r.url());
  });
  await atEnd(writer.page);
  await writer.page.keyboard.press('Enter');
  await writer.page.keyboard.type('My unsaved paragraph.');
  const panel = writer.page.getByRole('region', { name: 'Someone else saved this story while you were editing' });
  await expectVisible(panel, 10_000);
  await expectText(panel.getByRole('alert'), /Nothing was overwritten/);
  await expectText(panel.locator('.conflict > div').nth(0), /Your version[\s\S]*My unsaved paragraph\./);
  await expectText(panel.locator('.conflict > div').nth(1), new RegExp(`Saved version ${version + 1}[\\s\\S]*Their paragraph, saved first\\.`));
  assert.doesNotMatch((await panel.locator('.conflict > div').nth(1).textContent()) ?? '', /My unsaved/);
  await expectText(saveState(writer.page), /Not saved — someone else saved/);
  await expectText(body(writer.page), /My unsaved paragraph\./);
  assert.equal(puts.length, 1);

  // Autosave has stopped: more typing sends nothing, and the "your version" column follows.
  await writer.page.keyboard.type(' And more.');
  await writer.page.waitForTimeout(4_000);
  assert.equal(puts.length, 1, 'no autosave while the conflict waits for a choice');
  await expectText(panel.locator('.conflict > div').nth(0), /My unsaved paragraph\. And more\./);
  assert.match((await stored()).body_html, /Their paragraph, saved first\./);
  const copy = await writer.page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('dateline:story:')));
  assert.ok(copy.length >= 1, 'an emergency copy is kept meanwhile');

  await panel.getByRole('button', { name: `Keep mine and save over version ${version + 1}` }).click();
  await expectText(saveState(writer.page), /^Saved at/, 10_000);
  await expectHidden(panel);
  const saved = await stored();
  assert.equal(saved.version, version + 2);
  assert.match(saved.body_html, /My unsaved paragraph\. And more\./);
  const revisions = await t.db.kysely.selectFrom('revisions').select(['version', 'fields']).where('version', '=', version + 1).execute();
  assert.ok(revisions.some((r) => String(r.fields).includes('Their paragraph, saved first.')), 'their version stays in the history');
  await writer.context.close();
  await editor.context.close();
});

test('"Load theirs" replaces the text after a confirmation', { skip: noBrowser }, async () => {
  const writer = await loggedIn('wanda@example.com');
  const editor = await loggedIn('eddie@example.com');
  await writer.page.goto(storyPath);
  await editor.page.goto(storyPath);
  await atEnd(editor.page);
  await editor.page.keyboard.type(' Edited by the desk.');
  await expectText(saveState(editor.page), /^Saved at/, 10_000);
  await atEnd(writer.page);
  await writer.page.keyboard.type(' Mine, to be replaced.');
  const panel = writer.page.locator('#live-conflict');
  await expectVisible(panel, 10_000);
  writer.page.once('dialog', (dialog) => void dialog.accept());
  await panel.getByRole('button', { name: 'Load theirs' }).click();
  await expectHidden(panel);
  await expectText(body(writer.page), /Edited by the desk\./);
  assert.doesNotMatch((await body(writer.page).textContent()) ?? '', /Mine, to be replaced/);
  const { version } = await stored();
  assert.equal(await writer.page.locator('input[name="baseVersion"]').inputValue(), String(version));
  // Writing on goes on from their version, without a new conflict.
  await atEnd(writer.page);
  await writer.page.keyboard.type(' Continued.');
  await expectText(saveState(writer.page), /^Saved at/, 10_000);
  assert.match((await stored()).body_html, /Edited by the desk\. Continued\./);
  await writer.context.close();
  await editor.context.close();
});

test('Ctrl+S saves at once, without the browser’s save dialog', { skip: noBrowser }, async () => {
  const { context, page } = await loggedIn('wanda@example.com');
  await page.goto(storyPath);
  await atEnd(page);
  await page.keyboard.type(' Saved by the shortcut.');
  const started = Date.now();
  await page.keyboard.press('Control+s');
  await expectText(saveState(page), /^Saved at/, 5_000);
  assert.ok(Date.now() - started < 2_500, 'before the 3 s autosave would have run');
  assert.match((await stored()).body_html, /Saved by the shortcut\./);
  await context.close();
});

test('offline: "Not saved — retrying", a warning before leaving, and the text comes back in a new tab', { skip: noBrowser }, async () => {
  const first = await loggedIn('wanda@example.com');
  await first.page.goto(storyPath);
  await atEnd(first.page);
  await first.context.setOffline(true);
  await first.page.keyboard.type(' Written on a train.');
  await expectText(saveState(first.page), 'Not saved — retrying', 10_000);
  // Leaving now would lose the words: the page asks first (and stays when told to).
  let asked = false;
  first.page.once('dialog', (dialog) => {
    asked = dialog.type() === 'beforeunload';
    void dialog.dismiss();
  });
  await first.page.close({ runBeforeUnload: true });
  await until('the beforeunload question', async () => asked);
  assert.equal(first.page.isClosed(), false);
  assert.doesNotMatch((await stored()).body_html, /Written on a train/);

  // The tab is lost for good (still offline); the same browser profile opens the story again.
  const again = await browser!.newContext({ baseURL: base, storageState: await first.context.storageState() });
  const page = await again.newPage();
  await page.goto(storyPath);
  const notice = page.getByRole('region', { name: 'Unsaved text found' });
  await expectVisible(notice);
  await notice.getByRole('button', { name: 'Restore my unsaved text' }).click();
  await expectText(body(page), /Written on a train\./);
  await expectText(saveState(page), /^Saved at/, 10_000);
  assert.match((await stored()).body_html, /Written on a train\./);
  await page.reload();
  assert.equal(await page.locator('.restore-notice').count(), 0, 'saved: nothing more to offer');
  await again.close();
  // The lost tab's last try (when it finally closes) meets a newer version: refused, not written over.
  await first.context.setOffline(false);
  await first.context.close();
  const final = (await stored()).body_html;
  assert.match(final, /Written on a train\./);
  assert.ok(final.includes('<img src="/media/convoy.jpg" alt="Lorries queue at the crossing" loading="lazy" decoding="async" />'), 'the image survived every test');
});

test('a click on an image then typing writes its caption; the image stays', { skip: noBrowser }, async () => {
  const { context, page } = await loggedIn('wanda@example.com');
  await page.goto(storyPath);
  await body(page).locator('figure img').first().click();
  await page.keyboard.type(' (archive)');
  await until('the caption to change', async () => (await textareaValue(page)).includes('(archive)'));
  const html = await textareaValue(page);
  assert.ok(html.includes('<img src="/media/convoy.jpg" alt="Lorries queue at the crossing" loading="lazy" decoding="async" /><figcaption>At the crossing — <cite>Photo: IFP'), html);
  assert.match(html, /<figcaption>At the crossing — <cite>Photo: IFP[^<]*\(archive\)/);
  await context.close();
});

// Small polling helpers (playwright-core has no test runner's expect).
async function until(what: string, check: () => Promise<boolean>, timeout = 5_000): Promise<void> {
  const end = Date.now() + timeout;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
type Locator = ReturnType<Page['locator']>;
const expectVisible = (l: Locator, timeout = 5_000) => l.first().waitFor({ state: 'visible', timeout });
const expectHidden = (l: Locator, timeout = 5_000) => l.first().waitFor({ state: 'hidden', timeout });
async function expectText(l: Locator, want: string | RegExp, timeout = 5_000): Promise<void> {
  let last = '';
  await until(
    `${String(want)} (last seen: ${JSON.stringify(last)})`,
    async () => {
      last = ((await l.first().textContent()) ?? '').trim();
      return typeof want === 'string' ? last === want : want.test(last);
    },
    timeout,
  ).catch(() => assert.fail(`expected ${String(want)}, saw ${JSON.stringify(last)}`));
}
async function expectAttribute(l: Locator, name: string, want: string): Promise<void> {
  await until(`${name}=${want}`, async () => (await l.getAttribute(name)) === want);
}
