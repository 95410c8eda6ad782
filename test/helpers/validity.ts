// The checks every page of ours passes: valid HTML for the W3C Nu checker (one JVM for many
// pages) and no axe-core violations (WCAG 2.0/2.1/2.2 A and AA and axe's best practices) at a
// desktop and a phone width, light and dark, with reflow at 320 CSS pixels. Shared by the
// public site's, the search page's and the newsroom's validity tests.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import axe from 'axe-core';
import type { AxeResults, RunOptions } from 'axe-core';
import type { BrowserContext, Page } from 'playwright-core';

const VNU_JAR = String(createRequire(import.meta.url)('vnu-jar'));
export const hasJava = () => spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;

/**
 * Nu checker messages we accept. preact-render-to-string writes void elements as `<meta … />`;
 * the checker notes that the slash does nothing (an "info", not a warning), which is harmless
 * with our always-quoted attributes.
 */
const ACCEPTED_NU_INFO = [/^Trailing slash on void elements has no effect/];

/** Every WCAG 2.0/2.1/2.2 A and AA rule and axe's best practices (landmarks, heading order …). */
export const ALL_RULES: RunOptions = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  resultTypes: ['violations'],
};
/**
 * The DOM is the same at every width and in both colour schemes (the server renders one page;
 * only CSS differs), so the other modes run just the rules whose outcome depends on layout
 * and colour.
 */
export const VISUAL_RULES: RunOptions = {
  runOnly: { type: 'rule', values: ['color-contrast', 'link-in-text-block', 'target-size', 'scrollable-region-focusable', 'meta-viewport', 'css-orientation-lock'] },
  resultTypes: ['violations'],
};

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
/** The first mode runs every rule; each next one changes width or colour scheme in place. */
export const MODES: Array<{ name: string; viewport: { width: number; height: number }; colorScheme: 'light' | 'dark'; axe: RunOptions }> = [
  { name: 'desktop', viewport: DESKTOP, colorScheme: 'light', axe: ALL_RULES },
  { name: 'desktop dark', viewport: DESKTOP, colorScheme: 'dark', axe: VISUAL_RULES },
  { name: 'phone dark', viewport: PHONE, colorScheme: 'dark', axe: VISUAL_RULES },
  { name: 'phone', viewport: PHONE, colorScheme: 'light', axe: VISUAL_RULES },
];

/** A page with known faults, checked beside the real ones: proof that the checkers do report. */
export const CANARY = 'canary';
export const BROKEN_HTML = '<!doctype html><html lang="en"><head><title>canary</title></head><body><main><p id="x">a</p><p id="x">b</p><img src="data:,"></main></body></html>';

export interface NuMessage {
  page: string;
  type: string;
  subType?: string;
  message: string;
  extract?: string;
  lastLine?: number;
  lastColumn?: number;
}

/** One JVM checks every page at once (a JVM start costs seconds); the canary is added. */
export async function runNu(documents: Array<{ name: string; html: string }>, workDir: string): Promise<NuMessage[]> {
  const files = [...documents, { name: CANARY, html: BROKEN_HTML }].map((d, i) => {
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

/**
 * What the Nu checker found wrong, as lines: errors, warnings and notes we have not accepted.
 * Throws if the canary's duplicate id went unreported (the checker did not run properly).
 */
export function nuProblems(all: NuMessage[], onAccepted: (message: string) => void = () => undefined): string[] {
  if (!all.some((m) => m.page === CANARY && m.type === 'error' && /Duplicate ID/.test(m.message))) {
    throw new Error(`the Nu checker did not report a known fault (got ${JSON.stringify(all.filter((m) => m.page === CANARY))})`);
  }
  const describe = (m: NuMessage) => `${m.page}: ${m.subType ?? m.type}: ${m.message} (line ${m.lastLine ?? '?'}, column ${m.lastColumn ?? '?'}: ${(m.extract ?? '').replace(/\s+/g, ' ').slice(0, 120)})`;
  const messages = all.filter((m) => m.page !== CANARY);
  const accepted = messages.filter((m) => m.type === 'info' && m.subType !== 'warning' && ACCEPTED_NU_INFO.some((re) => re.test(m.message)));
  for (const message of new Set(accepted.map((m) => m.message))) onAccepted(message);
  return messages.filter((m) => !accepted.includes(m)).map(describe);
}

const runAxe = (page: Page, options: RunOptions) =>
  page.evaluate((o) => (window as unknown as { axe: { run(c: Document, o: unknown): Promise<AxeResults> } }).axe.run(document, o), options);

/** Throws unless axe, injected into a page with known faults, reports them. */
export async function checkAxeCanary(context: BrowserContext): Promise<void> {
  const canary = await context.newPage();
  await canary.setContent(BROKEN_HTML);
  await canary.addScriptTag({ content: axe.source });
  const found = (await runAxe(canary, ALL_RULES)).violations.map((v) => v.id);
  await canary.close();
  if (!found.includes('image-alt')) throw new Error(`axe did not report a known fault (got ${found.join(', ')})`);
}

/**
 * axe in every mode, the dark scheme taking effect, and reflow at 320 px, on the page as it is
 * now (the context must bypass CSP: axe is injected as an inline script). Returns failures as
 * lines, so one run reports every page.
 */
export async function accessibilityProblems(page: Page, label: string, options: { ignoreOverflow?: string } = {}): Promise<string[]> {
  const failures: string[] = [];
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
      failures.push(`${label} [${mode.name}] ${v.id} (${v.impact}): ${v.help}\n${nodes}${more}`);
    }
  }
  if (background.get('dark') === background.get('light')) failures.push(`${label}: the dark colour scheme does not apply`);
  // WCAG 1.4.10 Reflow: at 320 CSS pixels (1280 at 400 % zoom) nothing scrolls sideways.
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate((ignore) => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest(`.visually-hidden, .trap, .skip-link${ignore ? `, ${ignore}` : ''}`))
      .filter((el) => {
        // Inside a box that scrolls or clips on its own (a wide table, the phone's row of desks), not the page.
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return false;
        return true;
      })
      .slice(0, 3)
      .map((el) => el.outerHTML.slice(0, 120));
  }, options.ignoreOverflow ?? '');
  if (overflow.length > 0) failures.push(`${label} [320 px] reflow: content wider than the screen\n      ${overflow.join('\n      ')}`);
  return failures;
}
