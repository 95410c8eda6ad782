// Link previews (OpenGraph, Twitter card) and schema.org structured data (NewsArticle with
// Google's documented properties, BreadcrumbList, corrections) through the real app on both
// databases; and that nothing unpublished ever gets a preview.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, unescapeHtml, type TestApp } from '../helpers/app.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';
import { createUser } from '../../src/newsroom/users.ts';
import { createStory, transition } from '../../src/newsroom/workflow/commands.ts';
import type { Actor } from '../../src/newsroom/workflow/policy.ts';

const SITE = 'http://127.0.0.1:3000';
const EVIL = 'Minister quits </script><script>alert(1)</script> <!-- & "resigns"';
const EVIL_SLUG = 'minister-quits';

type Ld = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The JSON-LD blocks of a page, parsed. */
function jsonLd(html: string): Ld[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as Ld);
}

/** Every <meta property|name=… content=…> in the head, in order. */
function metaTags(html: string): Array<[string, string]> {
  const head = html.slice(0, html.indexOf('</head>'));
  return [...head.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)"\/>/g)].map((m) => [m[1]!, unescapeHtml(m[2]!)]);
}
const metaOf = (html: string, key: string) => metaTags(html).filter(([k]) => k === key).map(([, v]) => v);
const one = (html: string, key: string) => {
  const values = metaOf(html, key);
  assert.equal(values.length, 1, `exactly one ${key}: ${JSON.stringify(values)}`);
  return values[0]!;
};

