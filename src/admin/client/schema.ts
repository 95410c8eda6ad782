// The editor's schema is the body allowlist (src/newsroom/body.ts), no more and no less: every
// element sanitizeBody keeps has a node or mark here, so opening an existing story never drops a
// word, and every node renders only tags, attributes and classes sanitizeBody keeps unchanged.
// No DOM at import time: tests build the schema in Node.
import { Extension, Mark, Node, mergeAttributes, type AnyExtension } from '@tiptap/core';
import { StarterKit } from '@tiptap/starter-kit';
import { NodeSelection, Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { keptHref } from './urls.ts';

const attr = (name: string) => ({
  default: null,
  parseHTML: (el: HTMLElement) => el.getAttribute(name),
  renderHTML: (attrs: Record<string, unknown>) => (attrs[name] == null ? {} : { [name]: attrs[name] }),
});

const simpleMark = (name: string, tag: string) =>
  Mark.create({
    name,
    parseHTML: () => [{ tag }],
    renderHTML: () => [tag, 0],
  });

/** blockquote.pullquote and the cite attribute on quotes. */
const QuoteAttributes = Extension.create({
  name: 'quoteAttributes',
  addGlobalAttributes() {
    return [
      {
        types: ['blockquote'],
        attributes: {
          pullquote: {
            default: false,
            parseHTML: (el: HTMLElement) => el.classList.contains('pullquote'),
            renderHTML: (attrs: Record<string, unknown>) => (attrs.pullquote ? { class: 'pullquote' } : {}),
          },
          cite: attr('cite'),
        },
      },
    ];
  },
});

/** <figure class="image|embed">: an image or an embed link, then an optional caption. */
export const Figure = Node.create({
  name: 'figure',
  group: 'block',
  content: '(image | embedLink)? figcaption?',
  isolating: true,
  draggable: true,
  addAttributes() {
    return {
      kind: {
        default: null,
        parseHTML: (el: HTMLElement) => (el.classList.contains('image') ? 'image' : el.classList.contains('embed') ? 'embed' : null),
        renderHTML: (attrs: Record<string, unknown>) => (attrs.kind ? { class: attrs.kind } : {}),
      },
    };
  },
  parseHTML: () => [{ tag: 'figure' }],
  renderHTML: ({ HTMLAttributes }) => ['figure', HTMLAttributes, 0],
  addProseMirrorPlugins() {
    return [new Plugin({ key: new PluginKey('figureTyping'), props: { handleTextInput: typeIntoCaption } })];
  },
});

/**
 * Typing while a figure's image (or embed link) is selected writes its caption instead of
 * replacing the image with the letters typed: a stray click must not cost a picture.
 */
export function typeIntoCaption(view: EditorView, _from: number, _to: number, text: string): boolean {
  const { selection, schema } = view.state;
  if (!(selection instanceof NodeSelection) || !['image', 'embedLink'].includes(selection.node.type.name)) return false;
  const $pos = selection.$from;
  const figure = $pos.parent;
  if (figure.type.name !== 'figure') return false;
  const tr = view.state.tr;
  let caption: { pos: number; size: number } | null = null;
  figure.forEach((child, offset) => {
    if (child.type.name === 'figcaption') caption = { pos: $pos.start() + offset, size: child.content.size };
  });
  const found = caption as { pos: number; size: number } | null;
  let end: number;
  if (found) {
    end = found.pos + 1 + found.size;
    tr.insertText(text, end);
  } else {
    end = $pos.end() + 1;
    tr.insert($pos.end(), schema.nodes.figcaption!.create(null, schema.text(text)));
  }
  tr.setSelection(TextSelection.create(tr.doc, end + text.length));
  view.dispatch(tr.scrollIntoView());
  return true;
}

/** An image; lazy-loading attributes are what sanitizeBody adds, so they are written here too. */
export const Image = Node.create({
  name: 'image',
  atom: true,
  selectable: true,
  addAttributes() {
    return { src: attr('src'), alt: attr('alt'), width: attr('width'), height: attr('height'), srcset: attr('srcset'), sizes: attr('sizes') };
  },
  parseHTML: () => [{ tag: 'figure > img[src]', priority: 60 }],
  renderHTML: ({ HTMLAttributes }) => ['img', mergeAttributes(HTMLAttributes, { loading: 'lazy', decoding: 'async' })],
});

/** An image inside text (`<p><img> …</p>`), which stored stories may hold: kept where it is. */
export const InlineImage = Image.extend({
  name: 'inlineImage',
  inline: true,
  group: 'inline',
  parseHTML: () => [{ tag: 'img[src]' }],
});

/** The link inside figure.embed: the site may turn it into an embed later; no iframes here. */
export const EmbedLink = Node.create({
  name: 'embedLink',
  atom: true,
  selectable: true,
  addAttributes() {
    return {
      href: attr('href'),
      // The link's own words, when they are not the address itself: kept, never lost.
      label: { default: null, parseHTML: (el: HTMLElement) => el.textContent, rendered: false },
    };
  },
  parseHTML: () => [{ tag: 'figure.embed > a[href]', priority: 100 }],
  renderHTML: ({ node }) => ['a', node.attrs.href == null ? {} : { href: node.attrs.href }, (node.attrs.label as string | null) || (node.attrs.href as string | null) || ''],
  renderText: ({ node }) => (node.attrs.label as string | null) || (node.attrs.href as string | null) || '',
});

export const Figcaption = Node.create({
  name: 'figcaption',
  content: 'inline*',
  parseHTML: () => [{ tag: 'figcaption' }],
  renderHTML: () => ['figcaption', 0],
  addKeyboardShortcuts() {
    return {
      // A caption cannot split in two; Enter goes on below the figure, as in a word processor.
      // (Left to the browser, Enter in a caption inserts DOM the schema cannot hold.)
      Enter: () =>
        this.editor.commands.command(({ tr, state, dispatch }) => {
          const { $from } = state.selection;
          if ($from.parent.type.name !== 'figcaption' || $from.depth < 2) return false;
          if (dispatch) {
            const after = $from.after($from.depth - 1);
            tr.insert(after, state.schema.nodes.paragraph!.create());
            tr.setSelection(TextSelection.create(tr.doc, after + 1)).scrollIntoView();
          }
          return true;
        }),
    };
  },
});

/** aside.pullquote, which older stories and imports may hold. */
export const Aside = Node.create({
  name: 'aside',
  group: 'block',
  content: 'block+',
  defining: true,
  addAttributes() {
    return {
      pullquote: {
        default: false,
        parseHTML: (el: HTMLElement) => el.classList.contains('pullquote'),
        renderHTML: (attrs: Record<string, unknown>) => (attrs.pullquote ? { class: 'pullquote' } : {}),
      },
    };
  },
  parseHTML: () => [{ tag: 'aside' }],
  renderHTML: ({ HTMLAttributes }) => ['aside', HTMLAttributes, 0],
});

// Tables: kept and editable as text; the toolbar does not make new ones.
const Table = Node.create({
  name: 'table',
  group: 'block',
  content: 'tableCaption? tableSection+',
  isolating: true,
  parseHTML: () => [{ tag: 'table' }],
  renderHTML: () => ['table', 0],
});
const TableCaption = Node.create({
  name: 'tableCaption',
  content: 'inline*',
  parseHTML: () => [{ tag: 'caption' }],
  renderHTML: () => ['caption', 0],
  // One line: Enter does nothing here rather than let the browser insert what the schema cannot hold.
  addKeyboardShortcuts() {
    return { Enter: () => this.editor.state.selection.$from.parent.type.name === 'tableCaption' };
  },
});
const TableSection = Node.create({
  name: 'tableSection',
  content: 'tableRow+',
  addAttributes() {
    return { head: { default: false, rendered: false } };
  },
  parseHTML: () => [
    { tag: 'thead', attrs: { head: true } },
    { tag: 'tbody', attrs: { head: false } },
  ],
  renderHTML: ({ node }) => [node.attrs.head ? 'thead' : 'tbody', 0],
});
const TableRow = Node.create({
  name: 'tableRow',
  content: '(tableHeader | tableCell)+',
  parseHTML: () => [{ tag: 'tr' }],
  renderHTML: () => ['tr', 0],
});
const TableHeader = Node.create({
  name: 'tableHeader',
  content: 'block+',
  isolating: true,
  addAttributes() {
    return { scope: attr('scope'), colspan: attr('colspan'), rowspan: attr('rowspan') };
  },
  parseHTML: () => [{ tag: 'th' }],
  renderHTML: ({ HTMLAttributes }) => ['th', HTMLAttributes, 0],
});
const TableCell = Node.create({
  name: 'tableCell',
  content: 'block+',
  isolating: true,
  addAttributes() {
    return { colspan: attr('colspan'), rowspan: attr('rowspan') };
  },
  parseHTML: () => [{ tag: 'td' }],
  renderHTML: ({ HTMLAttributes }) => ['td', HTMLAttributes, 0],
});

/** Every extension of the body editor, in one list the browser and the tests share. */
export function bodyExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      heading: { levels: [2, 3, 4] },
      // <pre><code> without a language class: the body keeps no classes on code.
      codeBlock: { languageClassPrefix: null },
      link: {
        openOnClick: false,
        autolink: false,
        linkOnPaste: true,
        defaultProtocol: 'https',
        protocols: [],
        // No target, rel or class: the body keeps href and title only.
        HTMLAttributes: { target: null, rel: null, class: null },
        isAllowedUri: (url: string) => keptHref(url),
      },
    }),
    QuoteAttributes,
    simpleMark('subscript', 'sub'),
    simpleMark('superscript', 'sup'),
    simpleMark('citation', 'cite'),
    simpleMark('inlineQuote', 'q'),
    Figure,
    Image,
    InlineImage,
    EmbedLink,
    Figcaption,
    Aside,
    Table,
    TableCaption,
    TableSection,
    TableRow,
    TableHeader,
    TableCell,
  ];
}
