// The body schema: the one allowlist of HTML an article body may hold. Everything that enters
// the database (editor, API, import) passes through sanitizeBody; views trust only its output.
import sanitizeHtml from 'sanitize-html';

const options: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'h2', 'h3', 'h4', 'blockquote', 'ul', 'ol', 'li', 'a', 'strong', 'em', 'b', 'i', 'u', 's',
    'sub', 'sup', 'br', 'hr', 'figure', 'figcaption', 'img', 'cite', 'q', 'code', 'pre', 'aside',
    'table', 'thead', 'tbody', 'tr', 'th', 'td', 'caption',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'width', 'height', 'srcset', 'sizes'],
    blockquote: ['cite', 'class'],
    aside: ['class'],
    figure: ['class'],
    th: ['scope', 'colspan', 'rowspan'],
    td: ['colspan', 'rowspan'],
    ol: ['start'],
  },
  allowedClasses: {
    blockquote: ['pullquote'],
    aside: ['pullquote'],
    figure: ['embed', 'image'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Inline elements outside a block become a paragraph's job for the editor; here we only drop.
  transformTags: {
    b: 'strong',
    i: 'em',
    h1: 'h2',
    img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, loading: 'lazy', decoding: 'async' } }),
  },
  exclusiveFilter: (frame) => frame.tag === 'p' && frame.text.trim() === '' && !frame.mediaChildren?.length,
};
options.allowedAttributes = { ...options.allowedAttributes, img: ['src', 'alt', 'width', 'height', 'srcset', 'sizes', 'loading', 'decoding'] };

export function sanitizeBody(html: string): string {
  return sanitizeHtml(html, options).trim();
}
