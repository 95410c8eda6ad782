// Pages that show library images (a <picture> lead image on the front page and the story, a
// body figure with srcset) are valid HTML for the W3C Nu checker and pass axe-core, and the
// browser really loads a modern format from the srcset. Skips without java / chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import axe from 'axe-core';
import type { AxeResults } from 'axe-core';
import { startApp, type TestApp } from '../helpers/app.ts';
import { hasChromium, launchBrowser, CHROMIUM } from '../helpers/browser.ts';
import { testDatabases } from '../helpers/databases.ts';
import { makeUser } from '../auth/factories.ts';
import { createArticle } from '../../src/newsroom/articles/commands.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { uploadImage } from '../../src/media/commands.ts';
import { bodyFigureHtml, mediaUrl } from '../../src/media/picture.ts';
import { DiskStorage } from '../../src/media/storage.ts';
import { photoJpeg, transparentPng } from './factories.ts';

const VNU_JAR = String(createRequire(import.meta.url)('vnu-jar'));
const noJava = spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0 ? false : 'no java on PATH: the Nu HTML checker needs Java';
const noBrowser = hasChromium() ? false : `no Chromium at ${CHROMIUM}`;
/** As in test/e2e/validity.test.ts: preact writes `<img … />`, which the checker notes as harmless. */
const ACCEPTED_NU_INFO = [/^Trailing slash on void elements has no effect/];

let t: TestApp;
let mediaDir: string;
let workDir: string;
const pages: Record<string, string> = { home: '/', story: '/world/convoy-at-the-border' };

before(async () => {
  mediaDir = mkdtempSync(join(tmpdir(), 'dateline-media-'));
  workDir = mkdtempSync(join(tmpdir(), 'dateline-media-nu-'));
  t = await startApp(testDatabases()[0]!, { env: { MEDIA_DIR: mediaDir } });
  const db = t.db.kysely;
  const user = await makeUser(db, { email: 'photo@example.com', role: 'contributor', password: null });
  const storage = new DiskStorage(mediaDir);
  const lead = await uploadImage(db, storage, user, { bytes: await photoJpeg(1600, 900), filename: 'convoy.jpg', alt: 'White lorries queue on a desert road', caption: 'The convoy at dawn.', credit: 'IFP photo' }, { maxBytes: 1e7 });
  const chart = await uploadImage(db, storage, user, { bytes: await transparentPng(800, 400), filename: 'chart.png', alt: 'Chart: aid deliveries doubled since June', caption: 'Deliveries by month.', credit: 'IFP graphics' }, { maxBytes: 1e7 });
  const desk = await createDesk(db, { name: 'World' });
  await createArticle(
    db,
    {
      slug: 'convoy-at-the-border',
      headline: 'Aid convoy reaches the border',
      deskId: desk.id,
      leadImage: { url: mediaUrl(lead), alt: lead.alt, caption: lead.caption, credit: lead.credit },
      bodyHtml: `<p>The convoy arrived at dawn.</p>${bodyFigureHtml(chart)}<p>More are waiting.</p>`,
    },
    { status: 'published', publishedAt: new Date(Date.now() - 60_000) },
  );
});

after(async () => {
  await t?.close();
  rmSync(mediaDir, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
});

test('the pages show library images as <picture> and body figures with srcset', async () => {
  const home = (await t.app.inject({ method: 'GET', url: pages.home! })).body;
  assert.match(home, /<picture><source type="image\/avif"/);
  const story = (await t.app.inject({ method: 'GET', url: pages.story! })).body;
  assert.match(story, /<figure class="lead-figure"><picture><source type="image\/avif"/);
  assert.match(story, /<figure class="image"><img src="\/media\/[0-9a-f]{32}\/800x400\.png" alt="Chart: aid deliveries doubled since June" width="800" height="400" srcset="[^"]+" sizes="[^"]+" loading="lazy" decoding="async"/);
});

test('valid HTML for the W3C Nu checker', { skip: noJava }, async () => {
  const files: string[] = [];
  for (const [name, path] of Object.entries(pages)) {
    const res = await t.app.inject({ method: 'GET', url: path });
    assert.equal(res.statusCode, 200, path);
    const file = join(workDir, `${name}.html`);
    writeFileSync(file, res.body);
    files.push(file);
  }
  const child = spawn('java', ['-Xss8m', '-jar', VNU_JAR, '--format', 'json', '--stdout', ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => resolve());
  });
  const messages = (JSON.parse(out) as { messages: Array<{ type: string; subType?: string; message: string; url?: string; extract?: string }> }).messages;
  const problems = messages.filter((m) => !(m.type === 'info' && m.subType !== 'warning' && ACCEPTED_NU_INFO.some((re) => re.test(m.message))));
  assert.deepEqual(problems.map((m) => `${m.url?.split('/').pop()}: ${m.subType ?? m.type}: ${m.message} ${m.extract ?? ''}`), []);
});

test('no axe-core violations, and the browser picks a modern format at the right width', { skip: noBrowser }, async () => {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const { browser, close } = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(base + pages.story!, { waitUntil: 'load' });
    const chosen = await page.evaluate(() => [...document.querySelectorAll('img')].map((img) => ({ src: img.currentSrc, complete: img.complete, natural: img.naturalWidth })));
    const lead = chosen.find((c) => c.src.includes('/media/') && !c.src.endsWith('.png'));
    assert.ok(lead, JSON.stringify(chosen));
    assert.match(lead.src, /\.(avif|webp)$/, `a modern format was chosen: ${lead.src}`);
    // 390 CSS px at 2x wants ~716 device px: the 960 px variant, not the 1600 px one.
    assert.match(lead.src, /\/960x540\.(avif|webp)$/, lead.src);
    // naturalWidth is in CSS pixels: the 960 px file at its srcset density fills the 358 px slot.
    assert.ok(lead.complete && lead.natural === 390 - 32, `and it loaded: ${JSON.stringify(chosen)}`);
    await page.addScriptTag({ content: axe.source });
    const results = await page.evaluate(
      () => (window as unknown as { axe: { run(c: Document, o: unknown): Promise<AxeResults> } }).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }, resultTypes: ['violations'] }),
    );
    assert.deepEqual(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 100)).join(' | ')}`), []);
    await context.close();
  } finally {
    await close();
  }
});
