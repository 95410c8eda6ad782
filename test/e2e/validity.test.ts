// Every page type of the public site is valid HTML (the W3C Nu HTML checker) and has no axe-core
// violations (WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices) in headless Chromium: at a
// desktop and a phone width, in light and dark colour schemes. One app, one browser and one JVM
// for the whole file, so it stays fast.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { startApp, type TestApp } from '../helpers/app.ts';
import { hasChromium, launchBrowser, CHROMIUM } from '../helpers/browser.ts';
import { testDatabases } from '../helpers/databases.ts';
import { accessibilityProblems, checkAxeCanary, DESKTOP, hasJava, nuProblems, PHONE, runNu, type NuMessage } from '../helpers/validity.ts';
import { createArticle } from '../../src/newsroom/articles/commands.ts';
import { findDeskBySlug } from '../../src/newsroom/desks/repository.ts';
import { findPersonBySlug } from '../../src/newsroom/people/repository.ts';

const noBrowser = hasChromium() ? false : `no Chromium at ${CHROMIUM}: the browser checks need Debian's chromium`;
const noJava = hasJava() ? false : 'no java on PATH: the Nu HTML checker (vnu.jar) needs Java';

interface PageCase {
  name: string;
  path: string;
  status: number;
  /** A form state: the page's form is sent (POST) with these fields changed. */
  post?: Record<string, string>;
}

const WORKERS = 2;

const REFERENCE = '/politics/no-talks-to-be-held-with-us-at-any-level-iran-leader';
const EXTRA_SPORTS_STORIES = 23; // more than a page (20) of one desk

let t: TestApp;
let base: string;
let pages: PageCase[] = [];
const served = new Map<string, { status: number; html: string }>();
let workDir: string;
let nuRun: Promise<NuMessage[]> | undefined;
let browser: Browser | undefined;
let closeBrowser: (() => Promise<void>) | undefined;

