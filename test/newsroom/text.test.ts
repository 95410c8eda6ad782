import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { excerpt, isSlug, slugify, textFromHtml } from '../../src/newsroom/text.ts';
import { RECENT_STORIES } from '../../src/newsroom/demo/stories.ts';

test('slugify keeps letters and digits of any script, folds Latin accents, joins with single hyphens', () => {
  assert.equal(slugify('No Talks to Be Held with US at Any Level: Iran Leader'), 'no-talks-to-be-held-with-us-at-any-level-iran-leader');
  assert.equal(slugify('Iran’s National 7-a-Side football'), 'irans-national-7-a-side-football');
  assert.equal(slugify('Café  Zürich -- Ünïcode!'), 'cafe-zurich-unicode');
  assert.equal(slugify('مذاکره با آمریکا'), 'مذاکره-با-آمریکا');
  assert.equal(slugify('  ***  '), '');
});

test('slugify cuts long titles at a hyphen', () => {
  const slug = slugify('word '.repeat(40), 30);
  assert.ok(slug.length <= 30);
  assert.ok(!slug.endsWith('-'));
  assert.match(slug, /^word(-word)*$/);
});

test('isSlug accepts what slugify makes and refuses the rest', () => {
  assert.ok(isSlug('politics'));
  assert.ok(isSlug('a-b-1'));
  assert.ok(isSlug(slugify('مذاکره با آمریکا')));
  for (const bad of ['', 'A', 'a--b', '-a', 'a-', 'a b', 'a/b', '../x', 'x'.repeat(201)]) assert.ok(!isSlug(bad), bad);
});

test('excerpts reproduce the reference page: 15 words at most, cut at a word, ending in …', () => {
  const reference = JSON.parse(readFileSync(new URL('../../../shared/reference/reference-page.json', import.meta.url), 'utf8')) as {
    recentPosts: Array<{ title: string; excerpt: string }>;
  };
  for (const post of reference.recentPosts) {
    const story = RECENT_STORIES.find((s) => s.headline === post.title);
    assert.ok(story, post.title);
    assert.equal(excerpt(textFromHtml(story.bodyHtml)), post.excerpt);
  }
});

test('excerpts stay about 100 characters and keep short texts whole', () => {
  assert.equal(excerpt('Short text.'), 'Short text.');
  const long = excerpt('Supercalifragilistic '.repeat(20));
  assert.ok(long.length <= 111, long);
  assert.ok(long.endsWith('…'));
  assert.ok(!/\s…$/.test(long));
  assert.equal(excerpt('x'.repeat(500)).length, 110);
  assert.equal(excerpt('one, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve, thirteen, fourteen, fifteen, sixteen'), 'one, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve, thirteen, fourteen, fifteen…');
});

test('textFromHtml drops tags and scripts and decodes entities', () => {
  assert.equal(textFromHtml('<p>A &amp; B</p><p>C&nbsp;D</p><script>alert(1)</script>'), 'A & B C\u00a0D'.replace(/\s/g, ' '));
});
