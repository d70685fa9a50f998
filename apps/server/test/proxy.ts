/**
 * A real reverse proxy (Debian's nginx) in front of a test server, set up as
 * restrictive corporate proxies are, for the transport's fallback tests
 * (docs/event-stream.md, "Behind a proxy"):
 *
 * - `open`: passes WebSocket upgrades; buffers as nginx does by default, so a
 *   response streams only when the server asks for it (`X-Accel-Buffering: no`).
 * - `no-websocket`: answers 403 to every `Upgrade: websocket`; the rest as `open`.
 * - `buffered`: refuses WebSockets too, and holds every response back until it
 *   is complete (or megabytes long) whatever the server asks, so an SSE stream
 *   never flushes and a held long-poll arrives only when it is answered.
 *   nginx's buffering alone still passes on what it has read, so this mode
 *   also ignores `X-Accel-Buffering` and compresses into large buffers (as a
 *   scanning or compressing proxy does; nginx's gzip does not heed
 *   `no-transform`): for every client that accepts gzip, as browsers and
 *   Node's fetch do.
 *
 * nginx runs as a child process (not a daemon) with its config, pid, logs and
 * temporary files under a directory of its own; `setMode` rewrites the config
 * and reloads it, as an administrator lifting a block would.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './process';

export type ProxyMode = 'open' | 'no-websocket' | 'buffered';

export interface TestProxy {
  /** Where browsers and clients go instead of the server. */
  url: string;
  port: number;
  mode(): ProxyMode;
  /** Rewrites the config and reloads nginx; resolves once new connections get the new mode. */
  setMode(mode: ProxyMode): Promise<void>;
  /** The access log so far: one line per request, `<status> <method> <uri> upgrade=<Upgrade header>`. */
  accessLog(): string[];
  stop(): Promise<void>;
}

const CANDIDATES = [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/bin/nginx'];

/** The nginx binary, or an error saying how to get it (CI installs it: .ci/run). */
export function nginxPath(): string {
  const found = CANDIDATES.find((path): path is string => !!path && existsSync(path));
  if (!found)
    throw new Error('nginx is not installed: `apt-get install -y nginx-light` (as .ci/run does), or set NGINX_PATH');
  return found;
}

/** A path served by the proxy itself, naming its mode: how `setMode` knows a reload has taken effect. */
const MODE_PATH = '/__proxy-mode';

function config(dir: string, port: number, upstream: URL, mode: ProxyMode): string {
  const refuseWebSockets = mode !== 'open';
  return `
# Written by apps/server/test/proxy.ts (mode: ${mode}).
${process.getuid?.() === 0 ? 'user root root;' : ''}
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  log_format brief '$status $request_method $request_uri upgrade=$http_upgrade';
  access_log ${dir}/access.log brief;
  client_body_temp_path ${dir}/tmp/client;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  server {
    listen 127.0.0.1:${port};
    location = ${MODE_PATH} { return 200 '${mode}'; }
    location / {
${refuseWebSockets ? '      if ($http_upgrade ~* websocket) { return 403; }' : ''}
      proxy_pass http://${upstream.host};
      proxy_http_version 1.1;
      # The browser's host, so the server's Origin check sees its own origin.
      proxy_set_header Host $http_host;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_buffering on;
${
  mode === 'buffered'
    ? `      # Whatever the server asks: nothing is passed on before the compressed buffers fill or the response ends.
      proxy_ignore_headers X-Accel-Buffering;
      proxy_buffer_size 64k;
      proxy_buffers 64 64k;
      proxy_busy_buffers_size 128k;
      gzip on;
      gzip_types text/event-stream application/json;
      gzip_proxied any;
      gzip_min_length 0;
      gzip_buffers 64 64k;`
    : ''
}
    }
  }
}
`;
}

/** A GET on a fresh connection (never a pooled one, which an old worker may still hold after a reload). */
export function getOnce(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { connection: 'close', ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const run = promisify(execFile);

/** Starts nginx on a free port in front of `upstream` (the test server's URL). */
export async function startProxy(upstream: string, mode: ProxyMode): Promise<TestProxy> {
  const nginx = nginxPath();
  const dir = mkdtempSync(join(tmpdir(), 'chat-proxy-'));
  mkdirSync(join(dir, 'tmp'));
  const port = await freePort();
  const target = new URL(upstream);
  const confPath = join(dir, 'nginx.conf');
  let current = mode;
  writeFileSync(confPath, config(dir, port, target, mode));
  // -e: the error log before the config is read (the default is under /var/log); -p: relative paths under dir.
  const args = ['-p', dir, '-c', confPath, '-e', join(dir, 'error.log')];
  const child: ChildProcess = spawn(nginx, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;

  const waitForMode = async (wanted: ProxyMode) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}${readLog(dir, 'error.log')}`);
      const answer = await getOnce(`${url}${MODE_PATH}`).catch(() => null);
      if (answer?.body === wanted) return;
      if (Date.now() > deadline) throw new Error(`nginx did not serve mode ${wanted}: ${readLog(dir, 'error.log')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await waitForMode(mode);

  return {
    url,
    port,
    mode: () => current,
    async setMode(next) {
      const before = new Set(workers(child.pid ?? 0).map((w) => w.pid));
      writeFileSync(confPath, config(dir, port, target, next));
      await run(nginx, [...args, '-s', 'reload']);
      current = next;
      // Until the old worker stops accepting, a new connection may still land on it in the old mode.
      const deadline = Date.now() + 10_000;
      for (;;) {
        const now = workers(child.pid ?? 0);
        const serving = now.filter((w) => !w.shuttingDown);
        if (serving.length > 0 && serving.every((w) => !before.has(w.pid))) break;
        if (Date.now() > deadline) throw new Error(`nginx's old workers still serve: ${readLog(dir, 'error.log')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      await waitForMode(next);
    },
    accessLog: () =>
      readLog(dir, 'access.log')
        .split('\n')
        .filter((line) => line && !line.includes(MODE_PATH)),
    async stop() {
      // SIGQUIT would wait for open streams; a test is done with them.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * nginx's worker processes (the master's children), and whether each is an
 * old one shutting down after a reload: it has closed its listening socket,
 * and serves only the connections it holds.
 */
function workers(masterPid: number): { pid: number; shuttingDown: boolean }[] {
  const found: { pid: number; shuttingDown: boolean }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // After the command in parentheses: state, then the parent's pid.
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== masterPid) continue;
      const title = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (title.includes('worker process'))
        found.push({ pid: Number(name), shuttingDown: title.includes('shutting down') });
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

function readLog(dir: string, name: string): string {
  try {
    return readFileSync(join(dir, name), 'utf8');
  } catch {
    return '';
  }
}
