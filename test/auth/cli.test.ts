// `dateline token create / list / revoke`, run in-process against each database.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { eachDatabase } from '../helpers/databases.ts';
import type { Db } from '../../src/db/connection.ts';
import { registerToken } from '../../src/cli/token.ts';
import { authenticateApiToken } from '../../src/newsroom/auth/tokens.ts';
import { makeUser } from './factories.ts';

/** Runs `dateline token …` with the given database; returns what it printed. */
async function dateline(url: string, args: string[]): Promise<{ out: string; error?: Error }> {
  const cli = new Command('dateline').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerToken(cli);
  const lines: string[] = [];
  const log = console.log;
  const saved = process.env.DATABASE_URL;
  console.log = (...parts: unknown[]) => void lines.push(parts.join(' '));
  process.env.DATABASE_URL = url;
  try {
    await cli.parseAsync(['node', 'dateline', ...args]);
    return { out: lines.join('\n') };
  } catch (error) {
    return { out: lines.join('\n'), error: error as Error };
  } finally {
    console.log = log;
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
}

eachDatabase('dateline token', (kind) => {
  let db: Db;
  let url: string;
  let dispose: () => Promise<void>;
  before(async () => ({ db, url, dispose } = await kind.create()));
  after(() => dispose());

  test('create prints the secret once; list shows no secrets; revoke stops it', async () => {
    await makeUser(db.kysely, { email: 'script@example.com', role: 'desk_editor' });
    const created = await dateline(url, ['token', 'create', 'Script@Example.com', '--name', 'nightly import']);
    assert.equal(created.error, undefined);
    const secret = created.out.match(/^(dl_[\w-]+)$/m)?.[1];
    assert.ok(secret, created.out);
    assert.match(created.out, /"nightly import" for script@example\.com \(desk_editor\)/);
    assert.ok(await authenticateApiToken(db.kysely, secret));

    const listed = await dateline(url, ['token', 'list']);
    assert.match(listed.out, /script@example\.com\s+nightly import\s+\S+\s+used/);
    assert.ok(!listed.out.includes(secret));
    assert.match((await dateline(url, ['token', 'list', 'script@example.com'])).out, /nightly import/);

    const id = created.out.match(/^Token (\d+)/)?.[1];
    assert.ok(id);
    assert.match((await dateline(url, ['token', 'revoke', id])).out, new RegExp(`Revoked token ${id} "nightly import"`));
    assert.equal(await authenticateApiToken(db.kysely, secret), undefined);
    assert.match((await dateline(url, ['token', 'list'])).out, /revoked/);
  });

  test('mistakes are clear', async () => {
    assert.match((await dateline(url, ['token', 'create', 'nobody@example.com', '--name', 'x'])).error?.message ?? '', /no account has the email/);
    assert.match((await dateline(url, ['token', 'revoke', 'abc'])).error?.message ?? '', /not a token id/);
    assert.match((await dateline(url, ['token', 'revoke', '99999'])).error?.message ?? '', /API token was not found/);
    assert.match((await dateline(url, ['token', 'list', 'nobody@example.com'])).error?.message ?? '', /no account/);
    await makeUser(db.kysely, { email: 'blank@example.com' });
    assert.match((await dateline(url, ['token', 'create', 'blank@example.com', '--name', ' '])).error?.message ?? '', /Give the token a name/);
  });
});
