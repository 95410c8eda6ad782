// Screenshots of the public site for docs/: `npm run screenshots` (needs a server on BASE_URL,
// default http://127.0.0.1:3000, with the demo newsroom).
import { mkdirSync } from 'node:fs';
import { launchBrowser } from '../test/helpers/browser.ts';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const shots = [
  { name: 'article-desktop', path: '/politics/no-talks-to-be-held-with-us-at-any-level-iran-leader', width: 1366, height: 900, full: true },
  { name: 'article-phone', path: '/politics/no-talks-to-be-held-with-us-at-any-level-iran-leader', width: 390, height: 844, full: true },
  { name: 'home-desktop', path: '/', width: 1366, height: 900, full: true },
  { name: 'staff-desktop', path: '/staff', width: 1366, height: 900, full: true },
  { name: 'article-dark-phone', path: '/politics/no-talks-to-be-held-with-us-at-any-level-iran-leader', width: 390, height: 844, full: false, dark: true },
];

const { browser, close } = await launchBrowser();
mkdirSync('docs', { recursive: true });
for (const shot of shots) {
  const page = await browser.newPage({ viewport: { width: shot.width, height: shot.height }, deviceScaleFactor: 1, colorScheme: shot.dark ? 'dark' : 'light' });
  await page.goto(base + shot.path, { waitUntil: 'networkidle' });
  await page.screenshot({ path: `docs/${shot.name}.png`, fullPage: shot.full });
  await page.close();
  console.log(`docs/${shot.name}.png`);
}
await close();
