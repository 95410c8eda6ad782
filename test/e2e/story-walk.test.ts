// The whole story through the newsroom UI in a real browser: a contributor writes (bold, link,
// quote, an uploaded image) and submits; the desk editor requests changes; the contributor
// revises; the editor approves and publishes; readers see it with responsive images; the
// editor corrects it; the history shows every step.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { testDatabases } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { makeUser, PASSWORD } from '../auth/helpers.ts';
import { createDesk, setDeskEditors } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';

const skip = hasChromium() ? false : 'Debian chromium is not installed (/usr/bin/chromium)';

let t: TestApp;
let base: string;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let mediaDir: string;

before(async () => {
  if (skip) return;
  mediaDir = mkdtempSync(join(tmpdir(), 'dateline-walk-media-'));
  t = await startApp(testDatabases()[0]!, { env: { MEDIA_DIR: mediaDir } });
  const db = t.db.kysely;
  const desk = await createDesk(db, { name: 'Politics' });
  const writer = await createPerson(db, { name: 'Wanda Writer', title: 'Journalist' });
  const editor = await createPerson(db, { name: 'Eddie Editor', title: 'Editor' });
  await setDeskEditors(db, desk.id, [editor.id]);
  const w = await makeUser(db, { email: 'wanda@example.com', role: 'contributor' });
  const e = await makeUser(db, { email: 'eddie@example.com', role: 'desk_editor' });
  await db.updateTable('users').set({ person_id: writer.id }).where('id', '=', w.id).execute();
  await db.updateTable('users').set({ person_id: editor.id }).where('id', '=', e.id).execute();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  ({ browser, close: closeBrowser } = await launchBrowser());
});

after(async () => {
  if (skip) return;
  await closeBrowser();
  await t.close();
  rmSync(mediaDir, { recursive: true, force: true });
});

async function signIn(email: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('main button[type="submit"]');
  await page.waitForURL(`${base}/admin`);
  return page;
}

/** Clicks a workflow button and waits for the page it leads to. */
async function act(page: Page, label: string): Promise<void> {
  await Promise.all([page.waitForURL(/\?done=/), page.getByRole('button', { name: label, exact: true }).click()]);
}

