// Lighthouse 12.2.3 (a pinned devDependency: later releases need Node 22) on the article page,
// mobile form factor with its default simulated throttling, in Debian's chromium: never a
// downloaded browser.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from './fail.ts';
import { REPO } from './paths.ts';

export interface LighthouseFigures {
  performance: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  /** Audits that scored below 1 in any category, for the reader who must fix them. */
  failing: string[];
  version: string;
  command: string;
}

const BIN = join(REPO, 'node_modules', '.bin', 'lighthouse');
const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const CHROME_FLAGS = '--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync';

interface Report {
  lighthouseVersion: string;
  runtimeError?: { message: string };
  categories: Record<string, { score: number | null; auditRefs: Array<{ id: string; weight: number }> }>;
  audits: Record<string, { score: number | null; scoreDisplayMode: string; title: string }>;
}

export function lighthouse(url: string, outFile: string): LighthouseFigures {
  if (!existsSync(BIN)) fail('lighthouse is not installed; run npm ci (it is a devDependency), or pass --skip-lighthouse');
  if (!existsSync(CHROMIUM)) fail(`no chromium at ${CHROMIUM}; apt-get install -y chromium, or pass --skip-lighthouse`);
  const args = [
    url,
    '--form-factor=mobile',
    '--only-categories=performance,accessibility,best-practices,seo',
    '--output=json',
    `--output-path=${outFile}`,
    `--chrome-flags=${CHROME_FLAGS}`,
    '--quiet',
  ];
  rmSync(outFile, { force: true });
  const result = spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, CHROME_PATH: CHROMIUM }, timeout: 180_000 });
  if (result.status !== 0 || !existsSync(outFile)) fail(`lighthouse failed: ${(result.stderr || result.stdout || 'timed out').trim().split('\n').at(-1)}`);
  const report = JSON.parse(readFileSync(outFile, 'utf8')) as Report;
  if (report.runtimeError) fail(`lighthouse: ${report.runtimeError.message}`);
  const score = (id: string) => Math.round((report.categories[id]?.score ?? 0) * 100);
  const failing = new Set<string>();
  for (const category of Object.values(report.categories)) {
    for (const ref of category.auditRefs) {
      const audit = report.audits[ref.id];
      if (audit && ref.weight > 0 && audit.score !== null && audit.score < 1) failing.add(`${ref.id} (${audit.score})`);
    }
  }
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    seo: score('seo'),
    failing: [...failing],
    version: report.lighthouseVersion,
    command: `CHROME_PATH=${CHROMIUM} lighthouse ${args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}`,
  };
}
