// Sitemaps and robots.txt through the real app on both databases; every sitemap is validated
// with xmllint against the sitemaps.org and Google News XSDs in ../shared/standards/sitemaps.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';
import { createUser } from '../../src/newsroom/users.ts';
import { createArticle } from '../../src/newsroom/articles/commands.ts';
import { createStory, transition } from '../../src/newsroom/workflow/commands.ts';
import { writeSetting } from '../../src/newsroom/settings/repository.ts';
import type { Actor } from '../../src/newsroom/workflow/policy.ts';

const SITE = 'http://127.0.0.1:3000';
const XSD_DIR = fileURLToPath(new URL('../../../shared/standards/sitemaps/', import.meta.url));
const hasXmllint = spawnSync('xmllint', ['--version'], { stdio: 'ignore' }).status === 0;
const noXsd = existsSync(join(XSD_DIR, 'sitemap.xsd')) ? false : `no XSDs at ${XSD_DIR}: shared/ must sit beside the repository`;
const skipSchema = hasXmllint ? noXsd : 'xmllint is missing: install Debian\'s libxml2-utils to validate sitemaps against the XSDs';

const parser = new XMLParser({ isArray: (name) => name === 'url' || name === 'sitemap' });
type Urlset = { urlset: { url: Array<{ loc: string; lastmod?: string; 'news:news'?: NewsEntry }> } };
type NewsEntry = { 'news:publication': { 'news:name': string; 'news:language': string }; 'news:publication_date': string; 'news:title': string };
type Index = { sitemapindex: { sitemap: Array<{ loc: string; lastmod?: string }> } };

