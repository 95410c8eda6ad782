import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relativeTime } from '../../src/newsroom/relative-time.ts';

const now = new Date('2026-11-28T12:00:00Z');
const ago = (minutes: number) => relativeTime(new Date(now.getTime() - minutes * 60_000), now);

test('the reference page ages read as on the reference page', () => {
  assert.equal(ago(20), '20 minutes ago');
  assert.equal(ago(120), '2 hours ago');
  assert.equal(ago(125), '2 hours ago');
  assert.equal(ago(420), '7 hours ago');
  assert.equal(ago(900), '15 hours ago');
  assert.equal(ago(905), '15 hours ago');
});

test('small, large and future distances', () => {
  assert.equal(ago(0), 'now');
  assert.equal(ago(1), '1 minute ago');
  assert.equal(ago(59), '59 minutes ago');
  assert.equal(ago(60), '1 hour ago');
  assert.equal(ago(24 * 60), 'yesterday');
  assert.equal(ago(3 * 24 * 60), '3 days ago');
  assert.equal(ago(15 * 24 * 60), '2 weeks ago');
  assert.equal(ago(400 * 24 * 60), 'last year');
  assert.equal(ago(-30), 'in 30 minutes');
});

test('other languages', () => {
  assert.equal(relativeTime(new Date(now.getTime() - 20 * 60_000), now, 'de'), 'vor 20 Minuten');
});
