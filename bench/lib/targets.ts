// Issue 6's targets, checked against one run's figures. A target that needs a figure this run
// did not take (a size not run, a step skipped) says so instead of passing or failing.
import type { Results } from './results.ts';
import { invalid, type LoadFigures } from './wrk.ts';

export interface TargetCheck {
  target: string;
  figure: string;
  met: boolean | null;
}

export function checkTargets(r: Results): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const add = (target: string, figure: string | undefined, met: boolean | undefined) =>
    checks.push({ target, figure: figure ?? 'not measured', met: figure === undefined || met === undefined ? null : met });
  // Figures from a run with failed requests count as not measured.
  const valid = (mode: 'on' | 'off') => {
    const m = r.modes[mode];
    if (!m) return undefined;
    const load = Object.fromEntries(Object.entries(m.load).filter(([, f]) => f && !invalid(f))) as Partial<Record<string, LoadFigures>>;
    return { ...m, load };
  };
  const on = valid('on');
  const off = valid('off');
  const at100k = r.stories >= 100_000;
  const label = (v: string) => (at100k ? v : `${v} (at ${r.stories.toLocaleString('en')} stories; target is at 100,000)`);

  add('cached article ≥ 0.5 × nginx', r.cachedFractionOfNginx === undefined ? undefined : `${r.cachedFractionOfNginx.toFixed(2)} × nginx`, r.cachedFractionOfNginx !== undefined && r.cachedFractionOfNginx >= 0.5);
  add('cached article p99 < 10 ms', on?.load.article && `${on.load.article.p99Ms} ms`, on?.load.article && on.load.article.p99Ms < 10);
  add('uncached article ≥ 3,200 req/s (100,000 stories)', off?.load.article && label(`${off.load.article.requestsPerSecond} req/s`), off?.load.article && off.load.article.requestsPerSecond >= 3200);
  for (const [mode, m] of [['uncached', off], ['cached', on]] as const) {
    add(`search p99 < 50 ms (100,000 stories, ${mode})`, m?.load.search && label(`${m.load.search.p99Ms} ms`), m?.load.search && m.load.search.p99Ms < 50);
  }
  for (const [mode, m] of [['uncached', off], ['cached', on]] as const) {
    const times = m?.publish ? Object.values(m.publish.visibleMs) : undefined;
    const worst = times && (times.includes(null) ? null : Math.max(...(times as number[])));
    add(`publish → visible everywhere < 1 s (${mode})`, times && (worst === null ? 'not within 10 s on some surface' : `${worst} ms`), times && worst !== null && worst! < 1000);
  }
  const rss = Math.max(...Object.values(r.modes).map((m) => m?.peakRssMb ?? 0));
  add('peak RSS < 200 MB (100,000 stories)', rss > 0 ? label(`${rss} MB`) : undefined, rss > 0 && rss < 200);
  add('import ≥ 2,000 stories/s', r.import && `${r.import.storiesPerSecond} stories/s${r.import.cached ? ' (earlier import, reused)' : ''}`, r.import && r.import.storiesPerSecond >= 2000);
  const w = r.pageWeight;
  add('article HTML + CSS < 50 KB', w && `${(w.htmlPlusCssBytes / 1024).toFixed(1)} KB`, w && w.htmlPlusCssBytes < 50 * 1024);
  add('no render-blocking script', w && (w.renderBlockingScripts.join(', ') || 'none'), w && w.renderBlockingScripts.length === 0);
  add('images lazy, sizes set', w && `${w.images} images; ${w.imagesWithoutLazy.length} not lazy, ${w.imagesWithoutSizes.length} without sizes`, w && w.imagesWithoutLazy.length === 0 && w.imagesWithoutSizes.length === 0);
  const lh = r.lighthouse;
  add('Lighthouse mobile 100/100/100/100', lh && `${lh.performance}/${lh.accessibility}/${lh.bestPractices}/${lh.seo}`, lh && lh.performance === 100 && lh.accessibility === 100 && lh.bestPractices === 100 && lh.seo === 100);
  return checks;
}