let schemaDir: string;
let urlsetSchema: string;
function schemas(): void {
  schemaDir = mkdtempSync(join(tmpdir(), 'dateline-xsd-'));
  urlsetSchema = join(schemaDir, 'urlset.xsd');
  // One schema for <urlset> with its extensions: the core's <xsd:any processContents="strict">
  // needs the news and image schemas loaded beside it.
  const imports = [
    ['http://www.sitemaps.org/schemas/sitemap/0.9', 'sitemap.xsd'],
    ['http://www.google.com/schemas/sitemap-news/0.9', 'sitemap-news.xsd'],
    ['http://www.google.com/schemas/sitemap-image/1.1', 'sitemap-image.xsd'],
  ].map(([ns, file]) => `<xsd:import namespace="${ns}" schemaLocation="${new URL(file!, `file://${XSD_DIR}`).href}"/>`);
  writeFileSync(urlsetSchema, `<?xml version="1.0"?>\n<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">${imports.join('')}</xsd:schema>\n`);
}

function assertValid(body: string, kind: 'urlset' | 'index', label: string): void {
  if (skipSchema) return;
  const file = join(schemaDir, `doc-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, body);
  const schema = kind === 'index' ? join(XSD_DIR, 'siteindex.xsd') : urlsetSchema;
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, file], { encoding: 'utf8' });
  assert.equal(run.status, 0, `${label} is not valid per the XSD:\n${run.stderr}`);
  rmSync(file);
}

eachDatabase('sitemaps', (kind) => {
  let t: TestApp;
  let boss: Actor;
  let deskId: number;
  const hidden: string[] = [];
  const now = new Date();
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 10, 12));
  /** The month of an instant in the newsroom's time zone (the app runs in Asia/Tehran here). */
  const ym = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tehran', year: 'numeric', month: '2-digit' }).format(d);
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  const sitemap = async (url: string): Promise<Urlset['urlset']['url']> => {
    const res = await get(url);
    assert.equal(res.statusCode, 200, url);
    assert.equal(res.headers['content-type'], 'application/xml; charset=utf-8', url);
    assertValid(res.body, 'urlset', url);
    return (parser.parse(res.body) as Urlset).urlset.url;
  };
  const index = async (): Promise<Index['sitemapindex']['sitemap']> => {
    const res = await get('/sitemap.xml');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/xml; charset=utf-8');
    assertValid(res.body, 'index', '/sitemap.xml');
    return (parser.parse(res.body) as Index).sitemapindex.sitemap;
  };
  /** Every URL in every sitemap the index lists. */
  const everyUrl = async (): Promise<string[]> => {
    const out: string[] = [];
    for (const s of await index()) out.push(...(await sitemap(s.loc.slice(SITE.length))).map((u) => u.loc));
    return out;
  };

  before(async () => {
    schemas();
    t = await startApp(kind, { env: { TZ: 'Asia/Tehran' } });
    const db = t.db.kysely;
    const desk = await createDesk(db, { name: 'Economy' });
    deskId = desk.id;
    await createDesk(db, { name: 'Culture' });
    const person = await createPerson(db, { name: 'Reza Reporter' });
    await createPerson(db, { name: 'Quiet Writer' });
    const user = await createUser(db, { email: 'boss@example.com', role: 'managing_editor', personId: person.id });
    boss = { userId: user.id, role: 'managing_editor', personId: person.id };
    const make = async (label: string, steps: Array<Parameters<typeof transition>[3]>, options: Parameters<typeof transition>[4] = {}) => {
      const slug = `hidden-${label}`;
      const { id } = await createStory(db, boss, { headline: `Hidden ${label} story`, slug, deskId, bodyHtml: '<p>No.</p>', tags: [`Secret ${label}`] });
      for (const step of steps) await transition(db, boss, id, step, options);
      hidden.push(slug);
    };
    await make('draft', []);
    await make('submitted', ['submit']);
    await make('approved', ['submit', 'approve']);
    await make('scheduled', ['submit', 'schedule'], { at: new Date(Date.now() + 3_600_000) });
    await make('embargoed', ['submit', 'publish'], { embargoUntil: new Date(Date.now() + 3_600_000) });
    await make('unpublished', ['submit', 'publish', 'unpublish']);
    // Public: one story today (headline with characters XML must escape), one last month.
    const { id } = await createStory(db, boss, { headline: 'Rial & bazaar <prices> "rise" again', slug: 'rial-bazaar-prices-rise', deskId, bodyHtml: '<p>Up.</p>', tags: ['Bazaar'] });
    await transition(db, boss, id, 'submit');
    await transition(db, boss, id, 'publish');
    await createArticle(db, { headline: 'Oil exports last month', slug: 'oil-exports-last-month', deskId, bodyHtml: '<p>Oil.</p>', bylineIds: [person.id] }, { status: 'published', publishedAt: lastMonth, updatedAt: new Date(lastMonth.getTime() + 86_400_000) });
  });
  after(async () => {
    await t.close();
    rmSync(schemaDir, { recursive: true, force: true });
  });

  test('robots.txt points at the sitemaps and keeps crawlers out of the newsroom', async () => {
    const res = await get('/robots.txt');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    const lines = res.body.split('\n');
    assert.equal(lines[0], 'User-agent: *');
    for (const path of ['/admin', '/account', '/login', '/setup', '/api/newsroom']) assert.ok(lines.includes(`Disallow: ${path}`), path);
    assert.ok(lines.includes(`Sitemap: ${SITE}/sitemap.xml`));
    assert.ok(lines.includes(`Sitemap: ${SITE}/sitemaps/news.xml`));
  });

  test('the index lists the pages, news and one sitemap per month with stories, each with its lastmod', { skip: skipSchema }, async () => {
    const sitemaps = await index();
    const locs = sitemaps.map((s) => s.loc);
    assert.deepEqual(locs, [`${SITE}/sitemaps/pages.xml`, `${SITE}/sitemaps/news.xml`, `${SITE}/sitemaps/${ym(now)}.xml`, `${SITE}/sitemaps/${ym(lastMonth)}.xml`]);
    const old = sitemaps.find((s) => s.loc.endsWith(`${ym(lastMonth)}.xml`))!;
    assert.equal(old.lastmod, new Date(lastMonth.getTime() + 86_400_000).toISOString(), 'newest updated or published time in the month');
  });

  test('monthly sitemaps hold that month\'s public stories; other months and nonsense are 404', { skip: skipSchema }, async () => {
    const current = await sitemap(`/sitemaps/${ym(now)}.xml`);
    assert.deepEqual(current.map((u) => u.loc), [`${SITE}/economy/rial-bazaar-prices-rise`]);
    const old = await sitemap(`/sitemaps/${ym(lastMonth)}.xml`);
    assert.deepEqual(old.map((u) => [u.loc, u.lastmod]), [[`${SITE}/economy/oil-exports-last-month`, new Date(lastMonth.getTime() + 86_400_000).toISOString()]]);
    const future = new Date(Date.UTC(now.getUTCFullYear() + 1, 0, 1));
    for (const url of [`/sitemaps/${ym(future)}.xml`, '/sitemaps/1999-01.xml', '/sitemaps/2026-13.xml', '/sitemaps/whatever.xml', '/sitemaps/2026-1.xml']) {
      assert.equal((await get(url)).statusCode, 404, url);
    }
  });

  test('the pages sitemap: home, desks, staff, contact, archive, corrections, and tags and authors with public stories', { skip: skipSchema }, async () => {
    const locs = (await sitemap('/sitemaps/pages.xml')).map((u) => u.loc);
    for (const path of ['/', '/economy', '/culture', '/staff', '/contact', '/archive', '/corrections', '/tag/bazaar', '/author/reza-reporter']) {
      assert.ok(locs.includes(SITE + path), path);
    }
    assert.ok(!locs.some((l) => l.includes('/tag/secret')), 'a tag only hidden stories carry stays out');
    assert.ok(!locs.includes(`${SITE}/author/quiet-writer`), 'an author with nothing public stays out');
  });

  test('the news sitemap: the last 48 hours only, with publication name and language, date and escaped title', { skip: skipSchema }, async () => {
    await writeSetting(t.db.kysely, 'site_name', 'Tehran Times & Co');
    const urls = await sitemap('/sitemaps/news.xml');
    assert.deepEqual(urls.map((u) => u.loc), [`${SITE}/economy/rial-bazaar-prices-rise`]);
    const news = urls[0]!['news:news']!;
    assert.equal(news['news:publication']['news:name'], 'Tehran Times & Co');
    assert.equal(news['news:publication']['news:language'], 'en');
    assert.equal(news['news:title'], 'Rial & bazaar <prices> "rise" again');
    assert.ok(Math.abs(Date.parse(news['news:publication_date']) - Date.now()) < 600_000);
  });

  test('no draft, submitted, approved, scheduled, embargoed or unpublished story is in any sitemap', { skip: skipSchema }, async () => {
    const all = await everyUrl();
    for (const slug of hidden) assert.ok(!all.some((u) => u.endsWith(`/${slug}`)), slug);
    for (const url of ['/sitemap.xml', '/sitemaps/pages.xml', '/sitemaps/news.xml', `/sitemaps/${ym(now)}.xml`]) {
      assert.doesNotMatch((await get(url)).body, /hidden-|Hidden \w+ story|secret/i, url);
    }
  });

  test('a story is in the sitemaps on the next request after it is published', { skip: skipSchema }, async () => {
    const db = t.db.kysely;
    const { id } = await createStory(db, boss, { headline: 'Budget passes parliament', slug: 'budget-passes', deskId, bodyHtml: '<p>Passed.</p>', tags: ['Budget'] });
    await transition(db, boss, id, 'submit');
    assert.ok(!(await everyUrl()).includes(`${SITE}/economy/budget-passes`));
    await transition(db, boss, id, 'publish');
    assert.equal((await sitemap(`/sitemaps/${ym(now)}.xml`))[0]!.loc, `${SITE}/economy/budget-passes`);
    assert.equal((await sitemap('/sitemaps/news.xml'))[0]!.loc, `${SITE}/economy/budget-passes`);
    assert.ok((await sitemap('/sitemaps/pages.xml')).some((u) => u.loc === `${SITE}/tag/budget`));
    await transition(db, boss, id, 'unpublish');
    assert.ok(!(await everyUrl()).includes(`${SITE}/economy/budget-passes`));
  });
});

eachDatabase('sitemaps of a newsroom with nothing published', (kind) => {
  let t: TestApp;
  before(async () => {
    schemas();
    t = await startApp(kind);
    await createDesk(t.db.kysely, { name: 'Politics' });
  });
  after(async () => {
    await t.close();
    rmSync(schemaDir, { recursive: true, force: true });
  });

  test('the index, pages and news sitemaps are still valid (the schema needs at least one <url>)', { skip: skipSchema }, async () => {
    const idx = await t.app.inject({ method: 'GET', url: '/sitemap.xml' });
    assertValid(idx.body, 'index', '/sitemap.xml');
    assert.deepEqual((parser.parse(idx.body) as Index).sitemapindex.sitemap.map((s) => s.loc), [`${SITE}/sitemaps/pages.xml`, `${SITE}/sitemaps/news.xml`]);
    for (const url of ['/sitemaps/pages.xml', '/sitemaps/news.xml']) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assertValid(res.body, 'urlset', url);
    }
  });
});