test('a story from the first word to a published correction, in the browser', { skip, timeout: 120_000 }, async () => {
  const writer = await signIn('wanda@example.com');

  // An image for the story, through the media library.
  const photo = await sharp({ create: { width: 1600, height: 1000, channels: 3, background: { r: 30, g: 80, b: 130 } } }).jpeg().toBuffer();
  await writer.goto(`${base}/admin/media`);
  await writer.setInputFiles('#file', { name: 'parliament.jpg', mimeType: 'image/jpeg', buffer: photo });
  await writer.fill('#alt', 'The parliament building at dusk');
  await writer.fill('#caption', 'Baharestan, Tehran.');
  await writer.fill('#credit', 'IFP photo');
  await Promise.all([writer.waitForURL(/uploaded=/), writer.click('form[enctype] button[type="submit"]')]);
  const imageUrl = await writer.inputValue('.media-grid input[readonly]');
  assert.match(imageUrl, /^\/media\/[0-9a-f]{32}\/\d+x\d+\.jpg$/);

  // Write: a bold word, a link, a quote and the image, in the rich editor.
  await writer.goto(`${base}/admin/stories/new`);
  await writer.fill('#headline', 'Parliament passes the budget');
  await writer.selectOption('#deskId', { label: 'Politics' });
  const body = writer.locator('.ProseMirror');
  await body.click();
  await writer.keyboard.type('The budget passed with a ');
  await writer.getByRole('button', { name: 'Bold', exact: true }).click();
  await writer.keyboard.type('narrow');
  await writer.getByRole('button', { name: 'Bold', exact: true }).click();
  await writer.keyboard.type(' majority. ');
  await writer.getByRole('button', { name: 'Link', exact: true }).click();
  await writer.getByRole('dialog').getByLabel('Address').fill('https://example.com/vote');
  await writer.getByRole('button', { name: 'Apply link' }).click();
  await writer.keyboard.press('End');
  await writer.keyboard.press('Enter');
  await writer.keyboard.type('“A fair budget,” the speaker said.');
  await writer.getByRole('button', { name: 'Quote', exact: true }).click();
  await writer.keyboard.press('End');
  await writer.keyboard.press('Enter');
  await writer.keyboard.press('Enter');
  await writer.getByRole('button', { name: 'Image', exact: true }).click();
  // Chosen from the library, so the body gets the responsive variants too.
  await writer.getByRole('dialog').getByRole('button', { name: 'The parliament building at dusk' }).click();
  await writer.getByRole('dialog').getByText(/^Chosen: /).waitFor();
  await writer.getByRole('button', { name: 'Insert image' }).click();
  // The same image leads the story, chosen from the library beside the lead image fields.
  await writer.locator('summary', { hasText: 'Lead image' }).click();
  await writer.getByRole('button', { name: 'Choose from the library…' }).click();
  await writer.getByRole('dialog').getByRole('button', { name: 'The parliament building at dusk' }).click();
  await writer.getByRole('dialog').getByText(/^Chosen: /).waitFor();
  await writer.getByRole('button', { name: 'Use this image' }).click();
  assert.equal(await writer.inputValue('#leadImageUrl'), imageUrl);
  assert.equal(await writer.inputValue('#leadImageAlt'), 'The parliament building at dusk');
  assert.equal(await writer.inputValue('#leadImageCredit'), 'IFP photo');
  await Promise.all([writer.waitForURL(/\/admin\/stories\/\d+\?done=created/), writer.getByRole('button', { name: 'Create draft' }).click()]);
  const storyPath = new URL(writer.url()).pathname;
  await act(writer, 'Submit for review');

  // The desk editor asks for a change.
  const editor = await signIn('eddie@example.com');
  await editor.goto(base + storyPath);
  await editor.locator('form[action$="/request-changes"] textarea').fill('Add the vote count.');
  await act(editor, 'Request changes');

  // The writer revises and submits again.
  await writer.goto(base + storyPath);
  await writer.locator('.ProseMirror p').first().click();
  await writer.keyboard.press('End');
  await writer.keyboard.type(' It passed by 150 votes to 90.');
  await act(writer, 'Save');
  await act(writer, 'Submit for review');

  // The editor approves and publishes.
  await editor.goto(base + storyPath);
  await act(editor, 'Approve');
  await act(editor, 'Publish now');

  const reader = await browser.newPage();
  await reader.goto(`${base}/politics/parliament-passes-the-budget`);
  assert.equal(await reader.locator('h1').textContent(), 'Parliament passes the budget');
  const html = await reader.content();
  assert.match(html, /<strong>narrow<\/strong>/);
  assert.match(html, /<a href="https:\/\/example\.com\/vote">/);
  assert.match(html, /<blockquote><p>“A fair budget,” the speaker said\.<\/p><\/blockquote>/);
  assert.match(html, /150 votes to 90/);
  assert.match(html, /<img[^>]+alt="The parliament building at dusk"/);
  assert.match(html, /<img[^>]+srcset="[^"]*\/media\/[0-9a-f]{32}\/\d+x\d+\.\w+ \d+w/, 'responsive variants in the body');
  assert.match(html, /<figure class="lead-figure">[\s\S]*?<source type="image\/avif" srcset="[^"]*\/media\/[0-9a-f]{32}\/\d+x\d+\.avif \d+w/, 'the lead image in responsive variants');
  const image = reader.locator('.body img').first();
  assert.ok(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the image loads');

  // The editor corrects the published story; readers see the dated correction.
  await editor.goto(base + storyPath);
  await editor.locator('.ProseMirror p').first().click();
  await editor.keyboard.press('End');
  await editor.keyboard.press('Backspace');
  await editor.keyboard.type(' (final count).');
  await editor.fill('#change-note', 'An earlier version did not say the count was final.');
  await act(editor, 'Publish correction');
  await reader.reload();
  assert.match(await reader.content(), /Correction<\/strong> <time[^>]*>[^<]+<\/time>: An earlier version did not say the count was final\./);

  // The history shows every step.
  await editor.goto(`${base}${storyPath}/history`);
  const history = await editor.locator('.timeline').textContent();
  for (const step of ['Created', 'Submitted for review', 'Requested changes', 'Saved', 'Approved', 'Published', 'Published a correction']) {
    assert.ok(history?.includes(step), `history shows ${step}`);
  }
  assert.ok(history?.includes('Add the vote count.'));
});
