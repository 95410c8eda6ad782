// How close a cached page is to the limit, and what the limit is made of. On the suite's cached
// database: our server with the page cache on, node:http alone answering the same headers and
// bytes (bench/lib/bare-node.mjs), node:http alone with only the headers nginx would send, and
// nginx serving the same bytes as a file — each pinned to core 0, wrk on core 1, in interleaved
// rounds so that this VM's drift hits all four alike. Besides requests/s it reports the server's
// CPU µs per request (from /proc/<pid>/stat), which drifts less than throughput.
//   node --import tsx bench/hit-ceiling.ts --stories 100000 --rounds 3 --duration 5
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fail, onExit, runCleanups } from './lib/fail.ts';
import { startNginx } from './lib/nginx.ts';
import { CACHE, REFERENCE_PATH, REPO } from './lib/paths.ts';
import { freePort, prepareRun, startServer, waitFor } from './lib/server.ts';
import { checkCores, ensureTools } from './lib/tools.ts';
import { BROWSER_HEADERS, invalid, load } from './lib/wrk.ts';

const { values } = parseArgs({
  options: {
    stories: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
  },
});
const source = join(CACHE, values.stories!, 'dateline.db');
if (!existsSync(source)) fail(`${source} not found; run npm run bench -- --stories ${values.stories} first`);

/** utime + stime of a process, in µs. */
function cpuUs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  // After the name: state is field 3, utime 14 and stime 15 (1-based, man 5 proc).
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;

/** The article as a browser gets it from our cache: status line's headers and the brotli bytes. */
function captured(url: string): Promise<{ headers: Array<[string, string]>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: BROWSER_HEADERS }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => {
        const raw = response.rawHeaders;
        const headers: Array<[string, string]> = [];
        for (let i = 0; i < raw.length; i += 2) {
          // Node writes these itself on every response.
          if (!/^(date|connection|keep-alive)$/i.test(raw[i]!)) headers.push([raw[i]!, raw[i + 1]!]);
        }
        resolve({ headers, body: Buffer.concat(chunks) });
      });
    })
      .on('error', reject)
      .end();
  });
}

async function startBare(responseFile: string): Promise<{ url: string; pid: number; stop: () => void }> {
  const port = await freePort();
  const child = spawn('taskset', ['-c', '0', process.execPath, join(REPO, 'bench', 'lib', 'bare-node.mjs'), responseFile], {
    env: { ...process.env, PORT: String(port) },
    stdio: 'ignore',
  });
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  onExit(stop);
  const url = `http://127.0.0.1:${port}/`;
  await waitFor(url, 'bare node', 10_000, child);
  return { url, pid: child.pid!, stop };
}

interface Row {
  name: string;
  rps: number[];
  cpu: number[];
}

async function main(): Promise<void> {
  checkCores();
  ensureTools(true);
  const dir = mkdtempSync(join(tmpdir(), 'dateline-ceiling-'));
  // nginx's worker runs as another user and must read the files.
  chmodSync(dir, 0o755);
  onExit(() => rmSync(dir, { recursive: true, force: true }));
  const { database, token } = prepareRun(source, join(dir, 'run'));
  const server = await startServer({ database, token, dir: join(dir, 'run'), pageCache: 'on' });
  const article = `${server.origin}${REFERENCE_PATH}`;
  const ours = await captured(article);
  if (!ours.headers.some(([k, v]) => k.toLowerCase() === 'x-cache' && v === 'hit')) await captured(article);
  const hit = await captured(article);
  const encoding = hit.headers.find(([k]) => k.toLowerCase() === 'content-encoding')?.[1];
  const same = join(dir, 'same.json');
  const minimal = join(dir, 'minimal.json');
  writeFileSync(same, JSON.stringify({ headers: hit.headers, body: hit.body.toString('base64') }));
  const few = hit.headers.filter(([k]) => /^content-(type|encoding|length)$/i.test(k));
  writeFileSync(minimal, JSON.stringify({ headers: few, body: hit.body.toString('base64') }));
  const bareSame = await startBare(same);
  const bareMinimal = await startBare(minimal);
  const nginx = await startNginx(article, join(dir, 'nginx'));

  const targets = [
    { name: `Dateline, page cache hit (${hit.headers.length} headers)`, url: article, pid: server.pid },
    { name: `node:http alone, the same ${hit.headers.length} headers and bytes`, url: bareSame.url, pid: bareSame.pid },
    { name: `node:http alone, ${few.length} headers (content-*), same bytes`, url: bareMinimal.url, pid: bareMinimal.pid },
    { name: 'nginx, the same bytes as a static file', url: nginx.url, pid: nginx.pid },
  ];
  const rows: Row[] = targets.map((t) => ({ name: t.name, rps: [], cpu: [] }));
  const options = { duration: Number(values.duration), warmup: Number(values.warmup), connections: Number(values.connections) };
  console.log(`Article ${REFERENCE_PATH}: ${hit.body.length} bytes (${encoding}), ${hit.headers.map(([k]) => k).join(', ')}`);
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const [i, target] of targets.entries()) {
      const before = cpuUs(target.pid);
      const figures = await load(target.url, options);
      const why = invalid(figures);
      if (why) fail(`${target.name}: ${why}`);
      // The warm-up's requests are in the CPU time too: count them from the whole interval.
      const used = cpuUs(target.pid) - before;
      const total = figures.requests + Math.round(figures.requestsPerSecond * options.warmup);
      rows[i]!.rps.push(figures.requestsPerSecond);
      rows[i]!.cpu.push(used / total);
      console.log(`round ${round}  ${target.name.padEnd(58)} ${String(figures.requestsPerSecond).padStart(7)} req/s  p99 ${figures.p99Ms} ms  ${(used / total).toFixed(1)} CPU µs/req`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const nginxRow = rows.at(-1)!;
  console.log('\nmedians (ratio to nginx: req/s, and nginx CPU µs ÷ this one\'s)');
  for (const row of rows) {
    const rps = median(row.rps);
    const cpu = median(row.cpu);
    console.log(`${row.name.padEnd(58)} ${String(rps).padStart(7)} req/s  ${cpu.toFixed(1).padStart(5)} µs/req  ${(rps / median(nginxRow.rps)).toFixed(2)} × / ${(median(nginxRow.cpu) / cpu).toFixed(2)} ×`);
  }
  await nginx.stop();
  bareSame.stop();
  bareMinimal.stop();
  await server.stop();
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`hit-ceiling: ${(error as Error).message}\n`);
    process.exitCode = 1;
  })
  .finally(runCleanups);
