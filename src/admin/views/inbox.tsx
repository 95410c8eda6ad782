// Readers' messages to the desks the user reads: filter by desk and unread, each message as plain
// text with its sender, desk and time, and buttons to mark it read or answered.
import { Fragment } from 'preact';
import type { ContactMessage } from '../../newsroom/contact/messages.ts';
import type { Desk } from '../../newsroom/desks/types.ts';
import { AdminLayout, formatWhen, type AdminChrome } from './layout.tsx';
import { Csrf, FormNotice, type Notice } from './settings.tsx';

export interface InboxFilter {
  desk?: string;
  unread: boolean;
  page: number;
}

export interface InboxView {
  messages: ContactMessage[];
  more: boolean;
  /** The desks whose messages the user reads. */
  desks: Array<Pick<Desk, 'id' | 'name'>>;
  filter: InboxFilter;
  notice?: Notice;
}

export function inboxHref(filter: InboxFilter, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  if (filter.desk) q.set('desk', filter.desk);
  if (filter.unread) q.set('unread', 'true');
  if (filter.page > 1) q.set('page', String(filter.page));
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const s = q.toString();
  return `/admin/inbox${s ? `?${s}` : ''}`;
}

/** Plain text with its paragraphs and line breaks, escaped like all text. */
function MessageText({ text }: { text: string }) {
  return (
    <div class="message-body">
      {text.split(/\n{2,}/).map((paragraph, i) => (
        <p key={i}>
          {paragraph.split('\n').map((line, j) => (
            <Fragment key={j}>
              {j > 0 ? <br /> : null}
              {line}
            </Fragment>
          ))}
        </p>
      ))}
    </div>
  );
}

function stateOf(m: ContactMessage): { key: 'unread' | 'read' | 'answered'; label: string } {
  if (m.answeredAt) return { key: 'answered', label: 'Answered' };
  if (m.readAt) return { key: 'read', label: 'Read' };
  return { key: 'unread', label: 'Unread' };
}

function MarkButtons({ chrome, m, filter }: { chrome: AdminChrome; m: ContactMessage; filter: InboxFilter }) {
  const buttons: Array<[string, string]> = [];
  if (!m.readAt) buttons.push(['read', 'Mark read']);
  if (!m.answeredAt) buttons.push(['answered', 'Mark answered']);
  if (m.answeredAt) buttons.push(['unanswered', 'Mark not answered']);
  else if (m.readAt) buttons.push(['unread', 'Mark unread']);
  return (
    <form method="post" action={`/admin/inbox/${m.id}`} class="row-actions">
      <Csrf chrome={chrome} />
      {filter.desk ? <input type="hidden" name="desk" value={filter.desk} /> : null}
      {filter.unread ? <input type="hidden" name="unread" value="true" /> : null}
      {filter.page > 1 ? <input type="hidden" name="page" value={String(filter.page)} /> : null}
      {buttons.map(([mark, label], i) => (
        <button key={mark} class={i === 0 ? 'button small' : 'button secondary small'} type="submit" name="mark" value={mark}>
          {label}
          <span class="visually-hidden">: {m.subject}</span>
        </button>
      ))}
    </form>
  );
}

export function InboxPage({ chrome, view }: { chrome: AdminChrome; view: InboxView }) {
  const { filter } = view;
  return (
    <AdminLayout chrome={chrome} title="Inbox" section="inbox">
      <h1>Inbox</h1>
      <FormNotice notice={view.notice} />
      <form class="filters" method="get" action="/admin/inbox" role="search" aria-label="Filter messages">
        <div class="field">
          <label for="inbox-desk">Desk</label>
          <select id="inbox-desk" name="desk">
            <option value="">All my desks</option>
            {view.desks.map((d) => (
              <option key={d.id} value={String(d.id)} selected={filter.desk === String(d.id)}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label class="choice">
            <input type="checkbox" name="unread" value="true" checked={filter.unread} /> Only unread
          </label>
        </div>
        <div class="field">
          <button class="button secondary" type="submit">
            Show
          </button>
        </div>
      </form>
      {view.desks.length === 0 ? <p class="notice info">You edit no desk yet, so no messages come to you. An administrator chooses each desk’s editors.</p> : null}
      {view.messages.length === 0 ? (
        <p class="empty">{filter.unread ? 'No unread messages.' : 'No messages.'}</p>
      ) : (
        <ol class="messages">
          {view.messages.map((m) => {
            const state = stateOf(m);
            const reply = `mailto:${m.email}?subject=${encodeURIComponent(`Re: ${m.subject}`)}`;
            return (
              <li key={m.id}>
                <article id={`message-${m.id}`} class={`message ${state.key}`} aria-labelledby={`message-${m.id}-subject`} tabindex={-1}>
                  <header>
                    <h2 id={`message-${m.id}-subject`}>{m.subject}</h2>
                    <span class={`state ${state.key}`}>{state.label}</span>
                  </header>
                  <p class="meta">
                    From {m.name} (<a href={`mailto:${m.email}`}>{m.email}</a>) to the {m.desk.name} desk ·{' '}
                    <time datetime={m.createdAt}>{formatWhen(m.createdAt, chrome)}</time>
                    {m.answeredAt ? <> · answered {formatWhen(m.answeredAt, chrome)}</> : null}
                  </p>
                  <MessageText text={m.body} />
                  <div class="row-actions">
                    <a class="button secondary small" href={reply}>
                      Reply by email<span class="visually-hidden"> to {m.name}</span>
                    </a>
                    <MarkButtons chrome={chrome} m={m} filter={filter} />
                  </div>
                </article>
              </li>
            );
          })}
        </ol>
      )}
      <nav class="filters" aria-label="Pages">
        {filter.page > 1 ? <a href={inboxHref({ ...filter, page: filter.page - 1 })}>← Newer</a> : null}
        {view.more ? <a href={inboxHref({ ...filter, page: filter.page + 1 })}>Older →</a> : null}
      </nav>
    </AdminLayout>
  );
}
