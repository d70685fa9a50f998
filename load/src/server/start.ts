/**
 * `--start-server`: the real server (`node --import tsx apps/server/src/main.ts`)
 * on a fresh PostgreSQL database made for this run, one or more processes on
 * free ports; stopped (SIGTERM, so `--cpu-prof` profiles are written) and the
 * database dropped at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type HubCounters, RATE_LIMIT_DEFAULTS } from '@chat/api/server';
import { connectPostgres } from '@chat/db';

const serverDir = fileURLToPath(new URL('../../../apps/server/', import.meta.url));
export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface StartedServers {
  urls: string[];
  pids: number[];
  databaseUrl: string;
  /** Each process's hub counters now (in `pids` order; undefined where one did not answer within 2 s). */
  hubCounters(): Promise<Array<HubCounters | undefined>>;
  stop(): Promise<void>;
}

/** A started process, and the hub-counter lines its log is waited for on. */
export interface Spawned {
  url: string;
  child: ChildProcess;
  counterWaiters: Array<(c: HubCounters) => void>;
}

/**
 * Asks a server for its hub's counters: SIGUSR2 makes it log them as one
 * JSON line (apps/server/src/main.ts), read from its stdout.
 */
function askCounters(s: Spawned): Promise<HubCounters | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      s.counterWaiters = s.counterWaiters.filter((w) => w !== take);
      resolve(undefined);
    }, 2_000);
    const take = (c: HubCounters) => {
      clearTimeout(timer);
      resolve(c);
    };
    s.counterWaiters.push(take);
    s.child.kill('SIGUSR2');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function spawnOne(databaseUrl: string, cpuProfDir: string | undefined): Promise<Spawned> {
  return spawnServer({ DATABASE_URL: databaseUrl }, cpuProfDir);
}

/**
 * The node flags of apps/server's `start` script (and the image's command,
 * which a test holds equal to it), so a load run measures the server with the
 * flags it is deployed with, though under tsx.
 */
export function startFlags(): string[] {
  const manifest = JSON.parse(readFileSync(join(serverDir, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return manifest.scripts.start.split(' ').filter((word) => word.startsWith('--'));
}

/**
 * One server process on a free port with `env` over the tool's defaults
 * (its database: `DATABASE_URL` or `DATA_DIR`; `WEB_DIST` for a build of the
 * SPA elsewhere), once healthy.
 */
export async function spawnServer(env: Record<string, string>, cpuProfDir?: string | undefined): Promise<Spawned> {
  const port = await freePort();
  const profile = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
  // The flags `pnpm start` gives the server, then LOAD_SERVER_NODE_FLAGS (e.g. --trace-gc; a later
  // flag wins), and LOAD_SERVER_LOG=FILE keeps all it prints, each line stamped with the wall clock (load/README.md).
  const flags = [...startFlags(), ...(process.env.LOAD_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
  const log = process.env.LOAD_SERVER_LOG ? createWriteStream(process.env.LOAD_SERVER_LOG, { flags: 'a' }) : null;
  let output = '';
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', ...profile, 'src/main.ts'], {
    cwd: serverDir,
    env: {
      // A load run is many users from one address, some sending fast: the
      // limits would measure themselves. RATE_LIMITS in the environment wins.
      RATE_LIMITS: Object.keys(RATE_LIMIT_DEFAULTS)
        .map((name) => `${name}=1000000/60`)
        .join(','),
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      // info, for the hub-counter lines; nothing else logs at info per request or per event.
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const spawned: Spawned = { url: `http://127.0.0.1:${port}`, child, counterWaiters: [] };
  let unstamped = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
    if (!log) return;
    const lines = (unstamped + d.toString()).split('\n');
    unstamped = lines.pop() ?? '';
    for (const line of lines) log.write(`${new Date().toISOString()} [${child.pid}] ${line}\n`);
  };
  let partial = '';
  child.stdout?.on('data', (d: Buffer) => {
    keep(d);
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes('"hub counters"')) continue;
      try {
        const counters = (JSON.parse(line) as { hub: HubCounters }).hub;
        for (const w of spawned.counterWaiters.splice(0)) w(counters);
      } catch {
        // not ours after all
      }
    }
  });
  child.stderr?.on('data', keep);
  const url = spawned.url;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited while starting:\n${output}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return spawned;
    if (Date.now() > deadline) throw new Error(`the server did not become healthy in 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startServers(options: {
  adminUrl: string;
  processes: number;
  cpuProfDir?: string | undefined;
}): Promise<StartedServers> {
  const name = `chat_load_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = connectPostgres(options.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const dbUrl = new URL(options.adminUrl);
  dbUrl.pathname = `/${name}`;
  const databaseUrl = dbUrl.toString();

  const started: Spawned[] = [];
  const stop = async () => {
    process.off('SIGINT', interrupted);
    await Promise.all(
      started.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    const a = connectPostgres(options.adminUrl, { max: 1, onnotice: () => {} });
    await a.unsafe(`drop database if exists ${name} with (force)`);
    await a.end();
  };
  // Interrupted (Ctrl-C, or bench:processes' time limit): the servers stop and the database goes, not left behind.
  const interrupted = () => void stop().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  try {
    // The first applies the migrations; the others start on a migrated database.
    for (let i = 0; i < options.processes; i++) started.push(await spawnOne(databaseUrl, options.cpuProfDir));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    urls: started.map((s) => s.url),
    pids: started.map((s) => s.child.pid ?? 0).filter((pid) => pid > 0),
    databaseUrl,
    hubCounters: () => Promise.all(started.map(askCounters)),
    stop,
  };
}
