// Every page type of the public site is valid HTML (the W3C Nu HTML checker) and has no axe-core
// violations (WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices) in headless Chromium: at a
// desktop and a phone width, in light and dark colour schemes. One app, one browser and one JVM
// for the whole file, so it stays fast.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import axe from 'axe-core';
import type { AxeResults, RunOptions } from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { startApp, type TestApp } from '../helpers/app.ts';
import { hasChromium, launchBrowser, CHROMIUM } from '../helpers/browser.ts';
import { testDatabases } from '../helpers/databases.ts';
import { createArticle } from '../../src/newsroom/articles/commands.ts';
import { findDeskBySlug } from '../../src/newsroom/desks/repository.ts';
import { findPersonBySlug } from '../../src/newsroom/people/repository.ts';

const VNU_JAR = String(createRequire(import.meta.url)('vnu-jar'));
const hasJava = spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
const noBrowser = hasChromium() ? false : `no Chromium at ${CHROMIUM}: the browser checks need Debian's chromium`;
const noJava = hasJava ? false : 'no java on PATH: the Nu HTML checker (vnu.jar) needs Java';

/**
 * Nu checker messages we accept. preact-render-to-string writes void elements as `<meta … />`;
 * the checker notes that the slash does nothing (an "info", not a warning), which is harmless
 * with our always-quoted attributes.
 */
const ACCEPTED_NU_INFO = [/^Trailing slash on void elements has no effect/];

/** Every WCAG 2.0/2.1/2.2 A and AA rule and axe's best practices (landmarks, heading order …). */
const ALL_RULES: RunOptions = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  resultTypes: ['violations'],
};
/**
 * The DOM is the same at every width and in both colour schemes (the server renders one page;
 * only CSS differs), so the other modes run just the rules whose outcome depends on layout
 * and colour.
 */
const VISUAL_RULES: RunOptions = {
  runOnly: { type: 'rule', values: ['color-contrast', 'link-in-text-block', 'target-size', 'scrollable-region-focusable', 'meta-viewport', 'css-orientation-lock'] },
  resultTypes: ['violations'],
};

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/** The first mode runs every rule; each next one changes width or colour scheme in place. */
const MODES: Array<{ name: string; viewport: { width: number; height: number }; colorScheme: 'light' | 'dark'; axe: RunOptions }> = [
  { name: 'desktop', viewport: DESKTOP, colorScheme: 'light', axe: ALL_RULES },
  { name: 'desktop dark', viewport: DESKTOP, colorScheme: 'dark', axe: VISUAL_RULES },
  { name: 'phone dark', viewport: PHONE, colorScheme: 'dark', axe: VISUAL_RULES },
  { name: 'phone', viewport: PHONE, colorScheme: 'light', axe: VISUAL_RULES },
];

interface PageCase {
  name: string;
  path: string;
  status: number;
  /** A form state: the page's form is sent (POST) with these fields changed. */
  post?: Record<string, string>;
}

const WORKERS = 2;
/** A page with known faults, checked beside the real ones: proof that the checkers do report. */
const CANARY = 'canary';
const BROKEN_HTML = '<!doctype html><html lang="en"><head><title>canary</title></head><body><main><p id="x">a</p><p id="x">b</p><img src="data:,"></main></body></html>';

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
  if (!noJava) nuRun = runNu([...pages.map((p) => ({ name: p.name, html: served.get(p.name)!.html })), { name: CANARY, html: BROKEN_HTML }]);
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
    const action = /<form[^>]* action="([^"]+)"/.exec(form)?.[1]?.replace(/&amp;/g, '&') ?? p.path;
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

interface NuMessage {
  page: string;
  type: string;
  subType?: string;
  message: string;
  extract?: string;
  lastLine?: number;
  lastColumn?: number;
}

