// The site's static assets, built once at start-up: the stylesheet (inlined into pages, so a
// phone needs no second request before it can paint) and the small enhancement script.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface Asset {
  path: string;
  body: string;
  type: string;
}

export interface SiteAssets {
  css: string;
  script: Asset;
}

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

const minifyCss = (css: string) =>
  css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{}:;,>])\s*/g, '$1')
    .replace(/;}/g, '}')
    .trim();

let cached: Promise<SiteAssets> | undefined;

export function siteAssets(): Promise<SiteAssets> {
  cached ??= buildAssets();
  return cached;
}

async function buildAssets(): Promise<SiteAssets> {
  const css = minifyCss(readFileSync(here('./assets/site.css'), 'utf8'));
  const result = await build({
    entryPoints: [here('./client/relative-time.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  const js = result.outputFiles[0]?.text ?? '';
  const hash = createHash('sha256').update(js).digest('hex').slice(0, 12);
  return { css, script: { path: `/assets/site.${hash}.js`, body: js, type: 'text/javascript; charset=utf-8' } };
}
