// The story editor's browser code (bundled by src/admin/bundle.ts). Progressive enhancement of
// the plain form in src/admin/views/story.tsx: the body textarea stays in the form, hidden and
// kept in sync, so the form's own Save still posts the body; without JavaScript nothing changes.
import { Editor, Extension, getSchema } from '@tiptap/core';
import { parseBody, serializeBody, textOfBody } from './body-html.ts';
import { bodyExtensions } from './schema.ts';
import { buildToolbar, editLink, MOD_LABEL } from './toolbar.ts';
import { StorySaver } from './autosave.ts';
import { countWords, wordsLabel } from './words.ts';
import { enhanceLeadImage } from './lead-image.ts';

const AUTOSAVE_STATUSES = ['draft', 'changes_requested'];
/** Where the API may save content (FROM.edit in src/newsroom/workflow/policy.ts). */
const SAVABLE_STATUSES = ['draft', 'changes_requested', 'submitted', 'approved', 'scheduled'];

/** Pasted HTML: drop what the schema would read but the body does not keep (link targets, list styles). */
function cleanPaste(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const a of Array.from(doc.querySelectorAll('a'))) for (const name of ['target', 'rel', 'class']) a.removeAttribute(name);
  for (const ol of Array.from(doc.querySelectorAll('ol, li'))) {
    ol.removeAttribute('type');
    ol.removeAttribute('style');
  }
  return doc.body.innerHTML;
}

function shortcutsHelp(): HTMLDetailsElement {
  const details = document.createElement('details');
  details.className = 'shortcuts';
  const summary = document.createElement('summary');
  summary.textContent = 'Keyboard shortcuts';
  const list = document.createElement('dl');
  const rows: Array<[string, string]> = [
    [`${MOD_LABEL}+S`, 'Save now'],
    [`${MOD_LABEL}+B`, 'Bold'],
    [`${MOD_LABEL}+I`, 'Italic'],
    [`${MOD_LABEL}+K`, 'Add or edit a link'],
    [`${MOD_LABEL}+Alt+2 / 3`, 'Heading / subheading'],
    [`${MOD_LABEL}+Shift+8 / 7`, 'Bulleted / numbered list'],
    [`${MOD_LABEL}+Shift+B`, 'Quote'],
    [`${MOD_LABEL}+Z / ${MOD_LABEL}+Shift+Z`, 'Undo / redo'],
    ['Shift+Enter', 'Line break'],
    ['Alt+F10 or Shift+Tab', 'To the toolbar; arrow keys move along it'],
  ];
  for (const [keys, what] of rows) {
    const dt = document.createElement('dt');
    const kbd = document.createElement('kbd');
    kbd.textContent = keys;
    dt.append(kbd);
    const dd = document.createElement('dd');
    dd.textContent = what;
    list.append(dt, dd);
  }
  details.append(summary, list);
  return details;
}

function wordCounter(editor: Editor): { element: HTMLElement; update(): void } {
  const element = document.createElement('p');
  element.className = 'word-count';
  const visible = document.createElement('span');
  visible.setAttribute('aria-hidden', 'true');
  // Said to screen readers only when the writer pauses, and not more than every 15 s.
  const live = document.createElement('span');
  live.className = 'visually-hidden';
  live.setAttribute('aria-live', 'polite');
  element.append(visible, live);
  const count = () => countWords(editor.state.doc.textBetween(0, editor.state.doc.content.size, ' ', ' '));
  visible.textContent = wordsLabel(count());
  live.textContent = visible.textContent;
  let soon: number | undefined;
  let later: number | undefined;
  let announced = 0;
  return {
    element,
    update() {
      window.clearTimeout(soon);
      window.clearTimeout(later);
      soon = window.setTimeout(() => (visible.textContent = wordsLabel(count())), 250);
      later = window.setTimeout(() => {
        if (Date.now() - announced < 15_000) return;
        announced = Date.now();
        live.textContent = wordsLabel(count());
      }, 2_000);
    },
  };
}