before(async () => {
  t = await startApp(testDatabases()[0]!, { demo: true });
  const db = t.db.kysely;
  const now = Date.now();
  const sports = (await findDeskBySlug(db, 'sports'))!;
  const world = (await findDeskBySlug(db, 'world'))!;
  const nadia = (await findPersonBySlug(db, 'nadia-farahani'))!;
  const staff = (await findPersonBySlug(db, 'ifp-editorial-staff'))!;
  for (let i = 1; i <= EXTRA_SPORTS_STORIES; i++) {
    await createArticle(
      db,
      {
        headline: `League round-up, week ${i}: late goals settle the table`,
        deskId: sports.id,
        bodyHtml: `<p>Round-up number ${i}.</p>`,
        excerpt: `What happened in week ${i} of the league, match by match.`,
        bylineIds: [nadia.id],
        tags: ['Football'],
      },
      { status: 'published', publishedAt: new Date(now - (6 * 24 * 60 + i) * 60_000) },
    );
  }
  // The newest story has every optional part: kicker, dek, lead image with caption and credit,
  // two bylines, tags and an update; it leads the front page.
  await createArticle(
    db,
    {
      slug: 'aid-convoy-reaches-the-border',
      headline: 'Aid convoy reaches the border after a week on the road',
      kicker: 'Analysis',
      dek: 'Forty lorries of food and medicine crossed at dawn; more are waiting.',
      deskId: world.id,
      bodyHtml:
        '<p>The convoy arrived at dawn.</p><h2>What comes next</h2><blockquote><p>“We will be back,” a driver said.</p></blockquote>' +
        '<ul><li>Food</li><li>Medicine</li></ul><figure class="image"><img src="/media/convoy.jpg" alt="Lorries queue at the crossing"><figcaption>At the crossing. — <cite>IFP photo</cite></figcaption></figure>' +
        '<blockquote class="pullquote"><p>More are waiting.</p></blockquote>' +
        '<figure class="embed"><a href="https://example.com/convoy-video">https://example.com/convoy-video</a><figcaption>The crossing on video. — <cite>IRIB</cite></figcaption></figure>',
      leadImage: { url: '/media/convoy-lead.jpg', alt: 'A line of white lorries on a desert road', caption: 'The convoy near the border.', credit: 'IFP photo' },
      bylineIds: [nadia.id, staff.id],
      tags: ['Iran', 'Aid'],
    },
    { status: 'published', publishedAt: new Date(now - 60_000), updatedAt: new Date(now - 30_000) },
  );
  const convoy = await db.selectFrom('articles').select('id').where('slug', '=', 'aid-convoy-reaches-the-border').executeTakeFirstOrThrow();
  await db
    .insertInto('article_events')
    .values([
      { article_id: convoy.id, kind: 'update', note: 'Adds the number of lorries still waiting.', at: new Date(now - 40_000).toISOString(), user_id: null },
      { article_id: convoy.id, kind: 'correction', note: 'An earlier version gave the wrong crossing.', at: new Date(now - 30_000).toISOString(), user_id: null },
    ])
    .execute();
  await createArticle(
    db,
    { slug: 'a-withdrawn-story', headline: 'A withdrawn story', deskId: world.id, bodyHtml: '<p>Gone.</p>' },
    { status: 'unpublished', publishedAt: new Date(now - 3_600_000) },
  );

  const month = new Intl.DateTimeFormat('en-CA', { timeZone: t.config.timeZone, year: 'numeric', month: '2-digit' }).format(new Date(now));
  pages = [
    { name: 'home', path: '/', status: 200 },
    { name: 'article', path: REFERENCE, status: 200 },
    { name: 'article with lead image', path: '/world/aid-convoy-reaches-the-border', status: 200 },
    { name: 'desk', path: '/politics', status: 200 },
    { name: 'desk, first of several pages', path: '/sports', status: 200 },
    { name: 'desk, page 2', path: '/sports?page=2', status: 200 },
    { name: 'tag', path: '/tag/iran', status: 200 },
    { name: 'author (collective)', path: '/author/ifp-editorial-staff', status: 200 },
    { name: 'author (person)', path: '/author/nadia-farahani', status: 200 },
    { name: 'staff', path: '/staff', status: 200 },
    { name: 'corrections', path: '/corrections', status: 200 },
    { name: 'contact', path: '/contact', status: 200 },
    { name: 'contact, desk chosen', path: '/contact?desk=politics', status: 200 },
    { name: 'archive', path: '/archive', status: 200 },
    { name: 'archive month', path: `/archive/${month.replace('-', '/')}`, status: 200 },
    { name: '404', path: '/nope', status: 404 },
    { name: '410', path: '/world/a-withdrawn-story', status: 410 },
    { name: 'contact, message sent', path: '/contact?sent=politics', status: 200 },
    { name: 'contact, with errors', path: '/contact', status: 400, post: { desk: '', name: 'A reader', email: 'not an address', subject: '', body: 'Too short' } },
    { name: 'contact, form expired', path: '/contact?desk=politics', status: 403, post: { _csrf: 'expired', subject: 'A tip', body: 'A message that was written before the form expired.' } },
    { name: 'owner set-up', path: `/setup/${t.firstRun.ownerToken}`, status: 200 },
    { name: 'owner set-up, with errors', path: `/setup/${t.firstRun.ownerToken}`, status: 400, post: { password: 'a long enough passphrase', confirm: 'a different passphrase' } },
  ];

  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  // The newsroom's login page joins the check as soon as the app serves it.
  if ((await fetch(`${base}/login`, { redirect: 'manual' })).status === 200) pages.push({ name: 'login', path: '/login', status: 200 });
  await Promise.all(pages.map(async (p) => served.set(p.name, await serve(p))));

  // The JVM starts now and checks every page while the browser works.
  workDir = mkdtempSync(join(tmpdir(), 'dateline-validity-'));
  if (!noJava) nuRun = runNu(pages.map((p) => ({ name: p.name, html: served.get(p.name)!.html })), workDir);
  if (!noBrowser) ({ browser, close: closeBrowser } = await launchBrowser());
});

