// System tools the suite drives: wrk (load), nginx (the static-file baseline), taskset (pinning).
// Installed from Debian when missing and we are root, as .ci/run does for chromium; otherwise
// the run stops naming the packages to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fail } from './fail.ts';

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

/** Debian packages for each missing tool; nginx's brotli module only when nginx is wanted. */
export function ensureTools(wantNginx: boolean): void {
  const need: string[] = [];
  if (!has('taskset')) need.push('util-linux');
  if (!has('wrk')) need.push('wrk');
  if (wantNginx && !has('nginx') && !existsSync('/usr/sbin/nginx')) need.push('nginx-light');
  const root = process.getuid?.() === 0;
  // Only needed when the server sends br (nginx.ts says so then); installed when we can.
  if (wantNginx && root && !existsSync(BROTLI_STATIC_MODULE)) need.push('libnginx-mod-http-brotli-static');
  if (need.length === 0) return;
  if (!root) fail(`missing tools; install them with: apt-get install -y ${need.join(' ')}`);
  console.log(`Installing ${need.join(', ')} from Debian…`);
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', '-qq', ...need], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    fail(`could not install ${need.join(' ')}; run: apt-get install -y ${need.join(' ')}`);
  }
}

export const BROTLI_STATIC_MODULE = '/usr/lib/nginx/modules/ngx_http_brotli_static_module.so';
export const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

/** The two cores the protocol pins to; a one-core machine cannot separate server and load. */
export function checkCores(): void {
  const cores = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  if (cores < 2) fail(`the protocol needs 2 cores (server on core 0, load on core 1); this machine has ${cores}`);
}
