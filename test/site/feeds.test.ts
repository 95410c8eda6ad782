// Story feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1) for the site, every desk, tag and author, read
// back with independent parsers (fast-xml-parser, JSON.parse) on the real app and both databases.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import { createDesk, updateDesk } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';
import { createUser } from '../../src/newsroom/users.ts';
import { createArticle } from '../../src/newsroom/articles/commands.ts';
import { createStory, transition } from '../../src/newsroom/workflow/commands.ts';
import { writeSetting } from '../../src/newsroom/settings/repository.ts';
import type { Actor } from '../../src/newsroom/workflow/policy.ts';
import type { Queryable } from '../../src/newsroom/db.ts';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name, jpath) => ['item', 'entry', 'category', 'dc:creator', 'author'].includes(name) || (name === 'link' && String(jpath).startsWith('feed.')) });
const SITE = 'http://127.0.0.1:3000';
const HIDDEN = ['draft', 'submitted', 'approved', 'scheduled', 'embargoed', 'unpublished'] as const;
const TRICKY = 'Rock & roll <b>"quoted"</b> ]]> </script> in Tehran';

type Rss = { title: string; link: string; description: string; language: string; lastBuildDate: string; item?: RssItem[] };
type RssItem = Record<string, unknown> & { title: string; link: string; guid: { '#text': string; '@isPermaLink': string }; pubDate: string; description: string };
type AtomFeed = { id: string; title: { '#text': string }; updated: string; entry?: AtomEntry[] };
type AtomEntry = Record<string, unknown> & { id: string; title: { '#text': string }; updated: string; published: string; link: Array<Record<string, string>>; author?: Array<{ name: string; uri: string }> };
type JsonFeed = { version: string; title: string; language: string; home_page_url: string; feed_url: string; items: JsonItem[] };
type JsonItem = { id: string; url: string; title: string; content_html?: string; content_text?: string; image?: string; date_published: string; date_modified: string; authors?: Array<{ name: string; url: string }>; tags?: string[] };

/** A desk, a writer, a collective and a managing editor who can walk stories through the workflow. */
async function newsroom(db: Queryable) {
  const desk = await createDesk(db, { name: 'Politics' });
  const other = await createDesk(db, { name: 'Sports' });
  const writer = await createPerson(db, { name: 'Nadia Writer' });
  const staff = await createPerson(db, { name: 'Politics Staff', kind: 'collective' });
  const user = await createUser(db, { email: 'boss@example.com', role: 'managing_editor', personId: writer.id });
  const boss: Actor = { userId: user.id, role: 'managing_editor', personId: writer.id };
  return { desk, other, writer, staff, boss };
}

