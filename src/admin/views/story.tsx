// The story editor: every field of a story, the workflow actions the user may take, and the
// conflict view when someone else saved first. Works without JavaScript; the rich editor and
// autosave enhance it.
import type { Desk } from '../../newsroom/desks/types.ts';
import type { Person } from '../../newsroom/people/types.ts';
import type { Status } from '../../newsroom/articles/types.ts';
import type { Snapshot } from '../../newsroom/revisions/repository.ts';
import type { LockState } from '../../newsroom/workflow/locks.ts';
import { describedBy, HintAndError } from '../../http/views/form.tsx';
import type { Command } from '../../newsroom/workflow/policy.ts';
import { textFromHtml } from '../../newsroom/text.ts';
import { AdminLayout, formatWhen, StatusBadge, type AdminChrome } from './layout.tsx';

/** What the form shows: the stored story, or what the user typed when a save was refused. */
export interface StoryForm {
  headline: string;
  kicker: string;
  dek: string;
  slug: string;
  deskId: string;
  bylineIds: string[];
  tags: string;
  bodyHtml: string;
  excerpt: string;
  leadImageUrl: string;
  leadImageAlt: string;
  leadImageCaption: string;
  leadImageCredit: string;
  language: string;
  seoTitle: string;
  seoDescription: string;
}

export interface StoryEditorView {
  id: number | null;
  status: Status | null;
  version: number;
  publicPath: string | null;
  publishedAt: string | null;
  form: StoryForm;
  errors: Record<string, string>;
  notice?: { kind: 'ok' | 'error' | 'info'; text: string };
  desks: Desk[];
  people: Person[];
  /** Workflow commands the user may run now. */
  actions: Array<Exclude<Command, 'create' | 'edit'>>;
  canEdit: boolean;
  lock: LockState | null;
  conflict?: { theirs: Snapshot; currentVersion: number };
  scheduleDefault: string;
}

const ACTION_LABELS: Record<StoryEditorView['actions'][number], { label: string; note?: 'required' | 'optional'; hint?: string }> = {
  submit: { label: 'Submit for review' },
  request_changes: { label: 'Request changes', note: 'required', hint: 'Tell the writer what to change.' },
  approve: { label: 'Approve' },
  schedule: { label: 'Schedule' },
  publish: { label: 'Publish now' },
  update: { label: 'Publish update', note: 'optional', hint: 'An optional public note, shown on the story with its time.' },
  correct: { label: 'Publish correction', note: 'required', hint: 'A public note saying what was wrong; shown on the story and on the corrections page.' },
  unpublish: { label: 'Unpublish', note: 'optional', hint: 'The story will answer “withdrawn” (410).' },
  restore: { label: 'Back to draft' },
};

function Field({ name, label, form, errors, hint, ...input }: { name: keyof StoryForm; label: string; form: StoryForm; errors: Record<string, string>; hint?: string; maxLength?: number; class?: string; required?: boolean }) {
  const error = errors[name];
  return (
    <div class="field">
      <label for={name}>{label}</label>
      <input id={name} name={name} type="text" value={form[name] as string} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(name, hint, error)} {...input} />
      <HintAndError id={name} hint={hint} error={error} />
    </div>
  );
}

function ConflictView({ view }: { view: StoryEditorView }) {
  if (!view.conflict) return null;
  const theirs = view.conflict.theirs;
  return (
    <section class="panel" aria-labelledby="conflict-title">
      <h2 id="conflict-title">Someone else saved this story while you were editing</h2>
      <p>
        Nothing was overwritten. Your text is still in the form below. Compare the two versions, merge what you need, then save: your save will
        replace version {view.conflict.currentVersion}.
      </p>
      <div class="conflict">
        <div>
          <h3>Your version</h3>
          <pre>{`${view.form.headline}\n\n${textFromHtml(view.form.bodyHtml)}`}</pre>
        </div>
        <div>
          <h3>Saved version {view.conflict.currentVersion}</h3>
          <pre>{`${theirs.headline}\n\n${textFromHtml(theirs.bodyHtml)}`}</pre>
        </div>
      </div>
    </section>
  );
}

function LockNotice({ view, chrome }: { view: StoryEditorView; chrome: AdminChrome }) {
  const held = view.lock?.heldBy;
  if (!held || view.id === null) return null;
  return (
    <div class="notice info" role="status">
      <p>
        {held.email} has had this story open since {formatWhen(held.since, chrome)}. You can still read it; saving may conflict with their work.
      </p>
      <form method="post" action={`/admin/stories/${view.id}/takeover`}>
        <input type="hidden" name="_csrf" value={chrome.csrf} />
        <button class="button secondary small" type="submit">
          Take over editing
        </button>
      </form>
    </div>
  );
}

