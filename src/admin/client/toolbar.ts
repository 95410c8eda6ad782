// The formatting toolbar: real buttons with visible names, aria-pressed for the toggles, one
// tab stop (roving tabindex) and arrow keys between buttons, as the ARIA toolbar pattern says.
import type { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import { askFields } from './dialog.ts';
import { embedFigure, imageFigure } from './figures.ts';
import { mediaLibrary, type PickedImage } from './media.ts';
import { safeHref, safeMediaUrl } from './urls.ts';

interface ToolButton {
  name: string;
  label: string;
  /** Shown in the tooltip and in aria-keyshortcuts. */
  keys?: string;
  run(editor: Editor): unknown;
  active?(editor: Editor): boolean;
  enabled?(editor: Editor): boolean;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
export const MOD = isMac ? 'Meta' : 'Control';
export const MOD_LABEL = isMac ? '⌘' : 'Ctrl';

/** Wraps the selection in a quote or a pull quote, switches between them, or lifts it out. */
function toggleQuote(editor: Editor, pullquote: boolean): boolean {
  if (editor.isActive('blockquote', { pullquote })) return editor.chain().focus().lift('blockquote').run();
  if (editor.isActive('blockquote')) return editor.chain().focus().updateAttributes('blockquote', { pullquote }).run();
  return editor.chain().focus().wrapIn('blockquote', { pullquote }).run();
}

/**
 * The selection as it was before a dialog took the focus: giving the focus back to the text may
 * collapse the browser's selection, and the dialog's answer belongs where the writer was.
 */
function keep(editor: Editor): () => ReturnType<Editor['chain']> {
  const { from, to } = editor.state.selection;
  return () => {
    const size = editor.state.doc.content.size;
    editor.view.focus();
    return editor.chain().setTextSelection({ from: Math.min(from, size), to: Math.min(to, size) });
  };
}

export async function editLink(editor: Editor): Promise<void> {
  const current = (editor.getAttributes('link').href as string | undefined) ?? '';
  const wasEmpty = editor.state.selection.empty;
  const back = keep(editor);
  const values = await askFields({
    restoreFocus: () => editor.view.focus(),
    title: current ? 'Edit link' : 'Add a link',
    submitLabel: 'Apply link',
    extra: current ? { name: 'remove', label: 'Remove link' } : undefined,
    fields: [
      {
        name: 'url',
        label: 'Address',
        value: current,
        required: true,
        inputMode: 'url',
        hint: 'https://…, mailto:…, tel:… or a path on this site such as /politics/…',
        check: (v) => (safeHref(v) ? null : 'Use an http(s), mailto or tel address, or a path on this site. Scripts (javascript:) are not allowed.'),
      },
    ],
  });
  if (!values) return;
  if (values.action === 'remove') {
    back().extendMarkRange('link').unsetLink().run();
    return;
  }
  const href = safeHref(values.url ?? '');
  if (!href) return;
  const chain = back().extendMarkRange('link');
  if (wasEmpty && !current) {
    // Nothing selected: the address itself becomes the linked text.
    chain.insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] }).run();
  } else {
    // Then the cursor after the link, so what is typed next is not swallowed by the selection.
    chain
      .setLink({ href })
      .command(({ tr }) => {
        tr.setSelection(TextSelection.create(tr.doc, Math.min(tr.selection.to, tr.doc.content.size)));
        return true;
      })
      .run();
  }
}

export async function insertImage(editor: Editor): Promise<void> {
  let picked: PickedImage | null = null;
  const at = editor.state.selection.to;
  const values = await askFields({
    restoreFocus: () => editor.view.focus(),
    title: 'Insert an image',
    submitLabel: 'Insert image',
    before: (fields) => mediaLibrary(fields, (p) => (picked = p)),
    fields: [
      {
        name: 'src',
        label: 'Image address',
        required: true,
        inputMode: 'url',
        hint: 'From the media library (/media/…) or an https:// address.',
        check: (v) => (safeMediaUrl(v) ? null : 'Use an http(s) address or a path on this site.'),
      },
      { name: 'alt', label: 'Alt text', required: true, hint: 'What the image shows, for readers who cannot see it.' },
      { name: 'caption', label: 'Caption' },
      { name: 'credit', label: 'Credit', hint: 'Who made the image, e.g. “Photo: Sara Ahmadi/IFP”.' },
    ],
  });
  if (!values) return;
  const src = safeMediaUrl(values.src ?? '');
  if (!src || !values.alt) return;
  // The library's responsive attributes, unless the writer typed another address.
  const library = (picked as PickedImage | null)?.src === src ? (picked as PickedImage | null) : null;
  // At the end of the selection, never over it: selected words stay.
  editor
    .chain()
    .insertContentAt(Math.min(at, editor.state.doc.content.size), imageFigure({ ...library, src, alt: values.alt, caption: values.caption, credit: values.credit }))
    .run();
}

