// The newsroom UI's stylesheet, read and minified once, inlined into every admin page.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let css: string | undefined;

export function adminCss(): string {
  css ??= readFileSync(fileURLToPath(new URL('./assets/admin.css', import.meta.url)), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .trim();
  return css;
}
