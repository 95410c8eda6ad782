// Screenshots of the newsroom UI for docs/: `npm run screenshots:newsroom`. Starts its own app
// on a temporary SQLite file with the demo newsroom, signs in as a desk editor, uploads an
// image, writes a story and photographs the dashboard, the editor, the review view and the media
// library at desktop and phone widths.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { prepareFirstRun } from '../src/newsroom/first-run.ts';
import { buildApp } from '../src/server.ts';
import { hashPassword } from '../src/newsroom/setup.ts';
import { findPersonBySlug } from '../src/newsroom/people/repository.ts';
import { launchBrowser } from '../test/helpers/browser.ts';

const dir = mkdtempSync(join(tmpdir(), 'dateline-shots-'));
const url = `sqlite:${join(dir, 'shots.db')}`;
const db = openDatabase(url);
await migrateToLatest(db);
await db.kysely.transaction().execute((trx) => prepareFirstRun(trx, { demo: true, ownerEmail: 'owner@example.com' }));
const nadia = await findPersonBySlug(db.kysely, 'nadia-farahani');
await db.kysely
  .insertInto('users')
  .values({ email: 'nadia@example.com', role: 'desk_editor', person_id: nadia?.id ?? null, password_hash: await hashPassword('screenshots only'), created_at: new Date().toISOString() })
  .execute();
const config = loadConfig({ DATABASE_URL: url, MEDIA_DIR: join(dir, 'media'), PORT: '0' });
const app = await buildApp({ config, db });
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

const { browser, close } = await launchBrowser();
mkdirSync('docs', { recursive: true });
try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('input[name="email"]', 'nadia@example.com');
  await page.fill('input[name="password"]', 'screenshots only');
  await page.click('button[type="submit"]');
  await page.waitForURL(`${base}/admin`);

  // A picture for the library and the story.
  const photo = await sharp({ create: { width: 1600, height: 1000, channels: 3, background: { r: 40, g: 90, b: 140 } } })
    .composite([{ input: Buffer.from('<svg width="1600" height="1000"><circle cx="800" cy="500" r="320" fill="#e8c547"/></svg>'), top: 0, left: 0 }])
    .jpeg()
    .toBuffer();
  await page.goto(`${base}/admin/media`);
  await page.setInputFiles('#file', { name: 'sunrise.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.fill('#alt', 'The sun rises over the Alborz mountains');
  await page.fill('#caption', 'Dawn over Tehran on Friday.');
  await page.fill('#credit', 'IFP photo');
  await page.click('form[enctype] button[type="submit"]');
  await page.waitForURL(/uploaded=/);
  const imageUrl = await page.inputValue('.media-grid input[readonly]');

  await page.goto(`${base}/admin/stories/new`);
  await page.fill('#kicker', 'Analysis');
  await page.fill('#headline', 'Tehran weighs its reply to the European proposal');
  await page.fill('#dek', 'Officials say the answer will come within days.');
  await page.selectOption('#deskId', { label: 'Politics' });
  await page.fill('#tags', 'Iran, Europe, JCPOA');
  // The lead image, chosen from the library as a writer would.
  await page.locator('summary', { hasText: 'Lead image' }).click();
  await page.getByRole('button', { name: 'Choose from the library…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'The sun rises over the Alborz mountains' }).click();
  await page.getByRole('dialog').getByText(/^Chosen: /).waitFor();
  await page.getByRole('button', { name: 'Use this image' }).click();
  if ((await page.inputValue('#leadImageUrl')) !== imageUrl) throw new Error('the lead image was not chosen from the library');
  await page.evaluate(() => {
    const area = document.querySelector<HTMLTextAreaElement>('#bodyHtml');
    if (area) area.value = '<p>Iran is studying the proposal <strong>carefully</strong>, officials said.</p><blockquote><p>“We will answer in our own time,” a spokesman said.</p></blockquote>';
  });
  await page.click('#story-form button[type="submit"]:not([formaction])');
  await page.waitForURL(/\/admin\/stories\/\d+/);
  const storyUrl = page.url().replace(/\?.*$/, '');
  await page.click('form[action$="/submit"] button');
  await page.waitForLoadState('networkidle');

  const shots: Array<[string, string]> = [
    ['newsroom-dashboard', '/admin'],
    ['newsroom-editor', storyUrl.replace(base, '')],
    ['newsroom-review', `${storyUrl.replace(base, '')}/history`],
    ['newsroom-media', '/admin/media'],
  ];
  for (const [name, path] of shots) {
    await page.goto(base + path, { waitUntil: 'networkidle' });
    await page.screenshot({ path: `docs/${name}-desktop.png`, fullPage: true });
    console.log(`docs/${name}-desktop.png`);
  }
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await context.storageState() });
  const phonePage = await phone.newPage();
  for (const [name, path] of shots) {
    await phonePage.goto(base + path, { waitUntil: 'networkidle' });
    await phonePage.screenshot({ path: `docs/${name}-phone.png`, fullPage: false });
    console.log(`docs/${name}-phone.png`);
  }
} finally {
  await close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}
