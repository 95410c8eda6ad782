// Every newsroom page is valid HTML (W3C Nu checker) and has no axe-core violations at desktop and
// phone widths, light and dark, with reflow at 320 px: as an administrator sees them (every page
// and every navigation link), after a story, an image and a reader's message exist, and in the
// states a form answers with (a refused story, a page that is not there).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import type { Browser, BrowserContext } from 'playwright-core';
import { startApp, type TestApp } from '../helpers/app.ts';
import { hasChromium, launchBrowser, CHROMIUM } from '../helpers/browser.ts';
import { testDatabases } from '../helpers/databases.ts';
import { accessibilityProblems, checkAxeCanary, DESKTOP, hasJava, nuProblems, runNu, type NuMessage } from '../helpers/validity.ts';
import { makeUser, PASSWORD } from '../auth/helpers.ts';
import { submitMessage } from '../../src/newsroom/contact/messages.ts';
import { findDeskBySlug } from '../../src/newsroom/desks/repository.ts';
import { findPersonBySlug } from '../../src/newsroom/people/repository.ts';

const skip = hasChromium() ? false : `no Chromium at ${CHROMIUM}: the newsroom's checks need Debian's chromium`;
const noJava = hasJava() ? false : 'no java on PATH: the Nu HTML checker (vnu.jar) needs Java';

interface AdminPage {
  name: string;
  path: string;
  status: number;
  /** Send the page's story form with these fields, past the browser's own validation. */
  post?: Record<string, string>;
}

let t: TestApp;
let base: string;
let browser: Browser | undefined;
let closeBrowser: (() => Promise<void>) | undefined;
let context: BrowserContext;
let workDir: string;
let pages: AdminPage[] = [];
/** The HTML of each page as the browser received it, before any script ran (for the Nu checker). */
const served = new Map<string, string>();
const failures: string[] = [];

