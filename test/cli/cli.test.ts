// The `dateline` command as a user runs it: a real process, a real SQLite file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/dateline.js');
let dir: string;
let env: NodeJS.ProcessEnv;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'dateline-cli-'));
  env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'cli.db')}`, LOG_LEVEL: 'silent' };
});
after(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], input?: string, extraEnv: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [bin, ...args], { cwd: root, env: { ...env, ...extraEnv }, input, encoding: 'utf8' });

test('--help lists every command', () => {
  const res = run(['--help']);
  assert.equal(res.status, 0);
  for (const command of ['serve', 'migrate', 'user', 'import', 'messages']) assert.match(res.stdout, new RegExp(`\\b${command}\\b`));
  assert.equal(run(['user', '--help']).status, 0);
  assert.match(run(['serve', '--help']).stdout, /--no-demo/);
});

test('migrate, then user add / list / passwd', () => {
  assert.match(run(['migrate']).stdout, /Applied \d+ migration|up to date/);
  assert.match(run(['migrate']).stdout, /up to date/);

  const added = run(['user', 'add', 'Editor@Example.com', '--role', 'desk_editor']);
  assert.equal(added.status, 0, added.stderr);
  assert.match(added.stdout, /Created editor@example\.com \(desk_editor\)/);
  assert.match(added.stdout, /http:\/\/127\.0\.0\.1:3000\/setup\/[\w-]{20,}/);

  const listed = run(['user', 'list']);
  assert.match(listed.stdout, /editor@example\.com\s+desk_editor\s+not set/);

  const passwd = run(['user', 'passwd', 'editor@example.com'], 'a long passphrase here\n');
  assert.equal(passwd.status, 0, passwd.stderr);
  assert.match(passwd.stdout, /Password set for editor@example\.com/);
  assert.match(run(['user', 'list']).stdout, /editor@example\.com\s+desk_editor\s+set/);
  assert.match(run(['user', 'passwd', 'editor@example.com', '--link']).stdout, /\/setup\//);
});

test('mistakes give one line on stderr and exit 1', () => {
  for (const [args, message, input] of [
    [['user', 'add', 'not-an-email'], /not an email address/],
    [['user', 'add', 'x@example.com', '--role', 'emperor'], /role must be one of/],
    [['user', 'add', 'editor@example.com', '--role', 'admin'], /exists already/],
    [['user', 'passwd', 'nobody@example.com'], /no account/],
    [['user', 'passwd', 'editor@example.com'], /at least 12 characters/, 'short\n'],
    [['user', 'add', 'p@example.com', '--person', 'nobody'], /no person has the slug/],
  ] as Array<[string[], RegExp, string?]>) {
    const res = run(args, input);
    assert.equal(res.status, 1, args.join(' '));
    assert.match(res.stderr, message);
    assert.match(res.stderr, /^dateline: [^\n]+\n$/, 'exactly one line');
  }
  const badConfig = run(['migrate'], undefined, { PORT: 'eighty' });
  assert.equal(badConfig.status, 1);
  assert.match(badConfig.stderr, /^dateline: Configuration error: PORT must be a whole number/);
  const unknown = run(['frobnicate']);
  assert.notEqual(unknown.status, 0);
  assert.match(unknown.stderr, /unknown command/);
});

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

test('serve seeds the demo on first run, prints the set-up link, serves the reference story and stops on SIGTERM', async () => {
  const port = await freePort();
  const fresh = `sqlite:${join(dir, 'serve.db')}`;
  const child = spawn(process.execPath, [bin, 'serve'], { cwd: root, env: { ...env, DATABASE_URL: fresh, PORT: String(port) } });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const deadline = Date.now() + 30_000;
  while (!out.includes('Set the owner') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  try {
    assert.match(out, new RegExp(`Dateline is serving http://127\\.0\\.0\\.1:${port}/`));
    assert.match(out, /Seeded the demo newsroom: 8 desks, 9 people, 10 stories/);
    assert.match(out, /Set the owner's password \(owner@localhost\) once, here: http:\/\/127\.0\.0\.1:\d+\/setup\//);
    const res = await fetch(`http://127.0.0.1:${port}/politics/no-talks-to-be-held-with-us-at-any-level-iran-leader`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /IFP Exclusive/);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0);
});
