import type { Dashboard, DeskDay } from '../../newsroom/dashboard.ts';
import type { StoryListItem } from '../../newsroom/workflow/queries.ts';
import { AdminLayout, formatWhen, StatusBadge, type AdminChrome } from './layout.tsx';

export interface InboxSummary {
  unread: number;
  latest: Array<{ id: number; subject: string; name: string; deskName: string; createdAt: string }>;
}

function StoryPanel({ title, stories, chrome, empty, when = 'modifiedAt' }: {
  title: string;
  stories: StoryListItem[];
  chrome: AdminChrome;
  empty: string;
  when?: 'modifiedAt' | 'publishedAt';
}) {
  const id = `panel-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <section class="panel" aria-labelledby={id}>
      <h2 id={id}>
        {title} <span class="count">{stories.length}</span>
      </h2>
      {stories.length === 0 ? (
        <p class="empty">{empty}</p>
      ) : (
        <ul class="list">
          {stories.map((s) => (
            <li key={s.id}>
              <a href={`/admin/stories/${s.id}`}>{s.headline}</a>
              <div class="meta">
                <StatusBadge status={s.status} /> {s.deskName} · {formatWhen(when === 'publishedAt' ? s.publishedAt : s.modifiedAt, chrome)}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const COLORS = ['#b0141f', '#0b4f8a', '#1f6b36', '#8a5a00', '#6a3d9a', '#00727a', '#a3376b', '#4a4f59'];

/** Stacked bars: stories published per day, one colour per desk; a table follows for screen readers. */
function PublishedChart({ days, perDesk }: { days: string[]; perDesk: DeskDay[] }) {
  const totals = days.map((_, i) => perDesk.reduce((sum, d) => sum + (d.counts[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const width = 560;
  const height = 180;
  const barWidth = width / days.length - 12;
  return (
    <section class="panel" aria-labelledby="chart-title">
      <h2 id="chart-title">Published, last {days.length} days</h2>
      <svg class="chart" viewBox={`0 0 ${width} ${height + 24}`} role="img" aria-labelledby="chart-title chart-desc">
        <desc id="chart-desc">Stories published per day and desk; the table below has the same numbers.</desc>
        {days.map((day, i) => {
          let y = height;
          return (
            <g key={day}>
              {perDesk.map((desk, d) => {
                const count = desk.counts[i] ?? 0;
                const h = (count / max) * (height - 16);
                y -= h;
                return count ? <rect key={desk.deskId} x={i * (barWidth + 12) + 6} y={y} width={barWidth} height={h} fill={COLORS[d % COLORS.length]} /> : null;
              })}
              <text x={i * (barWidth + 12) + 6 + barWidth / 2} y={height + 16} text-anchor="middle">
                {day.slice(5)}
              </text>
              {totals[i] ? (
                <text x={i * (barWidth + 12) + 6 + barWidth / 2} y={height - ((totals[i] ?? 0) / max) * (height - 16) - 4} text-anchor="middle">
                  {totals[i]}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <ul class="legend" aria-hidden="true">
        {perDesk.map((desk, d) => (
          <li key={desk.deskId}>
            <span class="swatch" style={`background:${COLORS[d % COLORS.length]}`} />
            {desk.deskName}
          </li>
        ))}
      </ul>
      <details>
        <summary>Numbers</summary>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Desk</th>
                {days.map((d) => (
                  <th scope="col" key={d}>
                    {d.slice(5)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {perDesk.map((desk) => (
                <tr key={desk.deskId}>
                  <th scope="row">{desk.deskName}</th>
                  {desk.counts.map((c, i) => (
                    <td key={i}>{c}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

export function DashboardPage({ chrome, data, inbox }: { chrome: AdminChrome; data: Dashboard; inbox: InboxSummary | null }) {
  return (
    <AdminLayout chrome={chrome} title="Dashboard" section="dashboard">
      <div class="page-head">
        <h1>Dashboard</h1>
        <a class="button" href="/admin/stories/new">
          New story
        </a>
      </div>
      <div class="grid two">
        <StoryPanel title="Changes requested of me" stories={data.changesRequested} chrome={chrome} empty="Nothing is waiting for you." />
        <StoryPanel title="My drafts" stories={data.myDrafts} chrome={chrome} empty="No drafts. Start a new story." />
        {data.reviewQueue ? <StoryPanel title="Review queue" stories={data.reviewQueue} chrome={chrome} empty="No story waits for review." /> : null}
        <StoryPanel title="Scheduled" stories={data.scheduled} chrome={chrome} empty="Nothing is scheduled." when="publishedAt" />
        <StoryPanel title="Recently published" stories={data.recentlyPublished} chrome={chrome} empty="Nothing published yet." when="publishedAt" />
        {inbox ? (
          <section class="panel" aria-labelledby="panel-inbox">
            <h2 id="panel-inbox">
              Unread messages <span class="count">{inbox.unread}</span>
            </h2>
            {inbox.latest.length === 0 ? (
              <p class="empty">No unread messages.</p>
            ) : (
              <ul class="list">
                {inbox.latest.map((m) => (
                  <li key={m.id}>
                    <a href={`/admin/inbox#message-${m.id}`}>{m.subject}</a>
                    <div class="meta">
                      {m.name} · {m.deskName} · {formatWhen(m.createdAt, chrome)}
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
        ) : null}
      </div>
      <div class="grid" style="margin-top:1rem">
        <PublishedChart days={data.days} perDesk={data.perDesk} />
      </div>
    </AdminLayout>
  );
}
