// One Dateline server for one run: a private copy of the imported database (the publish test
// writes to it), an admin account with an API token, and `dateline serve` pinned to core 0.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fail, onExit } from './fail.ts';
import { CLI, REPO } from './paths.ts';

export interface Server {
  origin: string;
  pid: number;
  token: string;
  command: string;
  /** Peak resident set (VmHWM) so far, in MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

const BENCH_EMAIL = 'bench@localhost';
const SERVE_FLAGS = ['--max-semi-space-size=2'];

function cli(database: string, args: string[]): string {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: `sqlite:${database}`, DATELINE_DEMO: 'false', LOG_LEVEL: 'warn' },
  });
  if (result.status !== 0) fail(`dateline ${args.join(' ')} failed: ${(result.stderr || result.stdout).trim().split('\n').at(-1)}`);
  return result.stdout;
}

/** Copies the database and gives it an admin token, so the publish test can use the newsroom API. */
export function prepareRun(sourceDatabase: string, dir: string): { database: string; token: string } {
  mkdirSync(dir, { recursive: true });
  const database = join(dir, 'dateline.db');
  copyFileSync(sourceDatabase, database);
  cli(database, ['user', 'add', BENCH_EMAIL, '--role', 'admin']);
  const token = /^(dl_\S+)$/m.exec(cli(database, ['token', 'create', BENCH_EMAIL, '--name', 'benchmark']))?.[1];
  if (!token) fail('dateline token create printed no token');
  return { database, token };
}

/** A free TCP port from the kernel. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  if (!kb) fail(`no VmHWM in /proc/${pid}/status`);
  return Math.round(Number(kb) / 1024);
}

export async function waitFor(url: string, what: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) fail(`${what} exited with ${child.exitCode} before answering ${url}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  fail(`${what} did not answer ${url} within ${timeoutMs / 1000} s`);
}

export async function startServer(opts: { database: string; token: string; dir: string; pageCache: 'on' | 'off' }): Promise<Server> {
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite:${opts.database}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DATELINE_DEMO: 'false',
    // Read by the page cache (built on main); ignored by a server without one.
    DATELINE_PAGE_CACHE: opts.pageCache,
    MEDIA_DIR: join(opts.dir, 'media'),
    // As `npm start` runs it (package.json), so memory is measured as deployed.
    MALLOC_ARENA_MAX: '2',
  };
  // The V8 flag `npm start` gives the server (package.json), so memory is measured as deployed.
  const args = ['-c', '0', process.execPath, ...SERVE_FLAGS, CLI, 'serve', '--no-demo'];
  const command = `DATABASE_URL=sqlite:… PORT=${port} LOG_LEVEL=warn DATELINE_PAGE_CACHE=${opts.pageCache} MALLOC_ARENA_MAX=2 taskset ${args.join(' ')}`;
  // taskset execs node, so the child's pid is the server's own (its /proc status is the server's).
  const child = spawn('taskset', args, { cwd: REPO, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const kill = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  onExit(kill);
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${origin}/health`, 'the server', 60_000, child);
  } catch (error) {
    kill();
    throw new Error(`${(error as Error).message}${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`);
  }
  if (!child.pid) fail('the server has no pid');
  const pid = child.pid;
  return {
    origin,
    pid,
    token: opts.token,
    command,
    peakRssMb: () => peakRssMb(pid),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(12_000)]);
      kill();
      if (stderr.trim()) console.log(`  server stderr (last lines): ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
    },
  };
}
