import { paths } from '../paths.ts';
import { monthName } from './format.ts';
import { Layout, type Chrome } from './layout.tsx';
import { dateTimeFormat } from '../../newsroom/intl.ts';

interface Month {
  year: number;
  month: number;
}

/** Months from the oldest story to now, newest first, in the newsroom's time zone. */
export function archiveMonths(oldestIso: string | null, nowIso: string, timeZone: string): Month[] {
  if (!oldestIso) return [];
  const ym = (iso: string) => {
    const parts = dateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(new Date(iso));
    return { year: Number(parts.find((p) => p.type === 'year')?.value), month: Number(parts.find((p) => p.type === 'month')?.value) };
  };
  const first = ym(oldestIso);
  const last = ym(nowIso);
  const out: Month[] = [];
  for (let y = last.year, m = last.month; y > first.year || (y === first.year && m >= first.month); m === 1 ? ((m = 12), y--) : m--) {
    out.push({ year: y, month: m });
    if (out.length > 1200) break;
  }
  return out;
}

export function ArchiveIndexPage({ chrome, oldest, now }: { chrome: Chrome; oldest: string | null; now: string }) {
  const months = archiveMonths(oldest, now, chrome.locale.timeZone);
  const years = [...new Set(months.map((m) => m.year))];
  return (
    <Layout chrome={chrome} meta={{ title: 'Archive', description: `Every story ${chrome.siteName} has published, month by month.`, canonical: paths.archive() }}>
      <header class="page-header">
        <h1>Archive</h1>
        <p>Every story we have published, month by month.</p>
      </header>
      {years.length === 0 ? <p class="empty">Nothing has been published yet.</p> : null}
      <div class="staff-desks">
        {years.map((year) => (
          <section class="card" key={year} aria-labelledby={`archive-${year}`}>
            <h2 id={`archive-${year}`}>
              <a href={paths.archive(year)}>{year}</a>
            </h2>
            <ul class="contacts">
              {months
                .filter((m) => m.year === year)
                .map((m) => (
                  <li key={m.month}>
                    <a href={paths.archive(m.year, m.month)}>{monthName(m.year, m.month, chrome.locale.language)}</a>
                  </li>
                ))}
            </ul>
          </section>
        ))}
      </div>
    </Layout>
  );
}
