// Front-page curation: the lead and top stories in order, moved with buttons (keyboard and no
// JavaScript) or dragged by a handle (the curation script); adding a published story; and the
// breaking-news banner.
import type { ArticleSummary } from '../../newsroom/articles/types.ts';
import type { Breaking } from '../../newsroom/frontpage.ts';
import { AdminLayout, formatWhen, STATUS_LABELS, type AdminChrome } from './layout.tsx';
import { Csrf, FormNotice, TextField, type FieldErrors, type Notice } from './settings.tsx';

export interface CuratedStory {
  id: number;
  headline: string;
  deskName: string;
  /** Where readers find it, when they can. */
  path: string | null;
  publishedAt: string | null;
  /** Readers see it (published, out of embargo); otherwise `status` says why not. */
  live: boolean;
  status: string;
}

export interface BreakingForm {
  headline: string;
  url: string;
  expiresAt: string;
}

export interface FrontPageView {
  slots: number;
  curated: CuratedStory[];
  /** The latest stories that fill the places no editor chose. */
  filled: ArticleSummary[];
  /** Published stories that may be added, newest first. */
  candidates: ArticleSummary[];
  breaking: Breaking | undefined;
  breakingForm: BreakingForm;
  /** Values of the add form after a refusal. */
  addForm: { id: string; place: string };
  errors: FieldErrors;
  notice?: Notice;
  scriptPath: string;
}

export const slotName = (index: number) => (index === 0 ? 'Lead story' : `Top story ${index}`);

const FIELD_IDS = { articleIds: 'add-story', headline: 'breaking-headline', url: 'breaking-url', expiresAt: 'breaking-expires' };

function CuratedItem({ chrome, story, index, count }: { chrome: AdminChrome; story: CuratedStory; index: number; count: number }) {
  return (
    <li id={`story-${story.id}`} class="curation-item" data-id={String(story.id)} tabindex={-1}>
      <div class="curation-text">
        <span class="slot" data-slot>
          {slotName(index)}
        </span>
        <span class="curation-headline">{story.path && story.live ? <a href={story.path}>{story.headline}</a> : story.headline}</span>
        <span class="meta">
          {story.deskName}
          {story.publishedAt ? ` · ${formatWhen(story.publishedAt, chrome)}` : ''}
          {story.live ? null : (
            <strong class="warning">
              {' '}
              · Not shown to readers ({STATUS_LABELS[story.status] ?? story.status}
              {story.status === 'published' ? ', embargoed' : ''}): remove it
            </strong>
          )}
        </span>
      </div>
      <form method="post" action="/admin/front-page/story" class="row-actions">
        <Csrf chrome={chrome} />
        <input type="hidden" name="id" value={String(story.id)} />
        <button class="button secondary small" type="submit" name="do" value="up" disabled={index === 0}>
          Move up<span class="visually-hidden">: {story.headline}</span>
        </button>
        <button class="button secondary small" type="submit" name="do" value="down" disabled={index === count - 1}>
          Move down<span class="visually-hidden">: {story.headline}</span>
        </button>
        <button class="button secondary small" type="submit" name="do" value="remove">
          Remove<span class="visually-hidden">: {story.headline}</span>
        </button>
      </form>
    </li>
  );
}

