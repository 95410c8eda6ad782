// `npm run bench`: issue 6's benchmark protocol, end to end. See bench/README.md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { readOptions, type Target } from './lib/args.ts';
import { prepareCorpus } from './lib/corpus.ts';
import { BenchError, fail, runCleanups } from './lib/fail.ts';
import { lighthouse } from './lib/lighthouse.ts';
import { nginxBaseline } from './lib/nginx.ts';
import { pageWeight } from './lib/page-weight.ts';
import { CACHE, REFERENCE_PATH, REPO } from './lib/paths.ts';
import { publishToVisible } from './lib/publish.ts';
import { report } from './lib/report.ts';
import type { ModeResults, Results } from './lib/results.ts';
import { prepareRun, startServer } from './lib/server.ts';
import { checkTargets } from './lib/targets.ts';
import { checkCores, ensureTools } from './lib/tools.ts';
import { invalid, load } from './lib/wrk.ts';

/** The most common word of the corpus that is not a stop word (the generator draws from the reference body). */
const SEARCH_WORD = 'iran';
const DESK = 'politics';
const URLS: Record<Target, string> = {
  article: REFERENCE_PATH,
  home: '/',
  desk: `/${DESK}`,
  feed: '/feed.xml',
  search: `/search?q=${SEARCH_WORD}`,
  api: '/api/v1/articles?limit=20',
};

const load1 = () => loadavg().map((n) => n.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  checkCores();
  ensureTools(!options.skipNginx);
  const results: Results = {
    stories: options.stories,
    startedAt: new Date().toISOString(),
    // "-dirty" when the working tree has changes: the figures are then not from that commit alone.
    commit:
      execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim() +
      (execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO, encoding: 'utf8' }).trim() ? '-dirty' : ''),
    suiteCommand: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, loadBefore: load1() },
    protocol: { duration: options.duration, warmup: options.warmup, connections: options.connections, serverCore: 0, loadCore: 1 },
    modes: {},
  };
  const corpus = await prepareCorpus(options.stories, options.reimport);
  results.import = corpus.importFigures;

  const problems: string[] = [];
  const runDir = join(CACHE, 'runs', results.startedAt.replace(/[:.]/g, '-'));
  try {
    for (const mode of options.cache) {
      console.log(`\nPage cache ${mode}: copying the database and starting the server…`);
      const { database, token } = prepareRun(corpus.database, join(runDir, mode));
      const server = await startServer({ database, token, dir: join(runDir, mode), pageCache: mode });
      try {
        const m: ModeResults = { serverCommand: server.command, load: {}, peakRssMbAtStart: server.peakRssMb(), peakRssMbAfter: {}, peakRssMb: 0 };
        results.modes[mode] = m;
        for (const name of options.only) {
          process.stdout.write(`  ${name.padEnd(8)} ${URLS[name]} … `);
          const figures = await load(server.origin + URLS[name], options);
          m.load[name] = figures;
          // The high-water mark after each URL shows which one grows the server.
          m.peakRssMbAfter[name] = server.peakRssMb();
          console.log(`${figures.requestsPerSecond} req/s, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, peak RSS ${m.peakRssMbAfter[name]} MB`);
          const why = invalid(figures);
          if (why) {
            problems.push(`${name} (cache ${mode}): ${why}`);
            console.log(`  !! ${name} (cache ${mode}): ${why}; its figures are not valid`);
          }
        }
        // After the load, so the story does not change what the load measured.
        if (!options.skipPublish) {
          m.publish = await publishToVisible(server, DESK);
          console.log(`  publish → visible (ms): ${JSON.stringify(m.publish.visibleMs)}`);
        }
        if (mode === 'on' || !options.cache.includes('on')) {
          const articleUrl = server.origin + REFERENCE_PATH;
          results.pageWeight = await pageWeight(articleUrl);
          if (!options.skipNginx) {
            console.log('  nginx serving the same article bytes…');
            results.nginx = await nginxBaseline(articleUrl, join(runDir, 'nginx'), options);
            console.log(`  nginx: ${results.nginx.requestsPerSecond} req/s, p99 ${results.nginx.p99Ms} ms (${results.nginx.encoding})`);
          }
          if (!options.skipLighthouse) {
            console.log('  Lighthouse (mobile) on the article page…');
            // Kept after the run (the run directory is removed): the audits say what to fix.
            results.lighthouse = lighthouse(articleUrl, join(CACHE, `lighthouse-${options.stories}.json`));
          }
        }
        m.peakRssMb = server.peakRssMb();
      } finally {
        await server.stop();
      }
    }
  } finally {
    // The copies of a 100,000-story database are large; the corpus and import stay cached.
    rmSync(runDir, { recursive: true, force: true });
  }
  const cached = results.modes.on?.load.article;
  if (cached && results.nginx) results.cachedFractionOfNginx = Math.round((cached.requestsPerSecond / results.nginx.requestsPerSecond) * 100) / 100;
  results.machine.loadAfter = load1();
  results.finishedAt = new Date().toISOString();
  results.targets = checkTargets(results);

  const out = resolve(REPO, options.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  console.log(report(results));
  console.log(`\nResults: ${out}`);
  if (problems.length > 0) fail(`requests failed under load, so these figures are not valid: ${problems.join('; ')}`);
}

main().catch((error: unknown) => {
  runCleanups();
  process.stderr.write(`bench: ${error instanceof BenchError ? error.message : error instanceof Error ? error.message : String(error)}\n`);
  if (!(error instanceof BenchError) && process.env.DEBUG) console.error(error);
  process.exit(1);
});
