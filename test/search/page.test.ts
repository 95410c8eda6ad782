// GET /search through the real app on both databases.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import { createArticle } from '../../src/newsroom/articles/commands.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';

const HOUR = 3_600_000;

eachDatabase('search page', (kind) => {
  let t: TestApp;
  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const results = (body: string) => body.match(/<section class="search-results"[\s\S]*?<\/section>/)?.[0] ?? '';

  before(async () => {
    t = await startApp(kind, { env: { TZ: 'Asia/Tehran' } });
    const db = t.db.kysely;
    const politics = (await createDesk(db, { name: 'Politics' })).id;
    const sport = (await createDesk(db, { name: 'Sport' })).id;
    const sara = await createPerson(db, { name: 'Sara Karimi' });
    const reza = await createPerson(db, { name: 'Reza Ahmadi' });
    const publish = (headline: string, deskId: number, by: number, bodyHtml: string, hoursAgo: number, dek = '') =>
      createArticle(db, { headline, deskId, bylineIds: [by], bodyHtml, dek }, { status: 'published', publishedAt: new Date(Date.now() - hoursAgo * HOUR) });
    await publish('Leader rejects talks', politics, sara.id, '<p>The leader said no talks will be held.</p>', 1);
    await publish('Football results', sport, reza.id, '<p>The leader of the league won again.</p>', 2);
    await publish('Security notes', politics, reza.id, '<p>Beware of &lt;script&gt;alert("pwned")&lt;/script&gt; in comments about the leader.</p>', 3);
    for (let i = 0; i < 23; i++) await publish(`Gazelle report ${i + 1}`, sport, sara.id, '<p>Gazelles run.</p>', 10 + i);
    await createArticle(db, { headline: 'Leader draft never shown', deskId: politics, bodyHtml: '<p>Draft.</p>' }, { status: 'draft' });
  });
  after(() => t.close());

  test('the empty page is a search form, not indexed', async () => {
    const res = await get('/search');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<meta name="robots" content="noindex"/);
    assert.match(res.body, /<form[^>]*role="search"[^>]*action="\/search"/);
    assert.match(res.body, /<label for="search-q">/);
    assert.match(res.body, /<option value="politics">Politics<\/option>/);
    assert.match(res.body, /<option value="sara-karimi">Sara Karimi<\/option>/);
    assert.equal(results(res.body), '');
  });

  test('every page has a search box in its masthead, and it works without JavaScript', async () => {
    for (const path of ['/', '/politics', '/staff', '/search?q=leader']) {
      const res = await get(path);
      const form = /<form class="masthead-search" role="search" method="get" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(res.body);
      assert.ok(form, `a masthead search form on ${path}`);
      assert.equal(form[1], '/search');
      const fields = form[2] ?? '';
      assert.match(fields, /<label class="visually-hidden" for="masthead-q">Search stories<\/label>/);
      assert.match(fields, /<input id="masthead-q" name="q" type="search"/);
    }
    // What the form sends is what the search page reads.
    assert.match(results((await get('/search?q=leader')).body), /Leader<\/mark> rejects talks/);
  });

  test('results: headline first, words marked, desk, byline and time; drafts never', async () => {
    const res = await get('/search?q=leader');
    assert.equal(res.statusCode, 200);
    // Cached like any page, and dropped with any story's change (the tags a CDN purges by).
    assert.match(String(res.headers['surrogate-key']), /(^| )stories( |$)/);
    assert.match(res.body, /<meta name="robots" content="noindex"/);
    const section = results(res.body);
    const order = ['Leader</mark> rejects talks', 'Football results', 'Security notes'].map((h) => section.indexOf(h));
    assert.ok(order.every((i) => i > 0), section);
    assert.ok(order[0]! < order[1]! && order[0]! < order[2]!);
    assert.match(section, /<a href="\/politics\/leader-rejects-talks"><mark>Leader<\/mark> rejects talks<\/a>/);
    assert.match(section, /<mark>leader<\/mark> of the league/);
    assert.match(section, /<a href="\/sport">Sport<\/a>/);
    assert.match(section, /<a href="\/author\/reza-ahmadi" rel="author">Reza Ahmadi<\/a>/);
    assert.match(section, /<time datetime="/);
    assert.doesNotMatch(res.body, /draft never shown/);
  });

  test('snippets and queries are text, never markup', async () => {
    const res = await get('/search?q=beware');
    assert.doesNotMatch(res.body, /<script>alert/);
    assert.match(results(res.body), /<mark>Beware<\/mark> of &lt;script>alert\(&quot;pwned&quot;\)&lt;\/script> in comments/);
    const hostile = await get(`/search?q=${encodeURIComponent('<b>x</b>"><img src=x onerror=alert(1)>')}`);
    assert.equal(hostile.statusCode, 200);
    assert.doesNotMatch(hostile.body, /<b>x<\/b>|<img src=x/);
  });

  test('filters by desk, author and dates, and tells what to fix when one is wrong', async () => {
    const politics = results((await get('/search?q=leader&desk=politics')).body);
    assert.match(politics, /Leader<\/mark> rejects talks/);
    assert.doesNotMatch(politics, /Football results/);
    const byReza = results((await get('/search?q=leader&author=reza-ahmadi')).body);
    assert.match(byReza, /Security notes/);
    assert.doesNotMatch(byReza, /rejects talks/);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tehran' }).format(new Date());
    const recent = results((await get(`/search?q=leader&from=${today}&to=${today}`)).body);
    assert.match(recent, /rejects talks/);
    const old = results((await get('/search?q=leader&to=2020-01-01')).body);
    assert.match(old, /No published story matches/);
    for (const url of ['/search?q=leader&desk=nowhere', '/search?q=leader&author=nobody', '/search?q=leader&from=2026-02-30', '/search?q=leader&from=2026-03-02&to=2026-03-01', '/search?q=leader&page=51', '/search?q=leader&page=x', '/search?q=a&q=b']) {
      const res = await get(url);
      assert.equal(res.statusCode, 400, url);
      assert.match(res.body, /role="alert"/, url);
      assert.match(res.body, /<form class="form search-form" role="search"/, url);
      assert.match(res.body, /aria-invalid="true"/, url);
    }
  });

  test('pages of results', async () => {
    const first = await get('/search?q=gazelle&desk=sport');
    assert.equal((results(first.body).match(/<li>/g) ?? []).length, 20);
    assert.match(first.body, /<a href="\/search\?q=gazelle&amp;desk=sport&amp;page=2" rel="next">/);
    const second = await get('/search?q=gazelle&desk=sport&page=2');
    assert.equal((results(second.body).match(/<li>/g) ?? []).length, 3);
    assert.match(second.body, /<ol class="story-list" start="21">/);
    assert.doesNotMatch(second.body, /rel="next"/);
    assert.match(second.body, /rel="prev"/);
    assert.match(results((await get('/search?q=gazelle&page=3')).body), /no more stories/);
  });

  test('hostile queries answer 200 with results or a clear message', async () => {
    const queries = ['"', 'AND OR NOT', '*', 'NEAR(', 'NEAR(leader talks, 2)', '-', '-leader', 'leader -talks', 'x'.repeat(10_240), '\u0000', 'leader\u0000', '\u0001\u0007\u001b[0m', '😀', '🦒 gazelle', 'رهبر انقلاب', "' OR 1=1 --", '{headline}: leader', 'leader*', '%00', '\\'];
    for (const q of queries) {
      const res = await get(`/search?q=${encodeURIComponent(q)}`);
      assert.equal(res.statusCode, 200, JSON.stringify(q.slice(0, 20)));
      const section = results(res.body);
      assert.ok(/<ol class="story-list"/.test(section) || /class="empty"/.test(section), JSON.stringify(q.slice(0, 20)));
    }
    assert.match(results((await get('/search?q=AND%20OR%20NOT')).body), /too common/);
    assert.match(results((await get('/search?q=%22')).body), /Type one or more words/);
    assert.match(results((await get('/search?q=-leader')).body), /minus sign/);
    assert.match(results((await get(`/search?q=${'leader%20'.repeat(2000)}`)).body), /only its first words were used/);
    assert.match(results((await get('/search?q=leader%20-talks')).body), /Security notes/);
  });
});
