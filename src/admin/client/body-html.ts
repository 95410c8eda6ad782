// The body's HTML in and out of the editor. Out: the ProseMirror document serialized by the
// schema, tidied the way sanitizeBody would tidy it (no empty paragraphs; a list item's or a
// cell's single paragraph unwrapped, which parses back the same), then written byte for byte as
// sanitizeBody writes HTML (`<br />`, raw U+00A0, its escaping) — so what the editor posts is
// exactly what the server stores. Works on any DOM Document: the browser's, or happy-dom in tests.
import { DOMParser as PMDOMParser, DOMSerializer, type Node as PMNode, type Schema } from '@tiptap/pm/model';

const VOID = new Set(['img', 'br', 'hr']);

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

/** A DOM tree as sanitizeBody writes it. */
export function writeHtml(node: Node): string {
  let out = '';
  node.childNodes.forEach((child) => {
    if (child.nodeType === 3) {
      out += escapeText(child.nodeValue ?? '');
    } else if (child.nodeType === 1) {
      const el = child as Element;
      const tag = el.tagName.toLowerCase();
      out += `<${tag}`;
      for (const a of Array.from(el.attributes)) out += ` ${a.name}="${escapeAttr(a.value)}"`;
      out += VOID.has(tag) ? ' />' : `>${writeHtml(el)}</${tag}>`;
    }
  });
  return out;
}

const isElement = (n: Node | null, ...tags: string[]): n is Element => n?.nodeType === 1 && tags.includes((n as Element).tagName.toLowerCase());

/** Replaces an element by its children. */
function unwrap(el: Element): void {
  const parent = el.parentNode;
  if (!parent) return;
  while (el.firstChild) parent.insertBefore(el.firstChild, el);
  parent.removeChild(el);
}

/** What sanitizeBody would remove or what parses back identically without it. */
export function tidy(root: DocumentFragment | Element): void {
  // Empty paragraphs (whitespace or only line breaks): sanitizeBody drops them.
  for (const p of Array.from(root.querySelectorAll('p'))) {
    if ((p.textContent ?? '').trim() === '' && !p.querySelector('img')) p.remove();
  }
  for (const caption of Array.from(root.querySelectorAll('figcaption'))) {
    if ((caption.textContent ?? '').trim() === '') caption.remove();
  }
  for (const figure of Array.from(root.querySelectorAll('figure'))) {
    if (figure.children.length === 0 && (figure.textContent ?? '').trim() === '') figure.remove();
  }
  // <li><p>text</p></li> → <li>text</li> (a nested list may follow); <td><p>x</p></td> → <td>x</td>.
  for (const li of Array.from(root.querySelectorAll('li'))) {
    const first = li.firstChild;
    if (isElement(first, 'p') && Array.from(li.childNodes).slice(1).every((n) => isElement(n, 'ul', 'ol'))) unwrap(first);
  }
  for (const cell of Array.from(root.querySelectorAll('td, th'))) {
    if (cell.childNodes.length === 1 && isElement(cell.firstChild, 'p')) unwrap(cell.firstChild);
  }
}

/** The body HTML of a document (what goes into the textarea and the API). */
export function serializeBody(schema: Schema, doc: PMNode, document: Document): string {
  const fragment = DOMSerializer.fromSchema(schema).serializeFragment(doc.content, { document });
  tidy(fragment);
  return writeHtml(fragment).trim();
}

/** A document from body HTML, parsed inertly (a <template>: no image loads, no scripts). */
export function parseBody(schema: Schema, html: string, document: Document): PMNode {
  const template = document.createElement('template');
  template.innerHTML = html;
  return PMDOMParser.fromSchema(schema).parse(template.content);
}

/** Block-by-block plain text of body HTML, for the conflict view and the word count. */
export function textOfBody(html: string, document: Document): string {
  const template = document.createElement('template');
  template.innerHTML = html;
  const blocks: string[] = [];
  const walk = (node: Node) => {
    node.childNodes.forEach((child) => {
      if (child.nodeType === 1 && /^(P|H[1-6]|LI|FIGCAPTION|PRE|CAPTION|TR)$/.test((child as Element).tagName)) {
        const text = (child.textContent ?? '').replace(/\s+/g, ' ').trim();
        if (text) blocks.push(text);
      } else if (child.nodeType === 1) {
        if ((child as Element).tagName === 'A' && (child.parentNode as Element | null)?.tagName === 'FIGURE') blocks.push((child.textContent ?? '').trim());
        else walk(child);
      } else if (child.nodeType === 3 && (child.nodeValue ?? '').trim()) {
        blocks.push((child.nodeValue ?? '').replace(/\s+/g, ' ').trim());
      }
    });
  };
  walk(template.content);
  return blocks.join('\n\n');
}
