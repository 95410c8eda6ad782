// The shape of one run's results, as written to the JSON file.
import type { ImportFigures } from './corpus.ts';
import type { LighthouseFigures } from './lighthouse.ts';
import type { NginxFigures } from './nginx.ts';
import type { PageWeight } from './page-weight.ts';
import type { PublishFigures } from './publish.ts';
import type { TargetCheck } from './targets.ts';
import type { LoadFigures } from './wrk.ts';

export interface ModeResults {
  serverCommand: string;
  load: Partial<Record<string, LoadFigures>>;
  publish?: PublishFigures;
  /** VmHWM once the server answers /health, before any load. */
  peakRssMbAtStart: number;
  /** VmHWM after each URL's load, in the order run. */
  peakRssMbAfter: Record<string, number>;
  /** VmHWM of the server process at the end of the mode's runs. */
  peakRssMb: number;
}

export interface Results {
  stories: number;
  startedAt: string;
  finishedAt?: string;
  commit: string;
  suiteCommand: string;
  machine: { cores: number; cpu: string; memoryGb: number; node: string; loadBefore: string; loadAfter?: string };
  protocol: { duration: number; warmup: number; connections: number; serverCore: number; loadCore: number };
  import?: ImportFigures;
  modes: Partial<Record<'off' | 'on', ModeResults>>;
  nginx?: NginxFigures;
  cachedFractionOfNginx?: number;
  pageWeight?: PageWeight;
  lighthouse?: LighthouseFigures;
  targets?: TargetCheck[];
}