/** One JVM checks every page at once (a JVM start costs seconds). */
async function runNu(documents: Array<{ name: string; html: string }>): Promise<NuMessage[]> {
  const files = documents.map((d, i) => {
    const file = join(workDir, `${String(i).padStart(2, '0')}.html`);
    writeFileSync(file, d.html);
    return { name: d.name, file };
  });
  const byUrl = new Map(files.map((f) => [pathToFileURL(f.file).href.replace('file:///', 'file:/'), f.name]));
  const child = spawn('java', ['-Xss8m', '-jar', VNU_JAR, '--format', 'json', '--stdout', ...files.map((f) => f.file)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => resolve());
  });
  let parsed: { messages: Array<Omit<NuMessage, 'page'> & { url?: string }> };
  try {
    parsed = JSON.parse(out) as typeof parsed;
  } catch {
    throw new Error(`the Nu checker gave no JSON: ${out.slice(0, 500)} ${err.slice(0, 500)}`);
  }
  return parsed.messages.map(({ url, ...m }) => ({ ...m, page: byUrl.get(url ?? '') ?? url ?? '(all)' }));
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
  const runAxe = (page: Page, options: RunOptions) =>
    page.evaluate((o) => (window as unknown as { axe: { run(c: Document, o: unknown): Promise<AxeResults> } }).axe.run(document, o), options);
  const canary = await context.newPage();
  await canary.setContent(BROKEN_HTML);
  await canary.addScriptTag({ content: axe.source });
  const found = (await runAxe(canary, ALL_RULES)).violations.map((v) => v.id);
  assert.ok(found.includes('image-alt'), `axe reports a known fault (got ${found.join(', ')})`);
  await canary.close();
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
      await page.addScriptTag({ content: axe.source });
      const background = new Map<string, string>();
      for (const mode of MODES) {
        await page.setViewportSize(mode.viewport);
        await page.emulateMedia({ colorScheme: mode.colorScheme });
        background.set(mode.colorScheme, await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
        const results = await runAxe(page, mode.axe);
        for (const v of results.violations) {
          const nodes = v.nodes
            .slice(0, 5)
            .map((n) => `      ${n.target.join(' ')}  ${n.html.slice(0, 160)}\n        ${(n.failureSummary ?? '').replace(/\n/g, ' ')}`)
            .join('\n');
          const more = v.nodes.length > 5 ? `\n      … and ${v.nodes.length - 5} more` : '';
          failures.push(`${p.name} (${p.path}) [${mode.name}] ${v.id} (${v.impact}): ${v.help}\n${nodes}${more}`);
        }
      }
      if (background.get('dark') === background.get('light')) failures.push(`${p.name} (${p.path}): the dark colour scheme does not apply`);
      // WCAG 1.4.10 Reflow: at 320 CSS pixels (1280 at 400 % zoom) nothing scrolls sideways.
      await page.setViewportSize({ width: 320, height: 640 });
      const overflow = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        return [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest('.visually-hidden, .trap, .skip-link'))
          .filter((el) => {
            // Inside a box that scrolls or clips on its own (the phone's row of desks), not the page.
            for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return false;
            return true;
          })
          .slice(0, 3)
          .map((el) => el.outerHTML.slice(0, 120));
      });
      if (overflow.length > 0) failures.push(`${p.name} (${p.path}) [320 px] reflow: content wider than the screen\n      ${overflow.join('\n      ')}`);
      await page.close();
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  await context.close();
  assert.equal(failures.length, 0, `${failures.length} accessibility failures (axe-core rules, reflow):\n${failures.join('\n')}`);
});

test('every page type is valid HTML for the W3C Nu HTML checker', { skip: noJava }, async (ctx) => {
  const all = await nuRun!;
  assert.ok(
    all.some((m) => m.page === CANARY && m.type === 'error' && /Duplicate ID/.test(m.message)),
    `the Nu checker reports a known fault (got ${JSON.stringify(all.filter((m) => m.page === CANARY))})`,
  );
  const messages = all.filter((m) => m.page !== CANARY);
  const describe = (m: NuMessage) => `${m.page}: ${m.subType ?? m.type}: ${m.message} (line ${m.lastLine ?? '?'}, column ${m.lastColumn ?? '?'}: ${(m.extract ?? '').replace(/\s+/g, ' ').slice(0, 120)})`;
  const errors = messages.filter((m) => m.type !== 'info');
  const warnings = messages.filter((m) => m.type === 'info' && m.subType === 'warning');
  const accepted = messages.filter((m) => m.type === 'info' && m.subType !== 'warning');
  const unexpectedInfo = accepted.filter((m) => !ACCEPTED_NU_INFO.some((re) => re.test(m.message)));
  const kinds = new Set(accepted.map((m) => m.message));
  for (const message of kinds) ctx.diagnostic(`Nu info (accepted): ${message}`);
  assert.equal(errors.length, 0, `the Nu checker found ${errors.length} errors:\n${errors.map(describe).join('\n')}`);
  assert.equal(warnings.length, 0, `the Nu checker found ${warnings.length} warnings:\n${warnings.map(describe).join('\n')}`);
  assert.equal(unexpectedInfo.length, 0, `the Nu checker found new notes:\n${unexpectedInfo.map(describe).join('\n')}`);
});
