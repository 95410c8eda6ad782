// The suite's command-line options, parsed once with node:util so a typo stops the run at once.
import { parseArgs } from 'node:util';
import { fail } from './fail.ts';

export const TARGETS = ['article', 'home', 'desk', 'feed', 'search', 'api'] as const;
export type Target = (typeof TARGETS)[number];

export interface Options {
  stories: number;
  duration: number;
  warmup: number;
  connections: number;
  only: Target[];
  skipNginx: boolean;
  skipLighthouse: boolean;
  skipPublish: boolean;
  cache: Array<'off' | 'on'>;
  reimport: boolean;
  out: string;
}

const USAGE = `usage: npm run bench -- [--stories 1000|100000|1000000] [--duration 20] [--warmup 5]
  [--connections 32] [--only article,home,desk,feed,search,api] [--cache off,on]
  [--skip-nginx] [--skip-lighthouse] [--skip-publish] [--reimport] [--out bench/results/NAME.json]`;

function positive(name: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) fail(`--${name} must be a whole number ≥ 1, got "${value}"\n${USAGE}`);
  return Number(value);
}

export function readOptions(argv: string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        stories: { type: 'string', default: '1000' },
        duration: { type: 'string', default: '20' },
        warmup: { type: 'string', default: '5' },
        connections: { type: 'string', default: '32' },
        only: { type: 'string', default: TARGETS.join(',') },
        cache: { type: 'string', default: 'off,on' },
        'skip-nginx': { type: 'boolean', default: false },
        'skip-lighthouse': { type: 'boolean', default: false },
        'skip-publish': { type: 'boolean', default: false },
        reimport: { type: 'boolean', default: false },
        out: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  const v = parsed.values;
  if (v.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const only = v.only.split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of only) if (!(TARGETS as readonly string[]).includes(name)) fail(`--only: unknown URL "${name}"; choose from ${TARGETS.join(', ')}`);
  const cache = v.cache.split(',').map((s) => s.trim()).filter(Boolean);
  for (const mode of cache) if (mode !== 'off' && mode !== 'on') fail(`--cache: "${mode}" is neither off nor on`);
  const stories = positive('stories', v.stories);
  return {
    stories,
    duration: positive('duration', v.duration),
    warmup: Number(v.warmup) === 0 ? 0 : positive('warmup', v.warmup),
    connections: positive('connections', v.connections),
    only: only as Target[],
    cache: cache as Array<'off' | 'on'>,
    skipNginx: v['skip-nginx'],
    skipLighthouse: v['skip-lighthouse'],
    skipPublish: v['skip-publish'],
    reimport: v.reimport,
    out: v.out ?? `bench/results/${stories}-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.json`,
  };
}
