// The practical limit: nginx serving the article page's exact bytes as a static file, pinned
// and loaded like the server. Each encoding our server answers a browser with (identity, gzip,
// br) is written beside the file, so nginx sends what we send (gzip_static, brotli_static).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fail, onExit } from './fail.ts';
import { BROTLI_STATIC_MODULE, NGINX } from './tools.ts';
import { freePort, waitFor } from './server.ts';
import { invalid, load, type LoadFigures, type LoadOptions } from './wrk.ts';

export interface NginxFigures extends LoadFigures {
  /** The encoding nginx answered the benchmark's Accept-Encoding with. */
  encoding: string;
  files: Record<string, number>;
  /** The nginx.conf used, as text: its directory is removed after the run. */
  config: string;
  nginxCommand: string;
}

async function fetchEncoded(url: string, encoding: string): Promise<{ encoding: string; body: Buffer }> {
  // Node's fetch would decode the body; the raw bytes as sent are what nginx must serve.
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': encoding } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => {
        if (response.statusCode !== 200) return reject(new Error(`${url} answered ${response.statusCode}`));
        resolve({ encoding: String(response.headers['content-encoding'] ?? 'identity'), body: Buffer.concat(chunks) });
      });
    })
      .on('error', reject)
      .end();
  });
}

function config(dir: string, port: number, brotli: boolean): string {
  return `# Written by bench/lib/nginx.ts: the static-file baseline for the article page.
${brotli ? `load_module ${BROTLI_STATIC_MODULE};\n` : ''}worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  # Node keeps a connection for any number of requests; so does nginx here.
  keepalive_requests 1000000;
  types { text/html html; }
  default_type text/html;
  client_body_temp_path ${dir}/tmp;
  proxy_temp_path ${dir}/tmp;
  fastcgi_temp_path ${dir}/tmp;
  uwsgi_temp_path ${dir}/tmp;
  scgi_temp_path ${dir}/tmp;
  server {
    listen 127.0.0.1:${port};
    root ${dir}/www;
    gzip_static on;
${brotli ? '    brotli_static on;\n' : ''}  }
}
`;
}

export interface Nginx {
  /** The article's URL on nginx. */
  url: string;
  pid: number;
  files: Record<string, number>;
  config: string;
  command: string;
  stop(): Promise<void>;
}

/** nginx pinned to core 0, serving the bytes `articleUrl` answers in each encoding as one static file. */
export async function startNginx(articleUrl: string, dir: string): Promise<Nginx> {
  mkdirSync(join(dir, 'www'), { recursive: true });
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  const file = join(dir, 'www', 'article.html');
  const files: Record<string, number> = {};
  const identity = await fetchEncoded(articleUrl, 'identity');
  if (identity.encoding !== 'identity') fail(`the server answered Accept-Encoding: identity with ${identity.encoding}`);
  writeFileSync(file, identity.body);
  files.identity = identity.body.length;
  for (const [encoding, suffix] of [['gzip', '.gz'], ['br', '.br']] as const) {
    const got = await fetchEncoded(articleUrl, encoding);
    if (got.encoding === encoding) {
      writeFileSync(file + suffix, got.body);
      files[encoding] = got.body.length;
    }
  }
  const brotli = files.br !== undefined;
  if (brotli && !existsSync(BROTLI_STATIC_MODULE)) fail(`the server sends br but nginx has no brotli_static; apt-get install -y libnginx-mod-http-brotli-static`);

  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  const text = config(dir, port, brotli);
  writeFileSync(conf, text);
  const args = ['-c', '0', NGINX, '-c', conf, '-p', dir, '-e', join(dir, 'error.log')];
  const child = spawn('taskset', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  // SIGQUIT would wait for keep-alive connections; the load is over, so stop at once.
  const kill = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  onExit(kill);
  const url = `http://127.0.0.1:${port}/article.html`;
  try {
    await waitFor(url, 'nginx', 10_000, child);
  } catch (error) {
    kill();
    fail(`${(error as Error).message}${stderr ? `: ${stderr.trim()}` : ''}`);
  }
  return {
    url,
    // The worker does the serving; with `daemon off` and one worker it is the master's only child.
    pid: workerPid(child.pid!),
    files,
    config: text,
    command: `taskset ${args.join(' ')}`,
    async stop() {
      kill();
      await Promise.race([new Promise((resolve) => child.once('exit', resolve)), sleep(5000)]);
    },
  };
}

/** The pid of nginx's worker under its master. */
function workerPid(master: number): number {
  const children = spawnSync('pgrep', ['-P', String(master)], { encoding: 'utf8' }).stdout.trim().split(/\s+/).filter(Boolean);
  return children.length === 1 ? Number(children[0]) : master;
}

export async function nginxBaseline(articleUrl: string, dir: string, options: LoadOptions): Promise<NginxFigures> {
  const nginx = await startNginx(articleUrl, dir);
  try {
    const sent = await fetchEncoded(nginx.url, 'br, gzip');
    const figures = await load(nginx.url, options);
    const why = invalid(figures);
    if (why) fail(`nginx baseline: ${why}`);
    return { ...figures, encoding: sent.encoding, files: nginx.files, config: nginx.config, nginxCommand: nginx.command };
  } finally {
    await nginx.stop();
  }
}
