// The site's settings page, and the form pieces the administration pages share: notices, an
// error summary that links to each field, and fields that carry their error (aria-invalid,
// aria-describedby) next to them.
import type { ComponentChildren } from 'preact';
import { AdminLayout, type AdminChrome } from './layout.tsx';
import { describedBy, HintAndError } from '../../http/views/form.tsx';

export interface Notice {
  kind: 'ok' | 'info' | 'error';
  text: string;
}

export type FieldErrors = Record<string, string>;

/**
 * A success or information notice, or, for a refusal, a summary of every problem with a link to
 * its field (`fieldIds` maps an error's key to the id of its input).
 */
export function FormNotice({ notice, errors = {}, fieldIds = {} }: { notice?: Notice; errors?: FieldErrors; fieldIds?: Record<string, string> }) {
  if (!notice) return null;
  if (notice.kind !== 'error') {
    return (
      <p class={`notice ${notice.kind}`} role="status">
        {notice.text}
      </p>
    );
  }
  const problems = Object.entries(errors);
  if (problems.length === 0) {
    return (
      <p class="notice" role="alert">
        {notice.text}
      </p>
    );
  }
  return (
    <div class="notice" role="alert" aria-labelledby="error-summary-title">
      <p id="error-summary-title">
        <strong>{problems.length === 1 ? 'Nothing was saved: one thing needs fixing.' : `Nothing was saved: ${problems.length} things need fixing.`}</strong>
      </p>
      <ul>
        {problems.map(([key, text]) => (
          <li key={key}>{fieldIds[key] ? <a href={`#${fieldIds[key]}`}>{text}</a> : text}</li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  id: string;
  name: string;
  label: string;
  value: string;
  error?: string;
  hint?: ComponentChildren;
  required?: boolean;
}

export function TextField({
  id,
  name,
  label,
  value,
  error,
  hint,
  required,
  type = 'text',
  ...input
}: FieldProps & { type?: 'text' | 'email' | 'url' | 'number' | 'datetime-local'; maxLength?: number; autocomplete?: string; inputMode?: 'url' | 'email' | 'numeric' | 'text'; min?: number; max?: number; spellcheck?: boolean }) {
  return (
    <div class="field">
      <label for={id}>
        {label}
        {required ? null : <span class="optional"> (optional)</span>}
      </label>
      <input id={id} name={name} type={type} value={value} required={required} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(id, hint, error)} {...input} />
      <HintAndError id={id} hint={hint} error={error} />
    </div>
  );
}

export function TextArea({ id, name, label, value, error, hint, required, rows = 4, maxLength }: FieldProps & { rows?: number; maxLength?: number }) {
  return (
    <div class="field">
      <label for={id}>
        {label}
        {required ? null : <span class="optional"> (optional)</span>}
      </label>
      <textarea id={id} name={name} rows={rows} maxLength={maxLength} required={required} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(id, hint, error)}>
        {value}
      </textarea>
      <HintAndError id={id} hint={hint} error={error} />
    </div>
  );
}

export function SelectField({ id, name, label, value, error, hint, required, options, empty }: FieldProps & { options: Array<[string, string]>; empty?: string }) {
  return (
    <div class="field">
      <label for={id}>
        {label}
        {required ? null : <span class="optional"> (optional)</span>}
      </label>
      {/* `required` only where an empty choice exists: otherwise a value is always chosen. */}
      <select id={id} name={name} required={required && empty !== undefined} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(id, hint, error)}>
        {empty !== undefined ? <option value="">{empty}</option> : null}
        {options.map(([v, text]) => (
          <option key={v} value={v} selected={v === value}>
            {text}
          </option>
        ))}
      </select>
      <HintAndError id={id} hint={hint} error={error} />
    </div>
  );
}

/** The hidden CSRF field every form carries. */
export const Csrf = ({ chrome }: { chrome: AdminChrome }) => <input type="hidden" name="_csrf" value={chrome.csrf} />;

export interface SettingsForm {
  siteName: string;
  tagline: string;
}

export interface SettingsView {
  form: SettingsForm;
  errors: FieldErrors;
  notice?: Notice;
  /** SITE_NAME is set in the environment and wins over the stored name. */
  nameOverridden: boolean;
}

export function SettingsPage({ chrome, view }: { chrome: AdminChrome; view: SettingsView }) {
  const { form, errors } = view;
  return (
    <AdminLayout chrome={chrome} title="Settings" section="settings">
      <h1>Settings</h1>
      <FormNotice notice={view.notice} errors={errors} fieldIds={{ siteName: 'siteName', tagline: 'tagline' }} />
      {view.nameOverridden ? (
        <p class="notice info">The SITE_NAME environment variable is set, so the site shows that name whatever is saved here.</p>
      ) : null}
      <form method="post" action="/admin/settings" class="panel narrow" novalidate>
        <Csrf chrome={chrome} />
        <TextField id="siteName" name="siteName" label="Site name" value={form.siteName} error={errors.siteName} required maxLength={100} hint="Shown in every page's header and title, in feeds and in emails." />
        <TextField id="tagline" name="tagline" label="Tagline" value={form.tagline} error={errors.tagline} maxLength={200} hint="A line under the name in the header." />
        <button class="button" type="submit">
          Save settings
        </button>
      </form>
    </AdminLayout>
  );
}
