// The load generator: wrk pinned to core 1, one thread, N keep-alive connections, headers like a
// browser's. A warm-up run first (its figures are dropped), then the measured run.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fail } from './fail.ts';
import { REPO } from './paths.ts';

export interface LoadFigures {
  url: string;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  /** Mean bytes per response, headers included, as wrk counts them. */
  bytesPerResponse: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  /** Requests that failed (socket errors, timeouts, status ≥ 400): must be 0 for valid figures. */
  failed: number;
  command: string;
}

/** Why a run's figures cannot be used, or undefined when they can. */
export function invalid(f: LoadFigures): string | undefined {
  if (f.failed > 0) return `${f.failed} failed requests (${Object.entries(f.errors).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ')})`;
  if (f.requests === 0) return 'no request completed';
  return undefined;
}

export interface LoadOptions {
  duration: number;
  warmup: number;
  connections: number;
}

const SCRIPT = join(REPO, 'bench', 'wrk-report.lua');
export const BROWSER_HEADERS = { 'Accept-Encoding': 'br, gzip', Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

function wrkArgs(url: string, seconds: number, connections: number): string[] {
  const headers = Object.entries(BROWSER_HEADERS).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  return ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '5s', '-s', SCRIPT, ...headers, url];
}

function runWrk(args: string[]): ReturnType<typeof JSON.parse> {
  const result = spawnSync('taskset', args, { encoding: 'utf8' });
  if (result.status !== 0) fail(`wrk failed on ${args.at(-1)}: ${(result.stderr || result.stdout).trim().split('\n').at(-1)}`);
  const line = result.stdout.split('\n').find((l) => l.startsWith('BENCH_JSON '));
  if (!line) fail(`wrk printed no figures for ${args.at(-1)}`);
  return JSON.parse(line.slice('BENCH_JSON '.length));
}

const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

export async function load(url: string, options: LoadOptions): Promise<LoadFigures> {
  // A wrong URL would be measured as a fast error page: check it answers 200 first.
  const probe = await fetch(url, { headers: BROWSER_HEADERS });
  await probe.arrayBuffer();
  if (probe.status !== 200) fail(`${url} answers ${probe.status}, not 200`);
  if (options.warmup > 0) {
    runWrk(wrkArgs(url, options.warmup, options.connections));
    // wrk closes its connections at the end, but the server still works through the requests
    // it had accepted; one more request returns once that backlog is gone.
    await (await fetch(url, { headers: BROWSER_HEADERS })).arrayBuffer();
  }
  const args = wrkArgs(url, options.duration, options.connections);
  const raw = runWrk(args);
  const errors = raw.errors as LoadFigures['errors'];
  const failed = errors.connect + errors.read + errors.write + errors.status + errors.timeout;
  // A failed or empty run is returned, not thrown: the other URLs are still worth measuring on a
  // long run. The caller reports it loudly and the suite exits non-zero (see `invalid`).
  const ms = (us: number) => Math.round(us / 10) / 100;
  return {
    url,
    requestsPerSecond: Math.round(raw.requests / (raw.durationUs / 1e6)),
    p50Ms: ms(raw.p50Us),
    p90Ms: ms(raw.p90Us),
    p99Ms: ms(raw.p99Us),
    maxMs: ms(raw.maxUs),
    requests: raw.requests,
    bytesPerResponse: raw.requests === 0 ? 0 : Math.round(raw.bytes / raw.requests),
    errors,
    failed,
    command: `taskset ${args.map(quote).join(' ')}`,
  };
}
