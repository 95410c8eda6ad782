// What the article page costs a phone, read from its HTML: bytes of HTML and CSS before
// compression (inline <style> counts in the HTML; linked stylesheets are fetched), scripts that
// block rendering, and whether images load lazily with their sizes declared.
import { fail } from './fail.ts';

export interface PageWeight {
  htmlBytes: number;
  inlineCssBytes: number;
  linkedCssBytes: number;
  /** HTML plus linked CSS, uncompressed: the budget is 50 KB. */
  htmlPlusCssBytes: number;
  renderBlockingScripts: string[];
  images: number;
  imagesWithoutLazy: string[];
  imagesWithoutSizes: string[];
}

const attr = (tag: string, name: string) => new RegExp(`\\s${name}(?:\\s*=\\s*("[^"]*"|'[^']*'|[^\\s>]+))?`, 'i').exec(tag);
const value = (tag: string, name: string) => attr(tag, name)?.[1]?.replace(/^["']|["']$/g, '');

export async function pageWeight(url: string): Promise<PageWeight> {
  const response = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
  if (response.status !== 200) fail(`${url} answered ${response.status}`);
  const html = await response.text();
  const htmlBytes = Buffer.byteLength(html);
  const inlineCssBytes = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)].reduce((n, m) => n + Buffer.byteLength(m[1] ?? ''), 0);

  let linkedCssBytes = 0;
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    if (!/\brel\s*=\s*["']?stylesheet/i.test(tag)) continue;
    const href = value(tag, 'href');
    if (!href) continue;
    const css = await fetch(new URL(href, url), { headers: { 'accept-encoding': 'identity' } });
    linkedCssBytes += Buffer.byteLength(await css.text());
  }

  // Blocking: a classic script (not JSON-LD, not a module) without async or defer, in the head
  // or anywhere before the content it would delay.
  const renderBlockingScripts: string[] = [];
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const type = value(tag, 'type');
    if (type && type !== 'text/javascript' && type !== 'module') continue;
    if (type === 'module' || attr(tag, 'async') || attr(tag, 'defer')) continue;
    renderBlockingScripts.push(value(tag, 'src') ?? 'inline script');
  }

  const imgs = [...html.matchAll(/<img\b[^>]*>/gi)].map((m) => m[0]);
  const name = (tag: string) => value(tag, 'src') ?? tag.slice(0, 60);
  return {
    htmlBytes,
    inlineCssBytes,
    linkedCssBytes,
    htmlPlusCssBytes: htmlBytes + linkedCssBytes,
    renderBlockingScripts,
    images: imgs.length,
    imagesWithoutLazy: imgs.filter((t) => value(t, 'loading') !== 'lazy').map(name),
    // `sizes` matters with a srcset; width and height keep the layout from shifting.
    imagesWithoutSizes: imgs.filter((t) => (attr(t, 'srcset') && !attr(t, 'sizes')) || !attr(t, 'width') || !attr(t, 'height')).map(name),
  };
}
