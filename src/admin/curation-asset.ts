// The front-page curation script, bundled once per process with esbuild and served from a
// content-hashed path (/admin/assets/curation.<hash>.js), so it can be cached for ever and the
// page's CSP (script-src 'self') needs no inline script.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface ScriptAsset {
  path: string;
  body: string;
  type: string;
}

let cached: Promise<ScriptAsset> | undefined;

export function curationScript(): Promise<ScriptAsset> {
  cached ??= bundle();
  return cached;
}

async function bundle(): Promise<ScriptAsset> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./client/curation.ts', import.meta.url))],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  const js = result.outputFiles[0]?.text ?? '';
  const hash = createHash('sha256').update(js).digest('hex').slice(0, 12);
  return { path: `/admin/assets/curation.${hash}.js`, body: js, type: 'text/javascript; charset=utf-8' };
}