eachDatabase('story feeds', (kind) => {
  let t: TestApp;
  let n: Awaited<ReturnType<typeof newsroom>>;
  let publishedId: number;
  const hiddenHeadlines: string[] = [];

  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const rss = async (url: string): Promise<Rss> => {
    const res = await get(url);
    assert.equal(res.statusCode, 200, url);
    assert.equal(res.headers['content-type'], 'application/rss+xml; charset=utf-8', url);
    const doc = xml.parse(res.body);
    assert.equal(doc.rss['@version'], '2.0');
    return doc.rss.channel as Rss;
  };
  const atom = async (url: string): Promise<AtomFeed> => {
    const res = await get(url);
    assert.equal(res.statusCode, 200, url);
    assert.equal(res.headers['content-type'], 'application/atom+xml; charset=utf-8', url);
    const doc = xml.parse(res.body);
    assert.equal(doc.feed['@xmlns'], 'http://www.w3.org/2005/Atom');
    return doc.feed as AtomFeed;
  };
  const json = async (url: string): Promise<JsonFeed> => {
    const res = await get(url);
    assert.equal(res.statusCode, 200, url);
    assert.equal(res.headers['content-type'], 'application/feed+json; charset=utf-8', url);
    return JSON.parse(res.body) as JsonFeed;
  };

  /** Headlines in the feed at `base` ("" for the site), checking each format's required elements. */
  async function headlines(base: string): Promise<{ rss: string[]; atom: string[]; json: string[] }> {
    const channel = await rss(`${base}/feed.xml`);
    assert.ok(channel.title && channel.link && channel.description, 'RSS channel title, link, description');
    for (const item of channel.item ?? []) {
      assert.ok(item.title && item.link && item.guid['#text'] && item.pubDate, 'RSS item title, link, guid, pubDate');
      assert.ok(!Number.isNaN(Date.parse(item.pubDate)));
    }
    const feed = await atom(`${base}/feed.atom`);
    assert.ok(feed.id && feed.title['#text'] && feed.updated, 'Atom feed id, title, updated');
    for (const entry of feed.entry ?? []) {
      assert.ok(entry.id && entry.title['#text'] && entry.updated, 'Atom entry id, title, updated');
      assert.ok(entry.link.some((l) => l['@rel'] === 'alternate' && l['@href']), 'Atom entry link');
    }
    const jf = await json(`${base}/feed.json`);
    assert.equal(jf.version, 'https://jsonfeed.org/version/1.1');
    assert.ok(jf.title);
    for (const item of jf.items) {
      assert.ok(item.id && item.url, 'JSON Feed item id, url');
      assert.ok(typeof item.content_html === 'string' || typeof item.content_text === 'string', 'JSON Feed content');
    }
    return {
      rss: (channel.item ?? []).map((i) => String(i.title)),
      atom: (feed.entry ?? []).map((e) => String(e.title['#text'])),
      json: jf.items.map((i) => i.title),
    };
  }

  const feedsOf = () => ['', '/politics', '/tag/elections', '/author/nadia-writer', '/author/politics-staff'];

  before(async () => {
    t = await startApp(kind);
    const db = t.db.kysely;
    n = await newsroom(db);
    const make = async (label: string, steps: Array<Parameters<typeof transition>[3]>, options: Parameters<typeof transition>[4] = {}) => {
      const headline = `Hidden ${label} story`;
      const { id } = await createStory(db, n.boss, { headline, deskId: n.desk.id, bodyHtml: '<p>Not for readers.</p>', tags: ['Elections'], bylineIds: [n.writer.id, n.staff.id] });
      for (const step of steps) await transition(db, n.boss, id, step, options);
      hiddenHeadlines.push(headline);
    };
    await make('draft', []);
    await make('submitted', ['submit']);
    await make('approved', ['submit', 'approve']);
    await make('scheduled', ['submit', 'schedule'], { at: new Date(Date.now() + 3_600_000) });
    await make('embargoed', ['submit', 'publish'], { embargoUntil: new Date(Date.now() + 3_600_000) });
    await make('unpublished', ['submit', 'publish', 'unpublish']);
    assert.equal(hiddenHeadlines.length, HIDDEN.length);

    const { id } = await createStory(db, n.boss, {
      headline: TRICKY,
      deskId: n.desk.id,
      dek: 'What the minister said, & what he meant.',
      bodyHtml: '<p>See <a href="/politics">the desk</a> and <a href="https://example.org/x">elsewhere</a>.</p><figure class="image"><img src="/media/chart.png" alt="A chart"></figure>',
      tags: ['Elections', 'Tehran'],
      bylineIds: [n.writer.id, n.staff.id],
      leadImage: { url: 'https://images.example.org/photos/rally.jpg', alt: 'A rally in Tehran', caption: 'The rally', credit: 'Photo: A. Photographer' },
    });
    await transition(db, n.boss, id, 'submit');
    await transition(db, n.boss, id, 'publish');
    publishedId = id;
  });
  after(() => t.close());

  test('every feed parses and carries the required elements; the published story is in each, no hidden one is', async () => {
    for (const base of feedsOf()) {
      const found = await headlines(base);
      for (const format of ['rss', 'atom', 'json'] as const) {
        assert.deepEqual(found[format], [TRICKY], `${base || '/'} ${format}`);
        for (const hidden of hiddenHeadlines) assert.ok(!found[format].includes(hidden), `${hidden} in ${base} ${format}`);
      }
    }
  });

  test('hidden stories leave no trace in any feed body, in any format', async () => {
    for (const base of feedsOf()) {
      for (const file of ['feed.xml', 'feed.atom', 'feed.json']) {
        const body = (await get(`${base}/${file}`)).body;
        assert.doesNotMatch(body, /Hidden \w+ story|Not for readers/, `${base}/${file}`);
      }
    }
  });

  test('RSS: the item in detail — escaped title, permanent guid, bylines as dc:creator, tags, image, full content with absolute links', async () => {
    const channel = await rss('/politics/feed.xml');
    assert.equal(channel.title, 'Dateline: Politics');
    assert.equal(channel.link, `${SITE}/politics`);
    assert.equal(channel.language, 'en');
    const item = channel.item![0]!;
    assert.equal(item.title, TRICKY);
    assert.equal(item.link, `${SITE}/politics/rock-roll-b-quoted-b-script-in-tehran`);
    assert.equal(item.guid['@isPermaLink'], 'false');
    assert.match(item.guid['#text'], /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(item.description, 'What the minister said, & what he meant.');
    assert.deepEqual(item['dc:creator'], ['Nadia Writer', 'Politics Staff']);
    assert.equal(item.author, undefined, 'RSS <author> must be an e-mail address; bylines are names');
    assert.deepEqual(item.category, ['Elections', 'Tehran']);
    const media = item['media:content'] as Record<string, unknown>;
    assert.equal(media['@url'], 'https://images.example.org/photos/rally.jpg');
    assert.equal(media['@type'], 'image/jpeg');
    assert.equal(media['@medium'], 'image');
    assert.equal((media['media:description'] as Record<string, string>)['#text'], 'A rally in Tehran');
    assert.equal(item.enclosure, undefined, 'no <enclosure> without a known byte length (the validator rejects length 0)');
    const content = String(item['content:encoded']);
    assert.match(content, new RegExp(`<a href="${SITE}/politics">the desk</a>`));
    assert.match(content, /<a href="https:\/\/example\.org\/x">/);
    assert.match(content, new RegExp(`<img src="${SITE}/media/chart\\.png"`));
    // The guid is the same in every format and every feed: one story, one id.
    const entry = (await atom('/feed.atom')).entry![0]!;
    assert.equal(entry.id, item.guid['#text']);
    assert.equal((await json('/tag/tehran/feed.json')).items[0]!.id, item.guid['#text']);
  });

  test('Atom: text titles, both bylines as authors, enclosure link for the lead image, published and updated', async () => {
    const feed = await atom('/politics/feed.atom');
    assert.equal(feed.id, `${SITE}/politics`);
    const entry = feed.entry![0]!;
    assert.equal(entry.title['#text'], TRICKY);
    assert.equal((entry.title as Record<string, string>)['@type'], 'text');
    assert.deepEqual(entry.author!.map((a) => [a.name, a.uri]), [['Nadia Writer', `${SITE}/author/nadia-writer`], ['Politics Staff', `${SITE}/author/politics-staff`]]);
    const enclosure = entry.link.find((l) => l['@rel'] === 'enclosure');
    assert.deepEqual(enclosure, { '@rel': 'enclosure', '@href': 'https://images.example.org/photos/rally.jpg', '@type': 'image/jpeg', '@title': 'A rally in Tehran' });
    assert.equal(entry.link.find((l) => l['@rel'] === 'alternate')?.['@href'], `${SITE}/politics/rock-roll-b-quoted-b-script-in-tehran`);
    assert.ok(!Number.isNaN(Date.parse(entry.published)));
    assert.equal(feed.updated, entry.updated);
    assert.equal((entry.content as Record<string, string>)['@type'], 'html');
  });

  test('JSON Feed 1.1: language, authors, image, tags, dates', async () => {
    const feed = await json('/feed.json');
    assert.equal(feed.language, 'en');
    assert.equal(feed.home_page_url, `${SITE}/`);
    assert.equal(feed.feed_url, `${SITE}/feed.json`);
    const item = feed.items[0]!;
    assert.equal(item.url, `${SITE}/politics/rock-roll-b-quoted-b-script-in-tehran`);
    assert.match(item.content_html!, /minister|the desk/);
    assert.equal(item.image, 'https://images.example.org/photos/rally.jpg');
    assert.deepEqual(item.authors, [{ name: 'Nadia Writer', url: `${SITE}/author/nadia-writer` }, { name: 'Politics Staff', url: `${SITE}/author/politics-staff` }]);
    assert.deepEqual(item.tags, ['Elections', 'Tehran']);
    assert.ok(!('author' in item), 'JSON Feed 1.1 uses authors, not the 1.0 author');
  });

  test('/{desk}/feed.xml wins over the article route; the article route still serves stories', async () => {
    const res = await get('/politics/feed.xml');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /^<\?xml/);
    assert.equal((await get('/politics/rock-roll-b-quoted-b-script-in-tehran')).statusCode, 200);
    const empty = await rss('/sports/feed.xml');
    assert.equal(empty.item, undefined, 'a desk with nothing published has an empty, valid feed');
  });

  test('feeds of unknown desks, tags and authors are 404; a renamed desk redirects to its new feed', async () => {
    for (const url of ['/nowhere/feed.xml', '/nowhere/feed.atom', '/nowhere/feed.json', '/tag/nowhere/feed.xml', '/author/nobody/feed.json']) {
      assert.equal((await get(url)).statusCode, 404, url);
    }
    await updateDesk(t.db.kysely, n.other.id, { name: 'Sport', slug: 'sport' });
    const moved = await get('/sports/feed.atom');
    assert.equal(moved.statusCode, 301);
    assert.equal(moved.headers.location, '/sport/feed.atom');
  });

  test('full content by default; excerpts only when feed_full_content is off', async () => {
    const db = t.db.kysely;
    try {
      await writeSetting(db, 'feed_full_content', 'false');
      const item = (await rss('/feed.xml')).item![0]!;
      assert.equal(item['content:encoded'], undefined);
      assert.equal(item.description, 'What the minister said, & what he meant.');
      const entry = (await atom('/feed.atom')).entry![0]!;
      assert.equal(entry.content, undefined);
      assert.ok(entry.summary);
      const jf = (await json('/feed.json')).items[0]!;
      assert.equal(jf.content_html, undefined);
      assert.equal(jf.content_text, 'What the minister said, & what he meant.');
      await writeSetting(db, 'feed_full_content', 'true');
      assert.ok((await rss('/feed.xml')).item![0]!['content:encoded']);
    } finally {
      await writeSetting(db, 'feed_full_content', 'true');
    }
  });

  test('a story appears in its feeds on the next request after it is published, and leaves when unpublished', async () => {
    const db = t.db.kysely;
    const headline = 'Freshly published election result';
    const { id } = await createStory(db, n.boss, { headline, deskId: n.desk.id, bodyHtml: '<p>Counted.</p>', tags: ['Elections'] });
    await transition(db, n.boss, id, 'submit');
    for (const base of ['', '/politics', '/tag/elections', '/author/nadia-writer']) assert.ok(!(await headlines(base)).rss.includes(headline));
    await transition(db, n.boss, id, 'publish');
    for (const base of ['', '/politics', '/tag/elections', '/author/nadia-writer']) {
      const found = await headlines(base);
      assert.equal(found.rss[0], headline, base);
      assert.equal(found.atom[0], headline, base);
      assert.equal(found.json[0], headline, base);
    }
    await transition(db, n.boss, id, 'unpublish');
    for (const base of ['', '/politics', '/tag/elections', '/author/nadia-writer']) assert.ok(!(await headlines(base)).json.includes(headline), base);
  });

  test('the feed is updated when its newest item is: a correction moves <updated> and lastBuildDate', async () => {
    const db = t.db.kysely;
    const later = new Date(Date.now() + 1000);
    await transition(db, n.boss, publishedId, 'correct', { note: 'An earlier version misspelt the city.' }, later);
    const feed = await atom('/politics/feed.atom');
    assert.equal(feed.updated, later.toISOString());
    assert.equal(feed.entry![0]!.updated, later.toISOString());
    assert.notEqual(feed.entry![0]!.published, later.toISOString());
    assert.equal(new Date((await rss('/politics/feed.xml')).lastBuildDate).getTime(), Math.floor(later.getTime() / 1000) * 1000);
    const jf = (await json('/politics/feed.json')).items[0]!;
    assert.equal(jf.date_modified, later.toISOString());
  });

  test('pages announce their feeds for autodiscovery', async () => {
    for (const [page, base, title] of [
      ['/', '', 'Dateline'],
      ['/politics', '/politics', 'Politics'],
      ['/tag/elections', '/tag/elections', 'Elections'],
      ['/author/nadia-writer', '/author/nadia-writer', 'Nadia Writer'],
    ] as const) {
      const html = (await get(page)).body;
      for (const [type, file] of [['application/rss+xml', 'feed.xml'], ['application/atom+xml', 'feed.atom'], ['application/feed+json', 'feed.json']] as const) {
        assert.match(html, new RegExp(`<link rel="alternate" type="${type.replace('+', '\\+')}" title="[^"]*${title}[^"]*" href="${base}/${file.replace('.', '\\.')}"/>`), `${page} ${file}`);
      }
    }
  });
});

