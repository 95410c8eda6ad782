// The figures the toolbar inserts, as editor JSON. Pure data: the tests render them in Node.
import type { JSONContent } from '@tiptap/core';

export interface ImageInput {
  src: string;
  alt: string;
  caption?: string;
  credit?: string;
  width?: number | null;
  height?: number | null;
  srcset?: string | null;
  sizes?: string | null;
}

/** The caption, then the credit as a citation: `<figcaption>Caption — <cite>Credit</cite></figcaption>`. */
function captionContent(caption: string, credit: string): JSONContent[] {
  const content: JSONContent[] = [];
  if (caption) content.push({ type: 'text', text: credit ? `${caption} — ` : caption });
  if (credit) content.push({ type: 'text', text: credit, marks: [{ type: 'citation' }] });
  return content;
}

/** `<figure class="image"><img src alt …><figcaption>…</figcaption></figure>`. */
export function imageFigure(input: ImageInput): JSONContent {
  const caption = (input.caption ?? '').replace(/\s+/g, ' ').trim();
  const credit = (input.credit ?? '').replace(/\s+/g, ' ').trim();
  const image: JSONContent = {
    type: 'image',
    attrs: {
      src: input.src,
      alt: input.alt.replace(/\s+/g, ' ').trim(),
      width: input.width == null ? null : String(input.width),
      height: input.height == null ? null : String(input.height),
      srcset: input.srcset ?? null,
      sizes: input.sizes ?? null,
    },
  };
  const content = [image];
  if (caption || credit) content.push({ type: 'figcaption', content: captionContent(caption, credit) });
  return { type: 'figure', attrs: { kind: 'image' }, content };
}

/** `<figure class="embed"><a href=URL>URL</a></figure>`: a link the site may turn into an embed. */
export function embedFigure(url: string): JSONContent {
  return { type: 'figure', attrs: { kind: 'embed' }, content: [{ type: 'embedLink', attrs: { href: url, label: null } }] };
}
