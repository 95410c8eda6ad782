// The readable summary printed at the end of a run.
import type { Results } from './results.ts';

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // Figures right-aligned so digits line up; words left-aligned.
  const line = (cells: string[]) => cells.map((c, i) => (/^[\d.,>]+$/.test(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function report(r: Results): string {
  const out: string[] = [];
  out.push(`\n${r.stories.toLocaleString('en')} stories · ${r.protocol.connections} connections · ${r.protocol.duration} s after ${r.protocol.warmup} s warm-up · server on core ${r.protocol.serverCore}, wrk on core ${r.protocol.loadCore}`);
  out.push(`machine: ${r.machine.cores} cores, ${r.machine.cpu}, load ${r.machine.loadBefore} → ${r.machine.loadAfter ?? '?'}\n`);
  const names = [...new Set(Object.values(r.modes).flatMap((m) => Object.keys(m?.load ?? {})))];
  const rows: string[][] = [];
  for (const name of names) {
    for (const mode of ['off', 'on'] as const) {
      const f = r.modes[mode]?.load[name];
      if (f) rows.push([`${name} (cache ${mode})${f.failed > 0 || f.requests === 0 ? ' NOT VALID' : ''}`, String(f.requestsPerSecond), f.p50Ms.toFixed(2), f.p99Ms.toFixed(2), String(f.bytesPerResponse)]);
    }
  }
  if (r.nginx) rows.push([`nginx static article (${r.nginx.encoding})`, String(r.nginx.requestsPerSecond), r.nginx.p50Ms.toFixed(2), r.nginx.p99Ms.toFixed(2), String(r.nginx.bytesPerResponse)]);
  if (rows.length) out.push(table(['URL', 'req/s', 'p50 ms', 'p99 ms', 'bytes/resp'], rows));
  if (r.cachedFractionOfNginx !== undefined) out.push(`\ncached article = ${r.cachedFractionOfNginx.toFixed(2)} × nginx`);

  const publishRows = (['off', 'on'] as const).flatMap((mode) => {
    const p = r.modes[mode]?.publish;
    return p ? [[`cache ${mode}`, String(p.publishRequestMs), ...Object.values(p.visibleMs).map((v) => (v === null ? '>10000' : String(v)))]] : [];
  });
  const surfaces = Object.keys(r.modes.off?.publish?.visibleMs ?? r.modes.on?.publish?.visibleMs ?? {});
  if (publishRows.length) out.push(`\npublish → visible, ms from sending the publish request:\n${table(['', 'publish', ...surfaces], publishRows)}`);

  const rss = (['off', 'on'] as const).flatMap((m) => {
    const mode = r.modes[m];
    if (!mode) return [];
    const steps = Object.entries(mode.peakRssMbAfter).map(([name, mb]) => `${name} ${mb}`);
    return [`cache ${m}: ${mode.peakRssMb} MB (at start ${mode.peakRssMbAtStart}; after ${steps.join(', ')})`];
  });
  if (rss.length) out.push(`\npeak RSS (VmHWM): ${rss.join(', ')}`);
  if (r.import) out.push(`import: ${r.import.storiesPerSecond} stories/s (${r.import.importSeconds} s; ${r.import.wallSeconds} s with start-up)${r.import.cached ? `, reused from ${r.import.at}` : ''}`);
  if (r.pageWeight) {
    const w = r.pageWeight;
    out.push(`article page: HTML ${w.htmlBytes} B (inline CSS ${w.inlineCssBytes} B) + linked CSS ${w.linkedCssBytes} B = ${w.htmlPlusCssBytes} B; render-blocking scripts: ${w.renderBlockingScripts.length}; images ${w.images}`);
  }
  if (r.lighthouse) out.push(`Lighthouse ${r.lighthouse.version} mobile: performance ${r.lighthouse.performance}, accessibility ${r.lighthouse.accessibility}, best practices ${r.lighthouse.bestPractices}, SEO ${r.lighthouse.seo}${r.lighthouse.failing.length ? `; below 1: ${r.lighthouse.failing.join(', ')}` : ''}`);
  if (r.targets) {
    out.push('');
    out.push(table(['target', 'figure', 'met'], r.targets.map((t) => [t.target, t.figure, t.met === null ? '—' : t.met ? 'yes' : 'NO'])));
  }
  return out.join('\n');
}
