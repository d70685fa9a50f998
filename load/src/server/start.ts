/**
 * `--start-server`: the real server (`node --import tsx apps/server/src/main.ts`)
 * on a fresh PostgreSQL database made for this run, one or more processes on
 * free ports; stopped (SIGTERM, so `--cpu-prof` profiles are written) and the
 * database dropped at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { RATE_LIMIT_DEFAULTS } from '@chat/api/server';
import { connectPostgres } from '@chat/db';

const serverDir = fileURLToPath(new URL('../../../apps/server/', import.meta.url));
export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface StartedServers {
  urls: string[];
  pids: number[];
  databaseUrl: string;
  stop(): Promise<void>;
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

async function spawnOne(
  databaseUrl: string,
  cpuProfDir: string | undefined,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const profile = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', ...profile, 'src/main.ts'], {
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
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited while starting:\n${output}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, child };
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

  const started: Array<{ url: string; child: ChildProcess }> = [];
  const stop = async () => {
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
    stop,
  };
}
