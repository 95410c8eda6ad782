// A small modal form in a native <dialog>: focus moves in and back, Escape cancels, every field
// has a visible label and its error next to it. It lives at the end of <body>, outside the
// story form (forms cannot nest).

export interface DialogField {
  name: string;
  label: string;
  value?: string;
  hint?: string;
  required?: boolean;
  inputMode?: 'url' | 'text';
  /** An error message for this value, or null when it is fine. */
  check?: (value: string, all: Record<string, string>) => string | null;
}

export interface DialogOptions {
  title: string;
  fields: DialogField[];
  submitLabel: string;
  /** An extra action, e.g. "Remove link"; resolves the dialog with { action: name }. */
  extra?: { name: string; label: string };
  /**
   * Gives the focus back when the dialog closes (default: to what had it before). The editor
   * restores its own selection synchronously, so nothing typed right after is misplaced.
   */
  restoreFocus?: () => void;
  /** Content shown above the fields (the media library), given a way to fill the fields. */
  before?: (fields: DialogControls) => HTMLElement | null;
}

export interface DialogControls {
  get(name: string): string;
  set(name: string, value: string): void;
}

let counter = 0;

export function askFields(options: DialogOptions): Promise<Record<string, string> | null> {
  const id = `editor-dialog-${++counter}`;
  const returnFocus = document.activeElement as HTMLElement | null;
  const dialog = document.createElement('dialog');
  dialog.className = 'editor-dialog';
  dialog.setAttribute('aria-labelledby', `${id}-title`);
  const form = document.createElement('form');
  form.method = 'dialog';
  form.noValidate = true;
  const title = document.createElement('h2');
  title.id = `${id}-title`;
  title.textContent = options.title;
  form.append(title);
  const inputs = new Map<string, { input: HTMLInputElement; error: HTMLElement; field: DialogField }>();
  for (const field of options.fields) {
    const wrap = document.createElement('div');
    wrap.className = 'field';
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'text';
    input.id = `${id}-${field.name}`;
    input.name = field.name;
    input.value = field.value ?? '';
    input.autocomplete = 'off';
    if (field.inputMode) input.inputMode = field.inputMode;
    if (field.required) input.required = true;
    label.htmlFor = input.id;
    label.textContent = field.required ? field.label : `${field.label} (optional)`;
    wrap.append(label, input);
    const describedBy: string[] = [];
    if (field.hint) {
      const hint = document.createElement('p');
      hint.className = 'hint';
      hint.id = `${input.id}-hint`;
      hint.textContent = field.hint;
      wrap.append(hint);
      describedBy.push(hint.id);
    }
    const error = document.createElement('p');
    error.className = 'error';
    error.id = `${input.id}-error`;
    error.hidden = true;
    wrap.append(error);
    describedBy.push(error.id);
    input.setAttribute('aria-describedby', describedBy.join(' '));
    form.append(wrap);
    inputs.set(field.name, { input, error, field });
  }

  const before = options.before?.({
    get: (name) => inputs.get(name)?.input.value ?? '',
    set: (name, v) => {
      const input = inputs.get(name)?.input;
      if (input) input.value = v;
    },
  });
  if (before) title.after(before);

  const buttons = document.createElement('p');
  buttons.className = 'dialog-buttons';
  const ok = document.createElement('button');
  ok.type = 'submit';
  ok.className = 'button';
  ok.textContent = options.submitLabel;
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.className = 'button secondary';
  cancel.textContent = 'Cancel';
  buttons.append(ok, ' ');
  let extra: HTMLButtonElement | undefined;
  if (options.extra) {
    extra = document.createElement('button');
    extra.type = 'button';
    extra.className = 'button secondary';
    extra.textContent = options.extra.label;
    buttons.append(extra, ' ');
  }
  buttons.append(cancel);
  form.append(buttons);
  dialog.append(form);
  document.body.append(dialog);

  return new Promise((resolve) => {
    let result: Record<string, string> | null = null;
    let finished = false;
    // Finished at once rather than on the dialog's 'close' event, which the browser dispatches in
    // a later task: keys typed right after Enter would otherwise land before the focus is back.
    const finish = () => {
      if (finished) return;
      finished = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      if (options.restoreFocus) options.restoreFocus();
      else returnFocus?.focus();
      resolve(result);
    };
    dialog.addEventListener('close', finish, { once: true });
    cancel.addEventListener('click', finish);
    extra?.addEventListener('click', () => {
      result = { action: options.extra?.name ?? 'extra' };
      finish();
    });
    form.addEventListener('submit', (event) => {
      const values: Record<string, string> = {};
      for (const [name, { input }] of inputs) values[name] = input.value.trim();
      let firstBad: HTMLInputElement | undefined;
      for (const [name, { input, error, field }] of inputs) {
        const message = field.required && !values[name] ? `${field.label} is needed.` : (field.check?.(values[name] ?? '', values) ?? null);
        error.hidden = message === null;
        error.textContent = message ?? '';
        if (message) input.setAttribute('aria-invalid', 'true');
        else input.removeAttribute('aria-invalid');
        if (message && !firstBad) firstBad = input;
      }
      if (firstBad) {
        event.preventDefault();
        firstBad.focus();
        return;
      }
      event.preventDefault();
      result = values;
      finish();
    });
    dialog.showModal();
    inputs.values().next().value?.input.focus();
  });
}
