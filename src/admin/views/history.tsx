import type { FieldDiff } from '../../newsroom/revisions/diff.ts';
import type { AuditEntry } from '../../newsroom/workflow/audit.ts';
import { AdminLayout, formatWhen, STATUS_LABELS, type AdminChrome } from './layout.tsx';

export interface HistoryView {
  id: number;
  headline: string;
  version: number;
  audit: AuditEntry[];
  revisions: Array<{ version: number; at: string; userEmail: string | null }>;
  diff: { from: number; to: number; fields: FieldDiff[] } | null;
  canRestore: boolean;
}

const ACTION_NAMES: Record<string, string> = {
  create: 'Created',
  save: 'Saved',
  submit: 'Submitted for review',
  request_changes: 'Requested changes',
  approve: 'Approved',
  schedule: 'Scheduled',
  publish: 'Published',
  update: 'Published an update',
  correct: 'Published a correction',
  unpublish: 'Unpublished',
  restore: 'Back to draft',
  front_page: 'Placed on the front page',
};

function DiffField({ field }: { field: FieldDiff }) {
  return (
    <div class="field">
      <h3>{field.field}</h3>
      <p class="diff">
        {field.parts.map((p, i) => (p.kind === 'added' ? <ins key={i}>{p.text}</ins> : p.kind === 'removed' ? <del key={i}>{p.text}</del> : <span key={i}>{p.text}</span>))}
      </p>
    </div>
  );
}

export function HistoryPage({ chrome, view }: { chrome: AdminChrome; view: HistoryView }) {
  const changed = view.diff?.fields.filter((f) => f.changed) ?? [];
  return (
    <AdminLayout chrome={chrome} title={`History: ${view.headline}`} section="stories">
      <div class="page-head">
        <h1>History of “{view.headline}”</h1>
        <a class="button secondary" href={`/admin/stories/${view.id}`}>
          Back to the story
        </a>
      </div>
      <div class="grid two">
        <section class="panel" aria-labelledby="timeline-title">
          <h2 id="timeline-title">What happened</h2>
          <ol class="timeline">
            {view.audit.map((a) => (
              <li key={a.id}>
                <strong>{ACTION_NAMES[a.action] ?? a.action}</strong>
                {a.fromStatus && a.toStatus && a.fromStatus !== a.toStatus ? (
                  <span class="meta">
                    {' '}
                    ({STATUS_LABELS[a.fromStatus] ?? a.fromStatus} → {STATUS_LABELS[a.toStatus] ?? a.toStatus})
                  </span>
                ) : null}
                <div class="meta">
                  {a.userEmail ?? 'The scheduler'} · {formatWhen(a.at, chrome)}
                </div>
                {a.note ? <p>{a.note}</p> : null}
              </li>
            ))}
          </ol>
        </section>
        <section class="panel" aria-labelledby="revisions-title">
          <h2 id="revisions-title">Revisions</h2>
          <form method="get" action={`/admin/stories/${view.id}/history`} class="filters">
            <div class="field">
              <label for="from">Compare</label>
              <select id="from" name="from">
                {view.revisions.map((r) => (
                  <option key={r.version} value={String(r.version)} selected={view.diff?.from === r.version}>
                    Version {r.version}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="to">with</label>
              <select id="to" name="to">
                {view.revisions.map((r) => (
                  <option key={r.version} value={String(r.version)} selected={view.diff?.to === r.version}>
                    Version {r.version}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <button class="button secondary" type="submit">
                Compare
              </button>
            </div>
          </form>
          <ul class="list">
            {view.revisions.map((r) => (
              <li key={r.version}>
                Version {r.version} <span class="meta">· {r.userEmail ?? 'unknown'} · {formatWhen(r.at, chrome)}</span>
                {view.canRestore && r.version !== view.version ? (
                  <form method="post" action={`/admin/stories/${view.id}/revisions/${r.version}/restore`} style="display:inline;margin-left:0.5rem">
                    <input type="hidden" name="_csrf" value={chrome.csrf} />
                    <input type="hidden" name="baseVersion" value={String(view.version)} />
                    <button class="button secondary small" type="submit">
                      Restore as a new version
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      </div>
      {view.diff ? (
        <section class="panel" aria-labelledby="diff-title" style="margin-top:1rem">
          <h2 id="diff-title">
            Changes from version {view.diff.from} to version {view.diff.to}
          </h2>
          {changed.length === 0 ? <p class="empty">The two versions are the same.</p> : changed.map((f) => <DiffField key={f.field} field={f} />)}
        </section>
      ) : null}
    </AdminLayout>
  );
}
