import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../src/config.ts';

test('defaults give a working local site on SQLite', () => {
  const config = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.databaseUrl, 'sqlite:./data/dateline.db');
  assert.equal(config.siteUrl, 'http://127.0.0.1:3000');
  assert.equal(config.timeZone, 'UTC');
  assert.equal(config.demo, true);
});

test('values are read and checked', () => {
  const config = loadConfig({ PORT: '8080', SITE_URL: 'https://news.example/', TZ: 'Asia/Tehran', DATELINE_DEMO: 'false', SITE_LANGUAGE: 'fa-ir' });
  assert.equal(config.port, 8080);
  assert.equal(config.siteUrl, 'https://news.example');
  assert.equal(config.timeZone, 'Asia/Tehran');
  assert.equal(config.demo, false);
  assert.equal(config.language, 'fa-IR');
});

test('bad values stop the boot with the variable named', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), (e: unknown) => e instanceof ConfigError && /PORT/.test(e.message));
  assert.throws(() => loadConfig({ TZ: 'Mars/Olympus' }), /TZ/);
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
  assert.throws(() => loadConfig({ DATELINE_DEMO: 'maybe' }), /DATELINE_DEMO/);
  assert.throws(() => loadConfig({ SITE_URL: 'ftp://x' }), /SITE_URL/);
  assert.throws(() => loadConfig({ DATABASE_URL_FILE: '/nonexistent/secret' }), /DATABASE_URL_FILE/);
});