function CurationPanel({ chrome, view }: { chrome: AdminChrome; view: FrontPageView }) {
  const { curated, errors } = view;
  const free = view.slots - curated.length;
  return (
    <section class="panel" aria-labelledby="curation-title">
      <h2 id="curation-title">
        Lead and top stories{' '}
        <span class="count">
          {curated.length} of {view.slots} chosen
        </span>
      </h2>
      <p class="hint" id="curation-hint">
        The first story leads the front page. Move a story with its buttons, or drag it by its handle. Places nobody chose show the latest stories.
      </p>
      {curated.length === 0 ? (
        <p class="empty">No story is chosen: the front page shows the latest stories.</p>
      ) : (
        <ol class="curation" id="curation-list" data-curation aria-describedby="curation-hint">
          {curated.map((story, i) => (
            <CuratedItem key={story.id} chrome={chrome} story={story} index={i} count={curated.length} />
          ))}
        </ol>
      )}
      {/* The curation script sends the dragged order through this form. */}
      <form id="curation-order" method="post" action="/admin/front-page/order" hidden>
        <Csrf chrome={chrome} />
        <input type="hidden" name="expected" value={curated.map((s) => s.id).join(',')} />
        {curated.map((s) => (
          <input key={s.id} type="hidden" name="articleIds" value={String(s.id)} />
        ))}
      </form>
      <p id="curation-status" class="visually-hidden" role="status" aria-live="polite" />
      {view.filled.length > 0 ? (
        <>
          <h3 class="subhead">Filled with the latest stories</h3>
          <ol class="list filled" start={curated.length + 1}>
            {view.filled.map((s) => (
              <li key={s.id}>
                <a href={`/${s.desk.slug}/${s.slug}`}>{s.headline}</a>
                <div class="meta">
                  {s.desk.name} · {formatWhen(s.publishedAt, chrome)}
                </div>
              </li>
            ))}
          </ol>
        </>
      ) : null}
      <h3 class="subhead" id="add-title">
        Add a story
      </h3>
      {free <= 0 ? (
        <p class="hint">All {view.slots} places are taken: remove a story to add another.</p>
      ) : view.candidates.length === 0 ? (
        <p class="empty">No other published story to add.</p>
      ) : (
        <form method="post" action="/admin/front-page/add" aria-labelledby="add-title">
          <Csrf chrome={chrome} />
          <div class="field">
            <label for="add-story">Published story</label>
            <select id="add-story" name="id" required aria-invalid={errors.articleIds ? 'true' : undefined} aria-describedby={errors.articleIds ? 'add-story-error' : undefined}>
              <option value="">Choose one of the latest {view.candidates.length}</option>
              {view.candidates.map((s) => (
                <option key={s.id} value={String(s.id)} selected={view.addForm.id === String(s.id)}>
                  {s.headline} — {s.desk.name}, {formatWhen(s.publishedAt, chrome)}
                </option>
              ))}
            </select>
            {errors.articleIds ? (
              <p class="error" id="add-story-error">
                {errors.articleIds}
              </p>
            ) : null}
          </div>
          <fieldset class="field">
            <legend class="label">Place</legend>
            <label class="choice">
              <input type="radio" name="place" value="end" checked={view.addForm.place !== 'lead'} /> After the chosen stories
            </label>
            <label class="choice">
              <input type="radio" name="place" value="lead" checked={view.addForm.place === 'lead'} /> As the lead story
            </label>
          </fieldset>
          <button class="button" type="submit">
            Add to the front page
          </button>
        </form>
      )}
    </section>
  );
}

function BreakingPanel({ chrome, view }: { chrome: AdminChrome; view: FrontPageView }) {
  const { breaking, breakingForm: form, errors } = view;
  return (
    <section class="panel" aria-labelledby="breaking-title">
      <h2 id="breaking-title">Breaking-news banner</h2>
      {breaking ? (
        <div class="breaking-current">
          <p class="breaking-preview">
            <strong>Breaking</strong> {breaking.headline}
          </p>
          <p class="meta">
            Shown at the top of every page until {formatWhen(breaking.expiresAt, chrome)}
            {breaking.url ? (
              <>
                {' '}
                · links to <a href={breaking.url}>{breaking.url}</a>
              </>
            ) : null}
          </p>
          <form method="post" action="/admin/front-page/breaking/clear">
            <Csrf chrome={chrome} />
            <button class="button secondary" type="submit">
              Clear the banner
            </button>
          </form>
        </div>
      ) : (
        <p class="empty">No banner is shown.</p>
      )}
      <h3 class="subhead">{breaking ? 'Replace the banner' : 'Set a banner'}</h3>
      <form method="post" action="/admin/front-page/breaking" novalidate>
        <Csrf chrome={chrome} />
        <TextField id="breaking-headline" name="headline" label="Headline" value={form.headline} error={errors.headline} required maxLength={200} />
        <TextField
          id="breaking-url"
          name="url"
          label="Link"
          value={form.url}
          error={errors.url}
          maxLength={2000}
          inputMode="url"
          spellcheck={false}
          hint="A story’s path such as /politics/… or an https:// address."
        />
        <TextField
          id="breaking-expires"
          name="expiresAt"
          label="Ends at"
          type="datetime-local"
          value={form.expiresAt}
          error={errors.expiresAt}
          required
          hint={`Newsroom time (${chrome.timeZone}).`}
        />
        <button class="button" type="submit">
          {breaking ? 'Replace the banner' : 'Set the banner'}
        </button>
      </form>
    </section>
  );
}

export function FrontPageAdminPage({ chrome, view }: { chrome: AdminChrome; view: FrontPageView }) {
  return (
    <AdminLayout chrome={chrome} title="Front page" section="front-page">
      <div class="page-head">
        <h1>Front page</h1>
        <a href="/">View the front page</a>
      </div>
      <FormNotice notice={view.notice} errors={view.errors} fieldIds={FIELD_IDS} />
      <div class="grid two">
        <CurationPanel chrome={chrome} view={view} />
        <BreakingPanel chrome={chrome} view={view} />
      </div>
      <script src={view.scriptPath} defer />
    </AdminLayout>
  );
}