function main(): void {
  const form = document.getElementById('story-form') as HTMLFormElement | null;
  const textarea = document.getElementById('bodyHtml') as HTMLTextAreaElement | null;
  if (!form || !textarea) return;
  const editable = !textarea.matches(':disabled');
  const idText = form.dataset.storyId ?? '';
  const storyId = /^\d+$/.test(idText) ? Number(idText) : null;
  const status = form.dataset.status ?? '';
  const language = document.documentElement.lang || 'en';

  const label = document.querySelector<HTMLLabelElement>('label[for="bodyHtml"]');
  if (label && !label.id) label.id = 'bodyHtml-label';
  const hint = document.getElementById('bodyHtml-hint');

  const wrapper = document.createElement('div');
  wrapper.className = 'body-editor';
  const surface = document.createElement('div');
  surface.className = 'editor-surface';
  let html = '';

  const Shortcuts = Extension.create({
    name: 'datelineShortcuts',
    addKeyboardShortcuts() {
      return {
        'Mod-k': () => {
          // One task later: a selection made by the keys just before (Ctrl+Shift+←) reaches
          // the editor with the browser's selectionchange event, which may not have run yet.
          window.setTimeout(() => void editLink(this.editor), 0);
          return true;
        },
        // The ARIA toolbar pattern's way out of the text and into the toolbar.
        'Alt-F10': () => {
          wrapper.querySelector<HTMLElement>('.editor-toolbar [tabindex="0"]')?.focus();
          return true;
        },
      };
    },
  });

  const editor = new Editor({
    element: surface,
    extensions: [...bodyExtensions(), Shortcuts],
    // Parsed here, not by TipTap, the same way the tests parse: no whitespace is dropped.
    content: parseBody(getSchema(bodyExtensions()), textarea.value, document).toJSON(),
    editable,
    editorProps: {
      attributes: {
        id: 'body-editor',
        class: 'editor-content',
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-labelledby': label?.id ?? '',
        ...(hint ? { 'aria-describedby': hint.id } : {}),
        dir: 'auto',
        spellcheck: 'true',
      },
      transformPastedHTML: cleanPaste,
    },
  });
  const sync = () => {
    html = serializeBody(editor.schema, editor.state.doc, document);
    textarea.value = html;
  };
  sync();

  const toolbar = buildToolbar(editor, 'body-editor');
  const words = wordCounter(editor);
  const footer = document.createElement('div');
  footer.className = 'editor-footer';
  footer.append(words.element, shortcutsHelp());
  wrapper.append(toolbar.element, surface, footer);
  textarea.after(wrapper);
  textarea.hidden = true;
  textarea.setAttribute('aria-hidden', 'true');
  label?.addEventListener('click', (event) => {
    event.preventDefault();
    editor.commands.focus();
  });

  let statusEl = document.getElementById('save-state');
  if (!statusEl) {
    statusEl = document.createElement('span');
    statusEl.className = 'save-state';
    statusEl.setAttribute('role', 'status');
    words.element.after(statusEl);
  }

  const saver = new StorySaver({
    form,
    storyId,
    editable,
    autosave: editable && storyId !== null && AUTOSAVE_STATUSES.includes(status),
    canSave: editable && storyId !== null && SAVABLE_STATUSES.includes(status),
    status: statusEl,
    language,
    body: {
      html: () => html,
      set: (value: string) => {
        editor.commands.setContent(parseBody(editor.schema, value, document).toJSON(), { emitUpdate: true });
        sync();
      },
      focus: () => editor.commands.focus(),
    },
  });
  editor.on('update', () => {
    sync();
    words.update();
    saver.changed();
  });
  editor.on('transaction', () => toolbar.refresh());
  editor.on('blur', () => saver.blurred());
  saver.start();
  if (editable) enhanceLeadImage(form);
  // For tests and for people debugging a page: the live editor and the text it would post.
  Object.assign(window, { datelineEditor: { editor, saver, text: () => textOfBody(html, document) } });
}

main();