eachDatabase('previews and structured data', (kind) => {
  let t: TestApp;
  let boss: Actor;
  let deskId: number;
  let writerId: number;
  let staffId: number;
  const hidden: Array<{ label: string; slug: string; headline: string }> = [];
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  before(async () => {
    t = await startApp(kind);
    const db = t.db.kysely;
    deskId = (await createDesk(db, { name: 'Politics' })).id;
    const writer = await createPerson(db, { name: 'Leila Reporter' });
    writerId = writer.id;
    staffId = (await createPerson(db, { name: 'Politics Staff', kind: 'collective' })).id;
    const user = await createUser(db, { email: 'boss@example.com', role: 'managing_editor', personId: writer.id });
    boss = { userId: user.id, role: 'managing_editor', personId: writer.id };
    const make = async (label: string, steps: Array<Parameters<typeof transition>[3]>, options: Parameters<typeof transition>[4] = {}) => {
      const slug = `hidden-${label}`;
      const headline = `Hidden ${label} story`;
      const { id } = await createStory(db, boss, {
        headline,
        slug,
        deskId,
        dek: 'Secret dek.',
        bodyHtml: '<p>No.</p>',
        leadImage: { url: 'https://images.example.org/secret.jpg', alt: 'Secret photo', caption: '', credit: '' },
      });
      for (const step of steps) await transition(db, boss, id, step, options);
      hidden.push({ label, slug, headline });
    };
    await make('draft', []);
    await make('submitted', ['submit']);
    await make('approved', ['submit', 'approve']);
    await make('scheduled', ['submit', 'schedule'], { at: new Date(Date.now() + 3_600_000) });
    await make('embargoed', ['submit', 'publish'], { embargoUntil: new Date(Date.now() + 3_600_000) });
    await make('unpublished', ['submit', 'publish', 'unpublish']);

    const { id } = await createStory(db, boss, {
      headline: EVIL,
      slug: EVIL_SLUG,
      deskId,
      dek: 'The minister resigned on Tuesday.',
      bodyHtml: '<p>He resigned.</p>',
      tags: ['Cabinet', 'Parliament'],
      bylineIds: [writer.id, staffId],
      leadImage: { url: '/media/minister.jpg', alt: 'The minister leaves the cabinet meeting', caption: 'Leaving', credit: 'Photo: IFP' },
    });
    await transition(db, boss, id, 'submit');
    await transition(db, boss, id, 'publish');
    await transition(db, boss, id, 'correct', { note: 'An earlier version gave the wrong day.' }, new Date(Date.now() + 1000));

    const plain = await createStory(db, boss, { headline: 'Plain story without a picture', slug: 'plain-story', deskId, bodyHtml: '<p>Words only.</p>', bylineIds: [writer.id] });
    await transition(db, boss, plain.id, 'submit');
    await transition(db, boss, plain.id, 'publish');
  });
  after(() => t.close());

  test('NewsArticle JSON-LD has what Google documents for articles: headline, image, dates, authors with url, publisher with logo', async () => {
    const res = await get(`/politics/${EVIL_SLUG}`);
    assert.equal(res.statusCode, 200);
    const blocks = jsonLd(res.body);
    assert.equal(blocks.length, 2);
    const article = blocks.find((b) => b['@type'] === 'NewsArticle')!;
    const url = `${SITE}/politics/${EVIL_SLUG}`;
    assert.equal(article['@context'], 'https://schema.org');
    assert.equal(article.headline, EVIL);
    assert.deepEqual(article.image, [`${SITE}/media/minister.jpg`]);
    assert.match(article.datePublished, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    assert.match(article.dateModified, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    assert.ok(Date.parse(article.dateModified) > Date.parse(article.datePublished), 'the correction moved dateModified');
    assert.deepEqual(article.author, [
      { '@type': 'Person', name: 'Leila Reporter', url: `${SITE}/author/leila-reporter` },
      { '@type': 'Organization', name: 'Politics Staff', url: `${SITE}/author/politics-staff` },
    ]);
    assert.equal(article.publisher['@type'], 'Organization');
    assert.equal(article.publisher.name, 'Dateline');
    assert.equal(article.publisher.logo['@type'], 'ImageObject');
    assert.equal(article.publisher.logo.url, `${SITE}/assets/logo.png`);
    assert.deepEqual(article.mainEntityOfPage, { '@type': 'WebPage', '@id': url });
    assert.equal(article.url, url);
    assert.equal(article.articleSection, 'Politics');
    assert.equal(article.description, 'The minister resigned on Tuesday.');
    assert.deepEqual(article.keywords, ['Cabinet', 'Parliament']);
    assert.equal(article.correction.length, 1);
    assert.equal(article.correction[0]['@type'], 'CorrectionComment');
    assert.equal(article.correction[0].text, 'An earlier version gave the wrong day.');
    assert.equal(article.correction[0].datePublished, article.dateModified);
    // Google: every URL in structured data must be crawlable; the logo is served.
    const logo = await get('/assets/logo.png');
    assert.equal(logo.statusCode, 200);
    assert.equal(logo.headers['content-type'], 'image/png');
    const png = logo.rawPayload;
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [512, 512], 'a square logo at least 112 px');
  });

  test('BreadcrumbList: Home › Desk › Story', async () => {
    const crumbs = jsonLd((await get(`/politics/${EVIL_SLUG}`)).body).find((b) => b['@type'] === 'BreadcrumbList')!;
    assert.equal(crumbs['@context'], 'https://schema.org');
    assert.deepEqual(
      crumbs.itemListElement.map((i: Ld) => [i['@type'], i.position, i.name, i.item]),
      [
        ['ListItem', 1, 'Dateline', `${SITE}/`],
        ['ListItem', 2, 'Politics', `${SITE}/politics`],
        ['ListItem', 3, EVIL, `${SITE}/politics/${EVIL_SLUG}`],
      ],
    );
  });

  test('a headline with </script> cannot break out of the JSON-LD script', async () => {
    const html = (await get(`/politics/${EVIL_SLUG}`)).body;
    const head = html.slice(0, html.indexOf('</head>'));
    assert.ok(!head.includes('<script>alert(1)'), 'no live script from the headline');
    assert.equal((head.match(/<script/g) ?? []).length, 3, 'the site script and the two JSON-LD blocks, nothing more');
    assert.equal((head.match(/<\/script>/g) ?? []).length, 3);
    const raw = [...head.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    for (const block of raw) assert.doesNotMatch(block, /[<>&]/, 'markup characters are \\u escapes inside the script');
    assert.equal(jsonLd(html)[0]!.headline, EVIL, 'and JSON.parse reads the headline back unchanged');
  });

  test('OpenGraph and Twitter card on an article with a lead image', async () => {
    const html = (await get(`/politics/${EVIL_SLUG}`)).body;
    assert.equal(one(html, 'description'), 'The minister resigned on Tuesday.');
    assert.equal(one(html, 'og:type'), 'article');
    assert.equal(one(html, 'og:title'), EVIL);
    assert.equal(one(html, 'og:description'), 'The minister resigned on Tuesday.');
    assert.equal(one(html, 'og:url'), `${SITE}/politics/${EVIL_SLUG}`);
    assert.equal(one(html, 'og:site_name'), 'Dateline');
    assert.equal(one(html, 'og:image'), `${SITE}/media/minister.jpg`);
    assert.equal(one(html, 'og:image:alt'), 'The minister leaves the cabinet meeting');
    const ld = jsonLd(html)[0]!;
    assert.equal(one(html, 'article:published_time'), ld.datePublished);
    assert.equal(one(html, 'article:modified_time'), ld.dateModified);
    assert.equal(one(html, 'article:section'), 'Politics');
    assert.deepEqual(metaOf(html, 'article:tag'), ['Cabinet', 'Parliament']);
    assert.deepEqual(metaOf(html, 'article:author'), [`${SITE}/author/leila-reporter`, `${SITE}/author/politics-staff`]);
    assert.equal(one(html, 'twitter:card'), 'summary_large_image');
    assert.match(html, new RegExp(`<link rel="canonical" href="${SITE}/politics/${EVIL_SLUG}"/>`));
  });

  test('an article without a picture: summary card, the logo as preview image, no image in JSON-LD', async () => {
    const html = (await get('/politics/plain-story')).body;
    assert.equal(one(html, 'twitter:card'), 'summary');
    assert.equal(one(html, 'og:type'), 'article');
    assert.equal(one(html, 'og:image'), `${SITE}/assets/logo.png`);
    assert.equal(jsonLd(html)[0]!.image, undefined);
    assert.equal(jsonLd(html)[0]!.correction, undefined);
  });

  test('home and desk pages get OpenGraph basics', async () => {
    for (const [url, title] of [['/', 'Dateline'], ['/politics', 'Politics']] as const) {
      const html = (await get(url)).body;
      assert.equal(one(html, 'og:type'), 'website', url);
      assert.equal(one(html, 'og:title'), title, url);
      assert.equal(one(html, 'og:url'), SITE + url, url);
      assert.equal(one(html, 'og:site_name'), 'Dateline', url);
      assert.equal(one(html, 'og:image'), `${SITE}/assets/logo.png`, url);
      assert.equal(one(html, 'twitter:card'), 'summary', url);
      assert.equal(jsonLd(html).length, 0, url);
    }
  });

  test('no draft, submitted, approved, scheduled, embargoed or unpublished story gets a preview or structured data', async () => {
    for (const { label, slug, headline } of hidden) {
      const res = await get(`/politics/${slug}`);
      assert.equal(res.statusCode, label === 'unpublished' ? 410 : 404, label);
      assert.equal(metaOf(res.body, 'og:title').length, 0, label);
      assert.equal(jsonLd(res.body).length, 0, label);
      assert.ok(!res.body.includes(headline) && !res.body.includes('secret.jpg') && !res.body.includes('Secret dek'), label);
    }
    for (const url of ['/', '/politics', '/author/leila-reporter']) {
      const body = (await get(url)).body;
      assert.ok(!hidden.some((h) => body.includes(h.headline)), url);
      assert.ok(!body.includes('secret.jpg'), url);
    }
  });

  test('a story gets its preview on the next request after it is published', async () => {
    const db = t.db.kysely;
    const { id } = await createStory(db, boss, { headline: 'Speaker elected', slug: 'speaker-elected', deskId, bodyHtml: '<p>Elected.</p>', bylineIds: [writerId] });
    await transition(db, boss, id, 'submit');
    assert.equal((await get('/politics/speaker-elected')).statusCode, 404);
    await transition(db, boss, id, 'publish');
    const html = (await get('/politics/speaker-elected')).body;
    assert.equal(one(html, 'og:title'), 'Speaker elected');
    assert.equal(jsonLd(html)[0]!.headline, 'Speaker elected');
  });
});