eachDatabase('story feeds: the 50 newest', (kind) => {
  let t: TestApp;
  before(async () => {
    t = await startApp(kind);
    const db = t.db.kysely;
    const desk = await createDesk(db, { name: 'World' });
    const start = Date.now() - 60 * 3_600_000;
    for (let i = 0; i < 53; i++) {
      await createArticle(db, { headline: `World story number ${i}`, deskId: desk.id, bodyHtml: `<p>Story ${i}.</p>` }, { status: 'published', publishedAt: new Date(start + i * 60_000) });
    }
  });
  after(() => t.close());

  describe('limits', () => {
    test('each feed holds the 50 newest stories, newest first', async () => {
      const channel = xml.parse((await t.app.inject({ method: 'GET', url: '/world/feed.xml' })).body).rss.channel as Rss;
      assert.equal(channel.item!.length, 50);
      assert.equal(channel.item![0]!.title, 'World story number 52');
      assert.equal(channel.item![49]!.title, 'World story number 3');
      const jf = JSON.parse((await t.app.inject({ method: 'GET', url: '/feed.json' })).body) as JsonFeed;
      assert.equal(jf.items.length, 50);
      const feed = xml.parse((await t.app.inject({ method: 'GET', url: '/feed.atom' })).body).feed as AtomFeed;
      assert.equal(feed.entry!.length, 50);
      assert.equal(feed.updated, feed.entry![0]!.updated);
    });
  });
});
