// The frame of every newsroom page: navigation by what the user may do, the page, no caching.
import type { ComponentChildren } from 'preact';
import type { Actor } from '../../newsroom/workflow/policy.ts';
import { canAdminister, canCurateFrontPage } from '../../newsroom/workflow/policy.ts';

export interface AdminChrome {
  siteName: string;
  actor: Actor & { email: string };
  css: string;
  csrf: string;
  language: string;
  timeZone: string;
  /** The story editor's script (src/admin/bundle.ts), loaded by the editor page only. */
  editorScript?: string;
}

export type Section = 'dashboard' | 'stories' | 'new' | 'front-page' | 'media' | 'inbox' | 'people' | 'desks' | 'users' | 'settings';

const ROLE_NAMES: Record<Actor['role'], string> = {
  contributor: 'Contributor',
  desk_editor: 'Desk editor',
  managing_editor: 'Managing editor',
  admin: 'Administrator',
};

export function AdminLayout({ chrome, title, section, children }: { chrome: AdminChrome; title: string; section: Section; children: ComponentChildren }) {
  const { actor } = chrome;
  const links: Array<[Section, string, string, boolean]> = [
    ['dashboard', 'Dashboard', '/admin', true],
    ['stories', 'Stories', '/admin/stories', true],
    ['new', 'New story', '/admin/stories/new', true],
    ['front-page', 'Front page', '/admin/front-page', canCurateFrontPage(actor)],
    ['media', 'Media', '/admin/media', true],
    ['inbox', 'Inbox', '/admin/inbox', actor.role !== 'contributor'],
    ['people', 'People', '/admin/people', canAdminister(actor)],
    ['desks', 'Desks', '/admin/desks', canAdminister(actor)],
    ['users', 'Users', '/admin/users', canAdminister(actor)],
    ['settings', 'Settings', '/admin/settings', canAdminister(actor)],
  ];
  return (
    <html lang={chrome.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{`${title} – ${chrome.siteName} newsroom`}</title>
        <style dangerouslySetInnerHTML={{ __html: chrome.css }} />
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <div class="shell">
          <nav class="sidebar" aria-label="Newsroom">
            <a class="brand" href="/admin">
              {chrome.siteName}
            </a>
            <p class="who">
              {actor.email}
              <br />
              {ROLE_NAMES[actor.role]}
            </p>
            <ul>
              {links
                .filter(([, , , shown]) => shown)
                .map(([key, label, href]) => (
                  <li key={key}>
                    <a href={href} aria-current={key === section ? 'page' : undefined}>
                      {label}
                    </a>
                  </li>
                ))}
              <li>
                <a href="/account">Account</a>
              </li>
              <li>
                <a href="/">View site</a>
              </li>
            </ul>
            <form method="post" action="/logout">
              <input type="hidden" name="_csrf" value={chrome.csrf} />
              <button class="button secondary small" type="submit">
                Log out
              </button>
            </form>
          </nav>
          <main id="main" class="content">
            {children}
          </main>
        </div>
      </body>
    </html>
  );
}

export const STATUS_LABELS: Record<string, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  scheduled: 'Scheduled',
  published: 'Published',
  unpublished: 'Unpublished',
};

export function StatusBadge({ status }: { status: string }) {
  return <span class={`status ${status}`}>{STATUS_LABELS[status] ?? status}</span>;
}

export function formatWhen(iso: string | null, chrome: Pick<AdminChrome, 'language' | 'timeZone'>): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(chrome.language, { timeZone: chrome.timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
