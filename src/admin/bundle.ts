// The story editor's browser bundle (TipTap/ProseMirror and src/admin/client), built once at
// start-up with esbuild into memory, like the site's script (src/site/assets.ts). Served at a
// path named by its content hash, so it can be cached for a year and never go stale; a gzip copy
// is made once here, since the bundle is the largest thing the newsroom sends.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export interface BundledAsset {
  path: string;
  body: string;
  gzip: Buffer;
  type: string;
}

export interface AdminBundle {
  editor: BundledAsset;
}

export const ADMIN_ASSETS = '/admin/assets';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

let cached: Promise<AdminBundle> | undefined;

export function adminBundle(): Promise<AdminBundle> {
  cached ??= buildBundle().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function buildBundle(): Promise<AdminBundle> {
  const result = await build({
    entryPoints: [here('./client/editor.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    legalComments: 'eof',
  });
  const js = result.outputFiles[0]?.text ?? '';
  const hash = createHash('sha256').update(js).digest('hex').slice(0, 12);
  return { editor: { path: `${ADMIN_ASSETS}/editor.${hash}.js`, body: js, gzip: gzipSync(js, { level: 9 }), type: 'text/javascript; charset=utf-8' } };
}
