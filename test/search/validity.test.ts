// The search page in each of its states is valid HTML (W3C Nu HTML checker) and has no axe-core
// violations (WCAG 2.x A/AA and best practices) at desktop and phone widths, light and dark, and
// reflows at 320 px. The same checks as test/e2e/validity.test.ts, for the pages it does not list.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startApp, type TestApp } from '../helpers/app.ts';
import { CHROMIUM, hasChromium, launchBrowser } from '../helpers/browser.ts';
import { testDatabases } from '../helpers/databases.ts';
import { accessibilityProblems, checkAxeCanary, hasJava, nuProblems, runNu } from '../helpers/validity.ts';
import { createArticle } from '../../src/newsroom/articles/commands.ts';
import { findDeskBySlug } from '../../src/newsroom/desks/repository.ts';

const noBrowser = hasChromium() ? false : `no Chromium at ${CHROMIUM}`;
const noJava = hasJava() ? false : 'no java on PATH for the Nu HTML checker';

const PAGES = [
  { name: 'search form', path: '/search', status: 200 },
  { name: 'results with more pages', path: '/search?q=iran', status: 200 },
  { name: 'results, page 2, filtered', path: '/search?q=round-up&desk=sports&page=2', status: 200 },
  { name: 'no results', path: '/search?q=zebracorn', status: 200 },
  { name: 'words too common', path: '/search?q=AND+OR+NOT', status: 200 },
  { name: 'filters to fix', path: '/search?q=iran&desk=nowhere&from=2026-02-30&author=nobody', status: 400 },
];

let t: TestApp;
let base: string;
const served = new Map<string, { status: number; html: string }>();

before(async () => {
  t = await startApp(testDatabases()[0]!, { demo: true });
  const sports = (await findDeskBySlug(t.db.kysely, 'sports'))!;
  for (let i = 1; i <= 45; i++) {
    await createArticle(
      t.db.kysely,
      { headline: `League round-up, week ${i}`, deskId: sports.id, bodyHtml: `<p>Round-up number ${i}: <em>late</em> goals.</p>` },
      { status: 'published', publishedAt: new Date(Date.now() - (i + 10) * 3_600_000) },
    );
  }
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  for (const p of PAGES) {
    const res = await fetch(base + p.path);
    served.set(p.name, { status: res.status, html: await res.text() });
  }
});
after(() => t.close());

test('each state answers with its status', () => {
  for (const p of PAGES) assert.equal(served.get(p.name)?.status, p.status, p.name);
  assert.match(served.get('results with more pages')!.html, /<mark>/);
  assert.match(served.get('results, page 2, filtered')!.html, /rel="prev"/);
});

test('valid HTML for the W3C Nu HTML checker', { skip: noJava }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-search-nu-'));
  try {
    const problems = nuProblems(await runNu(PAGES.map((p) => ({ name: p.name, html: served.get(p.name)!.html })), dir));
    assert.deepEqual(problems, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no axe-core violations, desktop and phone, light and dark; reflow at 320 px', { skip: noBrowser }, async () => {
  const { browser, close } = await launchBrowser();
  const failures: string[] = [];
  try {
    const context = await browser.newContext({ bypassCSP: true });
    await checkAxeCanary(context);
    for (const p of PAGES) {
      const page = await context.newPage();
      await page.goto(base + p.path, { waitUntil: 'load' });
      failures.push(...(await accessibilityProblems(page, `${p.name} (${p.path})`)));
      await page.close();
    }
    await context.close();
  } finally {
    await close();
  }
  assert.deepEqual(failures, []);
});
