// sanitizeBody hands plain bodies back without parsing them (src/newsroom/body.ts): that shortcut
// must give exactly what sanitize-html gives, on real bodies and on everything near them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isPlainBody, sanitizeBody, sanitizeWithParser } from '../../src/newsroom/body.ts';

const makeCorpus = fileURLToPath(new URL('../../../shared/corpus/make-corpus.mjs', import.meta.url));

/** The same numbers every run, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const sameAsParser = (html: string, what: string) => assert.equal(sanitizeBody(html), sanitizeWithParser(html), `${what}: ${JSON.stringify(html)}`);

test('every body of the import corpus comes back exactly as the parser writes it, and unparsed', () => {
  const run = spawnSync(process.execPath, [makeCorpus, '300'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  const bodies = run.stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { bodyHtml: string }).bodyHtml);
  for (const body of bodies) {
    sameAsParser(body, 'corpus body');
    assert.ok(isPlainBody(body), 'the shortcut takes every corpus body');
  }
});

// Pieces of bodies, plain and not: tags the shortcut knows, with attributes, in other cases and
// places; entities, markup characters, control characters, white space of every kind, and text.
const PIECES = [
  '<p>', '</p>', '<blockquote>', '</blockquote>', '<h2>', '</h2>', '<h3>', '</h3>', '<h4>', '</h4>',
  '<h1>', '</h1>', '<P>', '</P>', '<p >', '<p class="x">', '<blockquote class="pullquote">', '<p/>',
  '<strong>', '</strong>', '<b>', '<em>', '<br>', '<br />', '<hr>', '<img src="https://x.test/a.jpg" alt="a">',
  '<a href="javascript:alert(1)">', '<a href="https://x.test/">', '</a>', '<script>', '</script>',
  '<style>', '<textarea>', '<!-- note -->', '<![CDATA[x]]>', '<div>', '</div>', '<span>', '<li>', '<ul>',
  '&amp;', '&', '&nbsp;', '&lt;', '&#60;', '&copy', '<', '>', '"', "'", '=', '/',
  ' ', '  ', '\n', '\t', '\r', '\r\n', '\f', '\v', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u200b',
  '\u0000', '\u0007', '\u007f', '\ud800', '\udc00', '😀', 'text', 'Plain words.', '“Quoted,” said he.',
  'Ünïcödé', 'مذاکره', 'x'.repeat(40),
];

/** Plain bodies, then the same with one piece put in, swapped or taken out somewhere. */
function generated(count: number, next: () => number): string[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const text = () => pick(['Plain words.', '“Quoted,” said he.', 'Ünïcödé مذاکره 😀', 'a', ' a ', 'x'.repeat(40)]);
  const block = () => {
    const kind = next();
    if (kind < 0.6) return `<p>${text()}</p>`;
    if (kind < 0.8) return `<blockquote>${pick(['', '\n'])}<p>${text()}</p>${pick(['', '\n', '<p>More.</p>'])}</blockquote>`;
    return `<${pick(['h2', 'h3', 'h4'])}>${text()}</${pick(['h2', 'h2', 'h3', 'h4'])}>`;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const blocks = Array.from({ length: 1 + Math.floor(next() * 4) }, block);
    let body = blocks.join(pick(['', '\n', '\n\n', ' ', '\t']));
    const edits = Math.floor(next() * 3);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(next() * (body.length + 1));
      const cut = next() < 0.3 ? 1 + Math.floor(next() * 4) : 0;
      body = body.slice(0, at) + (next() < 0.8 ? pick(PIECES) : '') + body.slice(at + cut);
    }
    out.push(body);
  }
  return out;
}

test('generated plain bodies and near-misses: the same output as the parser, every one', () => {
  const bodies = generated(20_000, random(6));
  let unparsed = 0;
  for (const body of bodies) {
    sameAsParser(body, 'generated');
    if (isPlainBody(body)) unparsed++;
  }
  // The comparison means something only if both kinds were seen in numbers.
  assert.ok(unparsed > 3_000 && unparsed < 17_000, `${unparsed} of ${bodies.length} taken by the shortcut`);
});

test('random strings of pieces: the same output as the parser', () => {
  const next = random(28);
  for (let i = 0; i < 20_000; i++) {
    const length = 1 + Math.floor(next() * 12);
    const html = Array.from({ length }, () => PIECES[Math.floor(next() * PIECES.length)]).join('');
    sameAsParser(html, 'random');
  }
});

test('the shortcut refuses attributes, entities, other tags, empty paragraphs and surrounding white space', () => {
  for (const html of [
    '<p onclick="x()">a</p>', '<p>a</p><script>x()</script>', '<p>a &amp; b</p>', '<p>a</p><img src=x onerror=y>',
    '<h1>a</h1>', '<p>a<br>b</p>', '<p>a</p>\n', ' <p>a</p>', '<p> </p>', '<p>a</p><p>\u00a0</p>', '<blockquote></blockquote>',
    '<p>a</p></p>', '<blockquote><p>a</p>', '<p>a\rb</p>', '<P>a</P>', '<h2>a</h3>', '',
  ]) {
    assert.ok(!isPlainBody(html), html);
    sameAsParser(html, 'refused by the shortcut');
  }
  for (const html of ['<p>a</p>', '<h2> </h2>\n<p>“a” — b</p>', '<blockquote>\n<p>a</p>\n<p>b</p>\n</blockquote>']) {
    assert.ok(isPlainBody(html), html);
    sameAsParser(html, 'taken by the shortcut');
  }
});

test('a long body that fails at its very end is refused at once (the expression does not backtrack)', () => {
  const long = '<p>Plain words, plain words.</p>\n'.repeat(60_000);
  const started = performance.now();
  assert.ok(isPlainBody(long.trimEnd()));
  assert.ok(!isPlainBody(`${long}<p>a &amp b</p>`));
  assert.ok(!isPlainBody(`${long}<p>`));
  assert.ok(performance.now() - started < 2_000, `took ${performance.now() - started} ms`);
});