function ActionForms({ view, chrome }: { view: StoryEditorView; chrome: AdminChrome }) {
  // Updates and corrections are sent from the story form itself, with the changed text.
  const actions = view.actions.filter((a) => a !== 'update' && a !== 'correct');
  if (view.id === null || actions.length === 0) return null;
  return (
    <section class="panel actions" aria-labelledby="actions-title">
      <h2 id="actions-title">Workflow</h2>
      {actions.map((action) => {
        const meta = ACTION_LABELS[action];
        const noteId = `note-${action}`;
        return (
          <form key={action} method="post" action={`/admin/stories/${view.id}/${action.replace('_', '-')}`}>
            <input type="hidden" name="_csrf" value={chrome.csrf} />
            {meta.note ? (
              <>
                <label for={noteId}>{meta.note === 'required' ? 'Note' : 'Note (optional)'}</label>
                <textarea id={noteId} name="note" rows={2} required={meta.note === 'required'} aria-describedby={`${noteId}-hint`} />
                <p class="hint" id={`${noteId}-hint`}>
                  {meta.hint}
                </p>
              </>
            ) : null}
            {action === 'schedule' ? (
              <>
                <label for="schedule-at">Publish at ({chrome.timeZone})</label>
                <input id="schedule-at" name="at" type="datetime-local" required value={view.scheduleDefault} />
              </>
            ) : null}
            <button class={action === 'publish' || action === 'approve' ? 'button' : 'button secondary'} type="submit">
              {meta.label}
            </button>
          </form>
        );
      })}
    </section>
  );
}

