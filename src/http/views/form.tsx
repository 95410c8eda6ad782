// Shared bits of forms: a control's hint and error (and the aria-describedby naming them), a
// labelled input for the account forms, and a notice.
import type { ComponentChildren } from 'preact';

/** aria-describedby for a control whose hint and error carry the ids `<id>-hint` and `<id>-error`. */
export const describedBy = (id: string, hint: unknown, error: string | undefined): string | undefined =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

/** The hint and the error under a control, each with the id describedBy names. */
export function HintAndError({ id, hint, error }: { id: string; hint?: ComponentChildren; error?: string }) {
  return (
    <>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </>
  );
}

export function Field(props: {
  name: string;
  label: string;
  type?: string;
  value?: string;
  errors: Record<string, string>;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  inputMode?: 'numeric' | 'email' | 'text';
  pattern?: string;
  minLength?: number;
  maxLength?: number;
}) {
  const { name, label, errors, hint } = props;
  const error = errors[name];
  const id = `f-${name}`;
  return (
    <div>
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={props.type ?? 'text'}
        value={props.value}
        required={props.required ?? true}
        autocomplete={props.autocomplete}
        inputMode={props.inputMode}
        pattern={props.pattern}
        minLength={props.minLength}
        maxLength={props.maxLength}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
      <HintAndError id={id} hint={hint} error={error} />
    </div>
  );
}

export function Notice({ text, ok }: { text: string | undefined; ok?: boolean }) {
  if (!text) return null;
  return (
    <p class={ok ? 'notice ok' : 'notice'} role={ok ? 'status' : 'alert'}>
      {text}
    </p>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <h1>{title}</h1>
      {children}
    </header>
  );
}
