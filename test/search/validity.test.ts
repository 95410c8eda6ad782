// The search page in each of its states is valid HTML (W3C Nu HTML checker) and has no axe-core
// violations (WCAG 2.x A/AA and best practices) at desktop and phone widths, light and dark, and
// reflows at 320 px. The same checks as test/e2e/validity.test.ts, for the pages it does not list.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import axe from 'axe-core';
import type { AxeResults, RunOptions } from 'axe-core';
import { startApp, type TestApp } from '../helpers/app.ts';
import { CHROMIUM, hasChromium, launchBrowser } from '../helpers/browser.ts';
import { testDatabases } from '../helpers/databases.ts';
import { createArticle } from '../../src/newsroom/articles/commands.ts';
import { findDeskBySlug } from '../../src/newsroom/desks/repository.ts';

const VNU_JAR = String(createRequire(import.meta.url)('vnu-jar'));
const hasJava = spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
const noBrowser = hasChromium() ? false : `no Chromium at ${CHROMIUM}`;
const noJava = hasJava ? false : 'no java on PATH for the Nu HTML checker';

const PAGES = [
  { name: 'search form', path: '/search', status: 200 },
  { name: 'results with more pages', path: '/search?q=iran', status: 200 },
  { name: 'results, page 2, filtered', path: '/search?q=round-up&desk=sports&page=2', status: 200 },
  { name: 'no results', path: '/search?q=zebracorn', status: 200 },
  { name: 'words too common', path: '/search?q=AND+OR+NOT', status: 200 },
  { name: 'filters to fix', path: '/search?q=iran&desk=nowhere&from=2026-02-30&author=nobody', status: 400 },
];

const ALL_RULES: RunOptions = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  resultTypes: ['violations'],
};
const VISUAL_RULES: RunOptions = {
  runOnly: { type: 'rule', values: ['color-contrast', 'link-in-text-block', 'target-size', 'scrollable-region-focusable'] },
  resultTypes: ['violations'],
};

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

test('valid HTML for the W3C Nu HTML checker', { skip: noJava }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-search-nu-'));
  try {
    const files = PAGES.map((p, i) => {
      const file = join(dir, `${i}.html`);
      writeFileSync(file, served.get(p.name)!.html);
      return file;
    });
    const run = spawnSync('java', ['-Xss8m', '-jar', VNU_JAR, '--format', 'json', '--stdout', ...files], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    const { messages } = JSON.parse(run.stdout) as { messages: Array<{ type: string; message: string; url?: string; extract?: string }> };
    const problems = messages.filter((m) => !(m.type === 'info' && /^Trailing slash on void elements/.test(m.message)));
    assert.deepEqual(problems.map((m) => `${m.url?.split('/').pop()} ${m.type}: ${m.message} ${m.extract ?? ''}`), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no axe-core violations, desktop and phone, light and dark; reflow at 320 px', { skip: noBrowser }, async () => {
  const { browser, close } = await launchBrowser();
  const failures: string[] = [];
  try {
    const context = await browser.newContext({ bypassCSP: true });
    for (const p of PAGES) {
      const page = await context.newPage();
      await page.goto(base + p.path, { waitUntil: 'load' });
      await page.addScriptTag({ content: axe.source });
      const modes = [
        { width: 1280, scheme: 'light', rules: ALL_RULES },
        { width: 1280, scheme: 'dark', rules: VISUAL_RULES },
        { width: 390, scheme: 'light', rules: VISUAL_RULES },
        { width: 390, scheme: 'dark', rules: VISUAL_RULES },
      ] as const;
      for (const mode of modes) {
        await page.setViewportSize({ width: mode.width, height: 800 });
        await page.emulateMedia({ colorScheme: mode.scheme });
        const results = await page.evaluate(
          (o) => (window as unknown as { axe: { run(c: Document, o: unknown): Promise<AxeResults> } }).axe.run(document, o),
          mode.rules,
        );
        for (const v of results.violations) failures.push(`${p.name} [${mode.width} ${mode.scheme}] ${v.id}: ${v.help} ${v.nodes.map((n) => n.html.slice(0, 120)).join(' | ')}`);
      }
      await page.setViewportSize({ width: 320, height: 640 });
      const overflow = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        return [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest('.visually-hidden, .skip-link'))
          .filter((el) => {
            for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return false;
            return true;
          })
          .map((el) => el.outerHTML.slice(0, 120));
      });
      if (overflow.length > 0) failures.push(`${p.name} [320 px] wider than the screen: ${overflow.slice(0, 3).join(' | ')}`);
      await page.close();
    }
    await context.close();
  } finally {
    await close();
  }
  assert.deepEqual(failures, []);
});