export function StoryEditorPage({ chrome, view }: { chrome: AdminChrome; view: StoryEditorView }) {
  const { form, errors } = view;
  const title = view.id === null ? 'New story' : form.headline || 'Untitled story';
  const action = view.id === null ? '/admin/stories' : `/admin/stories/${view.id}`;
  // A published story changes only through an update or a correction, which carry the new text.
  const publishedEdit = view.status === 'published' && view.actions.includes('update');
  const readOnly = view.id !== null && !view.canEdit && !publishedEdit;
  return (
    <AdminLayout chrome={chrome} title={title} section={view.id === null ? 'new' : 'stories'}>
      <div class="page-head">
        <h1>{view.id === null ? 'New story' : 'Edit story'}</h1>
        {view.status ? (
          <p>
            <StatusBadge status={view.status} /> <span class="meta">version {view.version}</span>
          </p>
        ) : null}
      </div>
      {view.notice ? (
        <p class={`notice ${view.notice.kind === 'error' ? '' : view.notice.kind}`} role={view.notice.kind === 'error' ? 'alert' : 'status'}>
          {view.notice.text}
        </p>
      ) : null}
      <LockNotice view={view} chrome={chrome} />
      <ConflictView view={view} />
      {/* The rich editor and autosave (src/admin/client); without it the body is a plain textarea. */}
      {chrome.editorScript ? <script src={chrome.editorScript} defer /> : null}
      <div class="editor-layout">
        <form method="post" action={action} id="story-form" data-story-id={view.id ?? ''} data-version={view.version} data-status={view.status ?? ''}>
          <input type="hidden" name="_csrf" value={chrome.csrf} />
          <input type="hidden" name="baseVersion" value={String(view.conflict?.currentVersion ?? view.version)} />
          <fieldset disabled={readOnly} style="border:0;padding:0;margin:0">
            <legend class="visually-hidden">Story</legend>
            <Field name="kicker" label="Kicker" form={form} errors={errors} hint="A label above the headline: Exclusive, Analysis, Opinion…" maxLength={60} />
            <Field name="headline" label="Headline" form={form} errors={errors} class="headline-input" maxLength={200} required />
            <Field name="dek" label="Dek" form={form} errors={errors} hint="One sentence under the headline." maxLength={400} />
            <div class="field">
              <label for="bodyHtml">Body</label>
              <textarea id="bodyHtml" name="bodyHtml" class="body-source" aria-describedby="bodyHtml-hint">
                {form.bodyHtml}
              </textarea>
              <p class="hint" id="bodyHtml-hint">
                Paragraphs, headings, quotes, lists, links and images. Anything else is removed when you save.
              </p>
            </div>
            <div class="grid two">
              <div class="field">
                <label for="deskId">Desk</label>
                <select id="deskId" name="deskId" required aria-invalid={errors.deskId ? 'true' : undefined}>
                  <option value="">Choose a desk</option>
                  {view.desks.map((d) => (
                    <option key={d.id} value={String(d.id)} selected={form.deskId === String(d.id)}>
                      {d.name}
                    </option>
                  ))}
                </select>
                {errors.deskId ? <p class="error">{errors.deskId}</p> : null}
              </div>
              <Field name="slug" label="Slug" form={form} errors={errors} hint="The story's address; made from the headline when empty." maxLength={120} />
            </div>
            <fieldset class="field" style="border:0;padding:0">
              <legend class="label">Bylines, in order</legend>
              <div class="grid three">
                {[0, 1, 2].map((i) => (
                  <div key={i}>
                    <label for={`byline-${i}`} class="visually-hidden">
                      Byline {i + 1}
                    </label>
                    <select id={`byline-${i}`} name="bylineIds">
                      <option value="">{i === 0 ? 'Me' : 'None'}</option>
                      {view.people.map((p) => (
                        <option key={p.id} value={String(p.id)} selected={form.bylineIds[i] === String(p.id)}>
                          {p.name}
                          {p.kind === 'collective' ? ' (team)' : ''}
                        </option>
                      ))}
                    </select>
                  </div>
                ))}
              </div>
            </fieldset>
            <Field name="tags" label="Tags" form={form} errors={errors} hint="Separated by commas." />
            <div class="field">
              <label for="excerpt">Excerpt</label>
              <textarea id="excerpt" name="excerpt" rows={2} maxLength={400} aria-describedby="excerpt-hint">
                {form.excerpt}
              </textarea>
              <p class="hint" id="excerpt-hint">
                Shown in lists and feeds; the first words of the body when empty.
              </p>
            </div>
            <details open={Boolean(form.leadImageUrl)}>
              <summary>Lead image</summary>
              <Field name="leadImageUrl" label="Image URL" form={form} errors={errors} hint="From the media library, or an https:// address." />
              <Field name="leadImageAlt" label="Alt text" form={form} errors={errors} hint="What the image shows, for readers who cannot see it." />
              <Field name="leadImageCaption" label="Caption" form={form} errors={errors} />
              <Field name="leadImageCredit" label="Credit" form={form} errors={errors} />
            </details>
            <Field name="language" label="Language" form={form} errors={errors} hint="BCP 47, e.g. en or fa." maxLength={35} />
            <details open={Boolean(form.seoTitle || form.seoDescription || errors.seoTitle || errors.seoDescription)}>
              <summary>Search and sharing</summary>
              <Field name="seoTitle" label="SEO title" form={form} errors={errors} hint="The title search engines and link previews show; the headline when empty." maxLength={120} />
              <Field name="seoDescription" label="SEO description" form={form} errors={errors} hint="One or two sentences for search results and previews; the dek when empty." maxLength={320} />
            </details>
          </fieldset>
          {publishedEdit ? (
            <div class="panel">
              <div class="field">
                <label for="change-note">Public note</label>
                <textarea id="change-note" name="note" rows={2} aria-describedby="change-note-hint" />
                <p class="hint" id="change-note-hint">
                  Optional for an update; required for a correction, saying what was wrong. Shown on the story with its time.
                </p>
              </div>
              <p>
                <button class="button" type="submit" formaction={`/admin/stories/${view.id}/update`}>
                  Publish update
                </button>{' '}
                <button class="button secondary" type="submit" formaction={`/admin/stories/${view.id}/correct`}>
                  Publish correction
                </button>
              </p>
            </div>
          ) : readOnly ? (
            <p class="notice info">
              This story is {view.status === 'published' ? 'published' : 'in review'}; only an editor of its desk can change it now.
            </p>
          ) : (
            <p>
              <button class="button" type="submit">
                {view.id === null ? 'Create draft' : 'Save'}
              </button>{' '}
              <span class="save-state" id="save-state" role="status" />
            </p>
          )}
        </form>
        <aside>
          {view.id !== null ? (
            <section class="panel" aria-labelledby="story-links">
              <h2 id="story-links">This story</h2>
              <ul class="list">
                <li>
                  <a href={`/admin/stories/${view.id}/preview`}>Preview</a>
                </li>
                <li>
                  <a href={`/admin/stories/${view.id}/history`}>History and revisions</a>
                </li>
                {view.publicPath && view.status === 'published' ? (
                  <li>
                    <a href={view.publicPath}>View on the site</a>
                    {view.publishedAt ? <div class="meta">Published {formatWhen(view.publishedAt, chrome)}</div> : null}
                  </li>
                ) : null}
                {view.status === 'scheduled' && view.publishedAt ? <li class="meta">Scheduled for {formatWhen(view.publishedAt, chrome)}</li> : null}
              </ul>
            </section>
          ) : null}
          <ActionForms view={view} chrome={chrome} />
        </aside>
      </div>
    </AdminLayout>
  );
}
