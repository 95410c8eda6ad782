import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, unescapeHtml, type TestApp } from '../helpers/app.ts';
import { relativeTime } from '../../src/newsroom/relative-time.ts';
import { createArticle, updateArticleContent } from '../../src/newsroom/articles/commands.ts';
import { findDeskBySlug, updateDesk } from '../../src/newsroom/desks/repository.ts';
import { findPersonBySlug } from '../../src/newsroom/people/repository.ts';

const reference = JSON.parse(readFileSync(new URL('../../../shared/reference/reference-page.json', import.meta.url), 'utf8')) as {
  article: { slug: string; title: string; kicker: string; bodyHtml: string };
  byline: { name: string; bio: string };
  recentPosts: Array<{ title: string; excerpt: string; ageMinutes: number }>;
};
const REFERENCE_PATH = `/politics/${reference.article.slug}`;

eachDatabase('public site', (kind) => {
  let t: TestApp;
  let seededAt: Date;
  before(async () => {
    seededAt = new Date();
    t = await startApp(kind, { demo: true, now: seededAt });
  });
  after(() => t.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });

  test('the reference story page has every part of the reference page', async () => {
    const res = await get(REFERENCE_PATH);
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/html; charset=utf-8/);
    const html = res.body;
    const text = unescapeHtml(html);
    assert.match(html, /<p class="kicker">IFP Exclusive<\/p>/);
    assert.ok(text.includes(`<h1>${reference.article.title}</h1>`));
    for (const paragraph of reference.article.bodyHtml.split('\n')) assert.ok(html.includes(paragraph), paragraph);
    assert.match(html, /<a href="\/author\/ifp-editorial-staff" rel="author">IFP Editorial Staff<\/a>/);
    assert.ok(text.includes(reference.byline.bio), 'author box bio');
    assert.match(html, /class="author-box"/);
    assert.match(html, /Recent Posts/);
    for (const tag of ['Iran', 'US', 'JCPOA', 'Europe']) assert.match(html, new RegExp(`rel="tag">${tag}</a>`));
    assert.match(html, /<link rel="canonical" href="http:\/\/127\.0\.0\.1:3000\/politics\/no-talks/);
  });

  test('Recent Posts lists the six reference stories, newest first, with excerpts and true relative times', async () => {
    const html = (await get(REFERENCE_PATH)).body;
    const aside = html.slice(html.indexOf('id="recent-posts-title"'));
    const items = [...aside.matchAll(/<h3><a href="[^"]+">([^<]+)<\/a><\/h3><p>([^<]+)<\/p><p class="meta"><time datetime="([^"]+)"/g)];
    assert.equal(items.length, 6);
    items.forEach((m, i) => {
      const expected = reference.recentPosts[i]!;
      assert.equal(unescapeHtml(m[1]!), expected.title);
      assert.equal(unescapeHtml(m[2]!), expected.excerpt);
      const shown = relativeTime(new Date(m[3]!), seededAt);
      assert.equal(shown, relativeTime(new Date(seededAt.getTime() - expected.ageMinutes * 60_000), seededAt));
    });
  });

  test('every page type answers', async () => {
    for (const [url, needle] of [
      ['/', 'Top stories'],
      ['/politics', 'Politics'],
      ['/world?page=1', 'Record number of aid workers'],
      ['/tag/iran', 'Iran'],
      ['/author/ifp-editorial-staff', reference.byline.bio.slice(0, 40)],
      ['/author/sara-karimi', 'Iranian Consulate in Kazan'],
      ['/staff', 'Nadia Farahani'],
      ['/archive', 'Archive'],
      [`/archive/${seededAt.getUTCFullYear()}`, 'No Talks'],
      [`/archive/${seededAt.getUTCFullYear()}/${String(seededAt.getUTCMonth() + 1).padStart(2, '0')}`, 'No Talks'],
    ] as const) {
      const res = await get(url);
      assert.equal(res.statusCode, 200, url);
      assert.ok(unescapeHtml(res.body).includes(needle), `${url} shows ${needle}`);
    }
  });

  test('the staff page shows every desk with its editors and the collective with its bio', async () => {
    const text = unescapeHtml((await get('/staff')).body);
    for (const desk of ['Politics', 'Economy', 'World', 'Society', 'Sports', 'Culture', 'Science', 'Opinion']) assert.ok(text.includes(`>${desk}</a></h3>`), desk);
    assert.ok(text.includes('mailto:politics@ifpnews.example'));
    assert.ok(text.includes(reference.byline.bio));
    assert.ok(text.includes('/contact?desk=politics'));
  });

  test('a wrong desk in an article URL and a former slug answer 301 to the canonical URL', async () => {
    const wrongDesk = await get(`/world/${reference.article.slug}`);
    assert.equal(wrongDesk.statusCode, 301);
    assert.equal(wrongDesk.headers.location, REFERENCE_PATH);

    const desk = (await findDeskBySlug(t.db.kysely, 'sports'))!;
    const id = await createArticle(t.db.kysely, { headline: 'Old headline here', deskId: desk.id, bodyHtml: '<p>Text.</p>' }, { status: 'published' });
    await updateArticleContent(t.db.kysely, id, { headline: 'Old headline here', slug: 'new-headline-here', deskId: desk.id, bodyHtml: '<p>Text.</p>' });
    const moved = await get('/sports/old-headline-here');
    assert.equal(moved.statusCode, 301);
    assert.equal(moved.headers.location, '/sports/new-headline-here');
    assert.equal((await get('/sports/new-headline-here')).statusCode, 200);
  });

  test('a renamed desk keeps its old URL as a 301', async () => {
    const desk = (await findDeskBySlug(t.db.kysely, 'science'))!;
    await updateDesk(t.db.kysely, desk.id, { name: 'Science & Tech', slug: 'science-tech' });
    const res = await get('/science?page=1');
    assert.equal(res.statusCode, 301);
    assert.equal(res.headers.location, '/science-tech?page=1');
  });

  test('drafts are not found, unpublished stories are gone, unknown pages are 404 pages', async () => {
    const desk = (await findDeskBySlug(t.db.kysely, 'economy'))!;
    await createArticle(t.db.kysely, { headline: 'Secret draft', deskId: desk.id }, { status: 'draft' });
    await createArticle(t.db.kysely, { headline: 'Withdrawn story', deskId: desk.id }, { status: 'unpublished', publishedAt: new Date(Date.now() - 60_000) });
    const future = await createArticle(t.db.kysely, { headline: 'Future story', deskId: desk.id }, { status: 'published', publishedAt: new Date(Date.now() + 3_600_000) });
    assert.ok(future);
    const draft = await get('/economy/secret-draft');
    assert.equal(draft.statusCode, 404);
    assert.doesNotMatch(draft.body, /Secret draft/);
    const gone = await get('/economy/withdrawn-story');
    assert.equal(gone.statusCode, 410);
    assert.match(gone.body, /withdrawn/);
    assert.equal((await get('/economy/future-story')).statusCode, 404);
    const listing = (await get('/economy')).body + (await get('/')).body;
    for (const hidden of ['Secret draft', 'Withdrawn story', 'Future story']) assert.doesNotMatch(listing, new RegExp(hidden));
    const missing = await get('/no-such-desk');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /Page not found/);
    assert.match(missing.headers['content-type'] as string, /text\/html/);
    assert.equal((await get('/tag/no-such-tag')).statusCode, 404);
    assert.equal((await get('/author/nobody')).statusCode, 404);
  });

  test('bad page numbers and dates get clear errors, not server errors', async () => {
    for (const [url, status] of [
      ['/politics?page=abc', 400],
      ['/politics?page=0', 400],
      ['/politics?page=-1', 400],
      ['/politics?page=1.5', 400],
      ['/politics?page=99', 404],
      ['/tag/iran?page=x', 400],
      ['/archive/2026/13', 404],
      ['/archive/2026/02/30', 404],
      ['/archive/abcd', 404],
    ] as const) {
      const res = await get(url);
      assert.equal(res.statusCode, status, url);
      assert.match(res.headers['content-type'] as string, /text\/html/, url);
    }
    assert.match((await get('/politics?page=abc')).body, /page/);
  });

  test('a body with <script> is stored and shown sanitized', async () => {
    const desk = (await findDeskBySlug(t.db.kysely, 'culture'))!;
    const person = (await findPersonBySlug(t.db.kysely, 'reza-ahmadi'))!;
    await createArticle(
      t.db.kysely,
      { headline: 'Sanitized story', deskId: desk.id, bylineIds: [person.id], bodyHtml: '<p onclick="x()">Hello <script>alert(1)</script><a href="javascript:alert(2)">link</a></p><img src=x onerror=alert(3)>' },
      { status: 'published' },
    );
    const stored = await t.db.kysely.selectFrom('articles').select('body_html').where('slug', '=', 'sanitized-story').executeTakeFirstOrThrow();
    assert.doesNotMatch(stored.body_html, /script|onclick|javascript|onerror/);
    const page = (await get('/culture/sanitized-story')).body;
    assert.doesNotMatch(page, /alert\(/);
  });

  test('pages carry security headers and the relative-time script', async () => {
    const res = await get(REFERENCE_PATH);
    assert.match(res.headers['content-security-policy'] as string, /script-src 'self'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    const script = res.body.match(/<script src="(\/assets\/site\.[0-9a-f]+\.js)" defer/);
    assert.ok(script);
    const js = await get(script[1]!);
    assert.equal(js.statusCode, 200);
    assert.match(js.body, /RelativeTimeFormat/);
    assert.match(js.headers['cache-control'] as string, /immutable/);
  });
});