before(async () => {
  if (skip) return;
  t = await startApp(testDatabases()[0]!, { demo: true });
  const db = t.db.kysely;
  await makeUser(db, { email: 'admin@example.com', role: 'admin' });
  const politics = (await findDeskBySlug(db, 'politics'))!;
  await submitMessage(db, { deskId: politics.id, name: 'A reader', email: 'reader@example.com', subject: 'A tip about the budget', body: 'The vote count in your story is out of date, I think.' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  workDir = mkdtempSync(join(tmpdir(), 'dateline-admin-validity-'));
  ({ browser, close: closeBrowser } = await launchBrowser());
  // bypassCSP: the newsroom's CSP rightly forbids inline scripts, and axe is injected as one.
  context = await browser.newContext({ viewport: DESKTOP, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('input[name="email"]', 'admin@example.com');
  await page.fill('input[name="password"]', PASSWORD);
  await Promise.all([page.waitForURL(`${base}/admin`), page.click('main button[type="submit"]')]);

  // An image in the library, and a story with two versions (so the history has a diff).
  const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 30, g: 80, b: 130 } } }).jpeg().toBuffer();
  await page.goto(`${base}/admin/media`);
  await page.setInputFiles('#file', { name: 'parliament.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.fill('#alt', 'The parliament building at dusk');
  await page.fill('#caption', 'Baharestan, Tehran.');
  await page.fill('#credit', 'IFP photo');
  await Promise.all([page.waitForURL(/uploaded=/), page.click('form[enctype] button[type="submit"]')]);
  await page.goto(`${base}/admin/stories/new`);
  await page.fill('#headline', 'Parliament debates the budget');
  await page.selectOption('#deskId', { label: 'Politics' });
  await page.locator('.ProseMirror').click();
  await page.keyboard.type('The debate began on Sunday.');
  await Promise.all([page.waitForURL(/\/admin\/stories\/\d+\?done=created/), page.getByRole('button', { name: 'Create draft' }).click()]);
  const story = new URL(page.url()).pathname;
  await page.locator('.ProseMirror p').first().click();
  await page.keyboard.press('End');
  await page.keyboard.type(' It ends on Thursday.');
  await Promise.all([page.waitForURL(/done=saved|done=/), page.getByRole('button', { name: 'Save', exact: true }).click()]);
  await page.close();

  const person = (await findPersonBySlug(db, 'nadia-farahani'))!;
  pages = [
    { name: 'dashboard', path: '/admin', status: 200 },
    { name: 'stories', path: '/admin/stories', status: 200 },
    { name: 'stories, filtered', path: '/admin/stories?status=draft', status: 200 },
    { name: 'new story', path: '/admin/stories/new', status: 200 },
    { name: 'new story, refused', path: '/admin/stories/new', status: 400, post: { headline: '', deskId: '' } },
    { name: 'story editor', path: story, status: 200 },
    { name: 'history and diff', path: `${story}/history`, status: 200 },
    { name: 'preview', path: `${story}/preview`, status: 200 },
    { name: 'media library', path: '/admin/media', status: 200 },
    { name: 'media search, nothing found', path: '/admin/media?q=zebra', status: 200 },
    { name: 'front page', path: '/admin/front-page', status: 200 },
    { name: 'inbox', path: '/admin/inbox', status: 200 },
    { name: 'people', path: '/admin/people', status: 200 },
    { name: 'new person', path: '/admin/people/new', status: 200 },
    { name: 'person', path: `/admin/people/${person.id}`, status: 200 },
    { name: 'desks', path: '/admin/desks', status: 200 },
    { name: 'new desk', path: '/admin/desks/new', status: 200 },
    { name: 'desk', path: `/admin/desks/${politics.id}`, status: 200 },
    { name: 'users', path: '/admin/users', status: 200 },
    { name: 'settings', path: '/admin/settings', status: 200 },
    { name: 'account', path: '/account', status: 200 },
    { name: 'password', path: '/account/password', status: 200 },
    { name: 'two-factor', path: '/account/two-factor', status: 200 },
    { name: 'not found in the newsroom', path: '/admin/stories/999999', status: 404 },
  ];
}, { timeout: 180_000 });

after(async () => {
  await closeBrowser?.();
  await t?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}, { timeout: 60_000 });

test('every newsroom page: its status, no axe-core violations in any mode, no sideways scrolling at 320 px', { skip, timeout: 300_000 }, async () => {
  await checkAxeCanary(context);
  let next = 0;
  // Two tabs at a time: the pages are independent, and the checks are mostly waiting.
  const worker = async () => {
    for (let p = pages[next++]; p; p = pages[next++]) {
      const page = await context.newPage();
      const current = p;
      let step = 'opening';
      const check = async () => {
        let res = await page.goto(base + current.path, { waitUntil: 'load' });
        const p = current;
        if (p.post) {
          step = 'sending the form';
          [res] = await Promise.all([
            page.waitForNavigation({ waitUntil: 'load' }),
            page.evaluate((fields) => {
              const form = document.querySelector<HTMLFormElement>('#story-form')!;
              for (const [name, value] of Object.entries(fields)) (form.elements.namedItem(name) as HTMLInputElement).value = value;
              form.noValidate = true;
              form.requestSubmit();
            }, p.post),
          ]);
        }
        if (res?.status() !== p.status) failures.push(`${p.name} (${p.path}): status ${res?.status()}, expected ${p.status}`);
        step = 'reading the HTML';
        served.set(p.name, (await res?.text()) ?? '');
        // The enhanced editor's toolbar and dialogs come from its script: wait for it.
        step = 'waiting for the editor';
        if (p.name === 'story editor') await page.locator('.editor-toolbar').waitFor();
        step = 'running axe';
        failures.push(...(await accessibilityProblems(page, `${p.name} (${p.path})`)));
      };
      // A step that never ends (the browser's evaluate has no timeout of its own) fails this page
      // with its name, rather than holding the whole suite.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), 90_000)));
      if ((await Promise.race([check().then(() => 'done' as const), late])) === 'late') failures.push(`${current.name} (${current.path}): still ${step} after 90 s`);
      clearTimeout(timer);
      await page.close().catch(() => undefined);
    }
  };
  await Promise.all([worker(), worker()]);
  assert.equal(failures.length, 0, `${failures.length} failures:\n${failures.join('\n')}`);
});

test('every newsroom page is valid HTML for the W3C Nu HTML checker', { skip: skip || noJava, timeout: 120_000 }, async (ctx) => {
  assert.equal(served.size, pages.length, 'the pages were fetched by the test before');
  const messages: NuMessage[] = await runNu([...served].map(([name, html]) => ({ name, html })), workDir);
  const problems = nuProblems(messages, (m) => ctx.diagnostic(`Nu info (accepted): ${m}`));
  assert.equal(problems.length, 0, `the Nu checker found ${problems.length} problems:\n${problems.join('\n')}`);
});
