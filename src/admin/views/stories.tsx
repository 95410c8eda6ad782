import type { Desk } from '../../newsroom/desks/types.ts';
import type { StoryListItem } from '../../newsroom/workflow/queries.ts';
import { AdminLayout, formatWhen, StatusBadge, STATUS_LABELS, type AdminChrome } from './layout.tsx';

export interface StoryListView {
  stories: StoryListItem[];
  desks: Desk[];
  filter: { status?: string; desk?: string; mine?: boolean };
  page: number;
  more: boolean;
}

const pageHref = (filter: StoryListView['filter'], page: number) => {
  const q = new URLSearchParams();
  if (filter.status) q.set('status', filter.status);
  if (filter.desk) q.set('desk', filter.desk);
  if (filter.mine) q.set('mine', 'true');
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return `/admin/stories${s ? `?${s}` : ''}`;
};

export function StoriesPage({ chrome, view }: { chrome: AdminChrome; view: StoryListView }) {
  const { filter } = view;
  return (
    <AdminLayout chrome={chrome} title="Stories" section="stories">
      <div class="page-head">
        <h1>Stories</h1>
        <a class="button" href="/admin/stories/new">
          New story
        </a>
      </div>
      <form class="filters" method="get" action="/admin/stories" role="search" aria-label="Filter stories">
        <div class="field">
          <label for="status">Status</label>
          <select id="status" name="status">
            <option value="">Any status</option>
            {Object.entries(STATUS_LABELS).map(([value, label]) => (
              <option key={value} value={value} selected={filter.status === value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="desk">Desk</label>
          <select id="desk" name="desk">
            <option value="">Any desk</option>
            {view.desks.map((d) => (
              <option key={d.id} value={String(d.id)} selected={filter.desk === String(d.id)}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label>
            <input type="checkbox" name="mine" value="true" checked={filter.mine} /> Only mine
          </label>
        </div>
        <div class="field">
          <button class="button secondary" type="submit">
            Filter
          </button>
        </div>
      </form>
      {view.stories.length === 0 ? (
        <p class="empty">No stories match.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Stories, most recently changed first</caption>
            <thead>
              <tr>
                <th scope="col">Headline</th>
                <th scope="col">Status</th>
                <th scope="col">Desk</th>
                <th scope="col">Changed</th>
              </tr>
            </thead>
            <tbody>
              {view.stories.map((s) => (
                <tr key={s.id}>
                  <td>
                    <a href={`/admin/stories/${s.id}`}>{s.headline}</a>
                  </td>
                  <td>
                    <StatusBadge status={s.status} />
                  </td>
                  <td>{s.deskName}</td>
                  <td>{formatWhen(s.modifiedAt, chrome)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="filters" aria-label="Pages">
        {view.page > 1 ? <a href={pageHref(filter, view.page - 1)}>← Newer</a> : null}
        {view.more ? <a href={pageHref(filter, view.page + 1)}>Older →</a> : null}
      </nav>
    </AdminLayout>
  );
}