after(async () => {
  await nuRun?.catch(() => undefined);
  await closeBrowser?.();
  await t?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** The page as the server sends it; for a form state, the answer to the form's POST. */
async function serve(p: PageCase): Promise<{ status: number; html: string }> {
  let res = await fetch(base + p.path, { redirect: 'manual' });
  if (p.post) {
    const form = await res.text();
    // The page's own form, inside <main> (the masthead's search form comes first).
    const main = form.slice(form.indexOf('<main'));
    const action = /<form[^>]* action="([^"]+)"/.exec(main)?.[1]?.replace(/&amp;/g, '&') ?? p.path;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    res = await fetch(base + action, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, ...p.post }).toString(),
    });
  }
  return { status: res.status, html: await res.text() };
}

test('every page type answers with its status', () => {
  for (const p of pages) assert.equal(served.get(p.name)?.status, p.status, `${p.name} ${p.path}`);
  assert.match(served.get('desk, first of several pages')!.html, /rel="next"/, 'the sports desk has a second page');
});

test('relative times show in the browser, absolute times without JavaScript', { skip: noBrowser }, async () => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser!.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await page.goto(base + REFERENCE, { waitUntil: 'load' });
    const times = await page.locator('time[data-relative]').allTextContents();
    await context.close();
    assert.ok(times.length >= 6, 'Recent Posts shows times');
    for (const text of times) {
      if (javaScriptEnabled) assert.match(text, /ago|now|yesterday/i, text);
      else assert.match(text, /\b20\d\d\b.*\d\d:\d\d/, `an absolute date and time without JavaScript: ${text}`);
    }
  }
});

test('the first Tab shows a skip link to the main content, and focus is always visible', { skip: noBrowser }, async () => {
  const context = await browser!.newContext({ viewport: PHONE });
  const page = await context.newPage();
  await page.goto(base + REFERENCE, { waitUntil: 'load' });
  await page.keyboard.press('Tab');
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return { text: el.textContent?.trim(), inMain: !!el.closest('main'), visible: box.top >= 0 && box.height > 0, outline: `${style.outlineStyle} ${style.outlineWidth}` };
    });
  const skip = await focused();
  assert.equal(skip.text, 'Skip to content');
  assert.ok(skip.visible, 'the skip link is on screen when focused');
  assert.match(skip.outline, /^solid [1-9]/, 'a visible focus outline');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  const next = await focused();
  assert.ok(next.inMain, `after the skip link, Tab goes into <main> (got "${next.text}")`);
  assert.match(next.outline, /^solid [1-9]/, 'a visible focus outline');
  await context.close();
});

test('no axe-core violations on any page, at desktop and phone widths, light and dark', { skip: noBrowser }, async () => {
  const failures: string[] = [];
  // bypassCSP: the site's CSP rightly forbids inline scripts, and axe is injected as one.
  const context = await browser!.newContext({ viewport: DESKTOP, bypassCSP: true });
  await checkAxeCanary(context);
  let next = 0;
  const worker = async () => {
    for (let p = pages[next++]; p; p = pages[next++]) {
      const page = await context.newPage();
      let res = await page.goto(base + p.path, { waitUntil: 'load' });
      if (p.post) {
        // Fill the form as given and send it past the browser's own validation, to see the
        // server's answer.
        [res] = await Promise.all([
          page.waitForNavigation({ waitUntil: 'load' }),
          page.evaluate((fields) => {
            const form = document.querySelector<HTMLFormElement>('main form')!;
            for (const [name, value] of Object.entries(fields)) (form.elements.namedItem(name) as HTMLInputElement).value = value;
            form.noValidate = true;
            form.requestSubmit();
          }, p.post),
        ]);
      }
      // Failures are collected, not thrown, so one run reports every page.
      if (res?.status() !== p.status) failures.push(`${p.name} (${p.path}): status ${res?.status()}, expected ${p.status}`);
      failures.push(...(await accessibilityProblems(page, `${p.name} (${p.path})`)));
      await page.close();
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  await context.close();
  assert.equal(failures.length, 0, `${failures.length} accessibility failures (axe-core rules, reflow):\n${failures.join('\n')}`);
});

test('every page type is valid HTML for the W3C Nu HTML checker', { skip: noJava }, async (ctx) => {
  const problems = nuProblems(await nuRun!, (m) => ctx.diagnostic(`Nu info (accepted): ${m}`));
  assert.equal(problems.length, 0, `the Nu checker found ${problems.length} problems:\n${problems.join('\n')}`);
});
