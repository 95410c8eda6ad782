// The query parser and the highlight segments, without a database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_INPUT, MAX_TERMS, parseQuery } from '../../src/search/query.ts';
import { toSegments } from '../../src/search/highlight.ts';
import { ftsExpressions } from '../../src/search/sqlite.ts';
import { tsQueries } from '../../src/search/postgres.ts';

const words = (q: string) => parseQuery(q).include.map((t) => t.words.join(' '));

test('words, phrases and excluded words', () => {
  assert.deepEqual(words('Iran  Leader'), ['iran', 'leader']);
  assert.deepEqual(words('"nuclear deal" sanctions'), ['nuclear deal', 'sanctions']);
  const q = parseQuery('oil -gas -"crude price"');
  assert.deepEqual(q.include.map((t) => t.words), [['oil']]);
  assert.deepEqual(q.exclude.map((t) => t.words), [['gas'], ['crude', 'price']]);
  // Punctuation inside a word makes a phrase of its parts.
  assert.deepEqual(words('al-Assad 24/7'), ['al assad', '24 7']);
  assert.deepEqual(words('oil oil OIL'), ['oil']);
});

test('stop words are dropped; a query of nothing else says so', () => {
  assert.deepEqual(words('the leader of Iran'), ['leader', 'iran']);
  assert.equal(parseQuery('AND OR NOT').problem, 'common');
  assert.equal(parseQuery('the').problem, 'common');
  assert.equal(parseQuery('-oil').problem, 'only_excluded');
  for (const empty of ['', '   ', '"', '*', '-', '""', '()', '\u0000', '\u0001\u0002\u001f', '😀🎉']) {
    const parsed = parseQuery(empty);
    assert.ok(parsed.problem, JSON.stringify(empty));
  }
  // Operators of either engine are plain words or nothing at all.
  assert.deepEqual(words('NEAR(oil gas, 5) {headline}: x*'), ['near', 'oil', 'gas', '5', 'headline', 'x']);
});

test('control characters never reach a query; long input is cut', () => {
  const parsed = parseQuery('oil\u0000gas\u0002\u0003\u001b[31m');
  assert.deepEqual(parsed.include.map((t) => t.words.join(' ')), ['oil', 'gas', '31m']);
  assert.ok([...parsed.text].every((c) => c.charCodeAt(0) >= 32));
  const long = parseQuery('word '.repeat(2000));
  assert.ok(long.truncated);
  assert.ok(long.text.length <= MAX_INPUT);
  const many = parseQuery(Array.from({ length: 40 }, (_, i) => `w${i}x`).join(' '));
  assert.equal(many.include.length, MAX_TERMS);
  assert.ok(many.truncated);
  assert.equal(parseQuery('x'.repeat(10_000)).include[0]?.words[0]?.length, 40);
});

test('Persian words stay whole, joiners included', () => {
  assert.deepEqual(words('رهبر ایران'), ['رهبر', 'ایران']);
  assert.deepEqual(words('می‌خواهم'), ['می‌خواهم']);
});

test('engine syntax is built only from parsed words', () => {
  const q = parseQuery('"oil price" -gas href');
  const fts = ftsExpressions(q);
  assert.equal(fts.inHeadline, '{headline} : ("oil price" "href")');
  assert.equal(fts.anywhere, '("oil price" {headline dek} : "href")');
  assert.equal(fts.excluded, '("gas")');
  const ts = tsQueries(q);
  assert.equal(ts.inHeadline, "('oil':A <-> 'price':A) & 'href':A");
  assert.equal(ts.all, "('oil' <-> 'price') & 'href'");
  assert.equal(ts.excluded, "'gas'");
});

test('highlight segments: marks kept, stored HTML reduced to its text', () => {
  const S = '\u0002';
  const E = '\u0003';
  assert.deepEqual(toSegments(`The ${S}leader${E} said`), [
    { text: 'The ', mark: false },
    { text: 'leader', mark: true },
    { text: ' said', mark: false },
  ]);
  // Cut inside a tag at the start, a mark inside an attribute, entities, and a half entity at the end.
  const html = `ef="https://x.com/${S}oil${E}">link</a> &amp; &lt;script&gt;${S}oil${E}&lt;/script&gt;</p><p>Next &am…`;
  const segments = toSegments(html, { html: true });
  assert.deepEqual(segments, [
    { text: 'link & <script>', mark: false },
    { text: 'oil', mark: true },
    { text: '</script> Next …', mark: false },
  ]);
});