export async function insertEmbed(editor: Editor): Promise<void> {
  const at = editor.state.selection.to;
  const values = await askFields({
    restoreFocus: () => editor.view.focus(),
    title: 'Embed by address',
    submitLabel: 'Insert embed',
    fields: [
      {
        name: 'url',
        label: 'Address of the post or video',
        required: true,
        inputMode: 'url',
        hint: 'The story shows it as a link; the site may turn it into an embed.',
        check: (v) => (/^https?:\/\//i.test(v) && safeMediaUrl(v) ? null : 'Use a full http(s) address.'),
      },
    ],
  });
  const url = values ? safeMediaUrl(values.url ?? '') : null;
  if (!url) return;
  editor.chain().insertContentAt(Math.min(at, editor.state.doc.content.size), embedFigure(url)).run();
}

export function buttonsFor(): ToolButton[] {
  return [
    { name: 'bold', label: 'Bold', keys: `${MOD}+B`, run: (e) => e.chain().focus().toggleBold().run(), active: (e) => e.isActive('bold') },
    { name: 'italic', label: 'Italic', keys: `${MOD}+I`, run: (e) => e.chain().focus().toggleItalic().run(), active: (e) => e.isActive('italic') },
    { name: 'link', label: 'Link', keys: `${MOD}+K`, run: (e) => editLink(e), active: (e) => e.isActive('link') },
    { name: 'h2', label: 'Heading', keys: `${MOD}+Alt+2`, run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(), active: (e) => e.isActive('heading', { level: 2 }) },
    { name: 'h3', label: 'Subheading', keys: `${MOD}+Alt+3`, run: (e) => e.chain().focus().toggleHeading({ level: 3 }).run(), active: (e) => e.isActive('heading', { level: 3 }) },
    { name: 'bulletList', label: 'Bullets', keys: `${MOD}+Shift+8`, run: (e) => e.chain().focus().toggleBulletList().run(), active: (e) => e.isActive('bulletList') },
    { name: 'orderedList', label: 'Numbers', keys: `${MOD}+Shift+7`, run: (e) => e.chain().focus().toggleOrderedList().run(), active: (e) => e.isActive('orderedList') },
    { name: 'quote', label: 'Quote', keys: `${MOD}+Shift+B`, run: (e) => toggleQuote(e, false), active: (e) => e.isActive('blockquote', { pullquote: false }) },
    { name: 'pullquote', label: 'Pull quote', run: (e) => toggleQuote(e, true), active: (e) => e.isActive('blockquote', { pullquote: true }) },
    { name: 'image', label: 'Image', run: (e) => insertImage(e) },
    { name: 'embed', label: 'Embed', run: (e) => insertEmbed(e) },
    { name: 'undo', label: 'Undo', keys: `${MOD}+Z`, run: (e) => e.chain().focus().undo().run(), enabled: (e) => e.can().undo() },
    { name: 'redo', label: 'Redo', keys: `${MOD}+Shift+Z`, run: (e) => e.chain().focus().redo().run(), enabled: (e) => e.can().redo() },
  ];
}

const keyLabel = (keys: string) => keys.replace('Control', 'Ctrl').replace('Meta', '⌘');

export function buildToolbar(editor: Editor, controls: string): { element: HTMLElement; refresh(): void } {
  const bar = document.createElement('div');
  bar.className = 'editor-toolbar';
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', 'Body formatting');
  bar.setAttribute('aria-controls', controls);
  const tools = buttonsFor();
  const buttons = tools.map((tool, i) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = `tool tool-${tool.name}`;
    button.dataset.tool = tool.name;
    button.textContent = tool.label;
    button.tabIndex = i === 0 ? 0 : -1;
    if (tool.keys) {
      button.title = `${tool.label} (${keyLabel(tool.keys)})`;
      button.setAttribute('aria-keyshortcuts', tool.keys);
    }
    if (tool.active) button.setAttribute('aria-pressed', 'false');
    // Keep the editor's selection: a mouse press on a button must not move focus first.
    button.addEventListener('mousedown', (event) => event.preventDefault());
    button.addEventListener('click', () => {
      if (!editor.isEditable) return;
      void tool.run(editor);
    });
    bar.append(button);
    return button;
  });
  // Groups, for the eye: marks | blocks | media | history.
  for (const i of [2, 8, 10]) buttons[i]?.after(Object.assign(document.createElement('span'), { className: 'tool-gap', ariaHidden: 'true' }));

  bar.addEventListener('keydown', (event) => {
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    const moves: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: buttons.length - 1 };
    const to = moves[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const next = buttons[(to + buttons.length) % buttons.length];
    if (!next) return;
    for (const b of buttons) b.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  });
  bar.addEventListener('focusin', (event) => {
    const target = event.target as HTMLButtonElement;
    if (!buttons.includes(target)) return;
    for (const b of buttons) b.tabIndex = b === target ? 0 : -1;
  });

  const refresh = () => {
    tools.forEach((tool, i) => {
      const button = buttons[i];
      if (!button) return;
      if (tool.active) button.setAttribute('aria-pressed', String(editor.isEditable && tool.active(editor)));
      // aria-disabled, not disabled: a disabled button would drop out of the toolbar's focus order.
      const enabled = editor.isEditable && (tool.enabled ? tool.enabled(editor) : true);
      if (enabled) button.removeAttribute('aria-disabled');
      else button.setAttribute('aria-disabled', 'true');
    });
  };
  refresh();
  return { element: bar, refresh };
}
