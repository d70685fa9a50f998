/**
 * Start-up to healthy, and memory at idle, of the server run from its
 * TypeScript through tsx and compiled (apps/server/build.ts, plain node).
 * Each round starts every variant once, in a rotated order, so old and new
 * alternate in one sitting; the figures are medians over the rounds.
 *
 * - tsx, cold: `node --import tsx src/main.ts` with tsx's cache off, as in a
 *   fresh container (its cache lives in the container's /tmp).
 * - tsx, warm: the same with tsx's on-disk cache filled by an earlier start.
 * - compiled: `node --enable-source-maps dist/main.js`.
 *
 * Start-up is from spawn to the first 200 from /healthz (polled every 5 ms),
 * on a database already migrated (a first start, not counted, applies the
 * migrations), so it measures the code's start, not the schema's creation.
 * The CPU the process used until then (all threads) is read from /proc too:
 * on a busy machine it is steadier than the wall time. RSS is read after
 * `--idle` seconds without requests.
 *
 *   pnpm --filter @chat/load bench:start [--rounds 3] [--db postgres,pglite] [--idle 5] [--admin-url postgres://…/postgres]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connectPostgres } from '@chat/db';
import { DEFAULT_ADMIN_URL } from './server/start';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    rounds: { type: 'string', default: '3' },
    db: { type: 'string', default: 'postgres,pglite' },
    idle: { type: 'string', default: '5' },
    'admin-url': { type: 'string', default: DEFAULT_ADMIN_URL },
  },
});
const rounds = Number(values.rounds);
const idleMs = Number(values.idle) * 1000;
const kinds = values.db.split(',');
if (
  !Number.isInteger(rounds) ||
  rounds < 1 ||
  !(idleMs >= 0) ||
  kinds.some((k) => k !== 'postgres' && k !== 'pglite')
) {
  console.error('--rounds must be a whole number ≥ 1, --idle seconds ≥ 0, --db postgres and/or pglite.');
  process.exit(2);
}

const serverDir = fileURLToPath(new URL('../../apps/server/', import.meta.url));
const tsxCache = mkdtempSync(join(tmpdir(), 'bench-start-tsx-'));

interface Variant {
  name: string;
  args: string[];
  env: Record<string, string>;
}
const variants: Variant[] = [
  { name: 'tsx, cold cache', args: ['--import', 'tsx', 'src/main.ts'], env: { TSX_DISABLE_CACHE: '1' } },
  // tsx keeps its cache under os.tmpdir(): a directory of this run's, filled by the warm-up.
  { name: 'tsx, warm cache', args: ['--import', 'tsx', 'src/main.ts'], env: { TMPDIR: tsxCache } },
  { name: 'compiled', args: ['--enable-source-maps', 'dist/main.js'], env: {} },
];

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

/** CPU seconds the process has used, all threads (utime + stime, /proc/<pid>/stat, at 100 ticks a second). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const rssKb = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

interface Sample {
  ms: number;
  /** CPU the process used to get there: on a busy machine, steadier than the wall time. */
  cpuS: number;
  rssMb: number;
}

/** One start: milliseconds to healthy, CPU seconds used by then, and RSS (MB) after the idle wait. */
async function startOnce(variant: Variant, db: Record<string, string>): Promise<Sample> {
  const port = await freePort();
  let output = '';
  const started = performance.now();
  const child = spawn(process.execPath, variant.args, {
    cwd: serverDir,
    env: { ...process.env, ...variant.env, ...db, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${variant.name} exited while starting:\n${output}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (performance.now() - started > 120_000) throw new Error(`${variant.name} not healthy in 120 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const ms = performance.now() - started;
    const cpuS = cpuSeconds(child.pid ?? 0);
    await new Promise((r) => setTimeout(r, idleMs));
    return { ms, cpuS, rssMb: rssKb(child.pid ?? 0) / 1024 };
  } finally {
    await stop(child);
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

console.error('building the server (apps/server/build.ts)…');
execFileSync(process.execPath, ['--import', 'tsx', 'build.ts'], { cwd: serverDir, stdio: 'inherit' });

const rows: string[] = [];
for (const kind of kinds) {
  let db: Record<string, string>;
  let cleanup: () => Promise<void>;
  if (kind === 'postgres') {
    const name = `chat_bench_start_${randomBytes(4).toString('hex')}`;
    const admin = connectPostgres(values['admin-url'], { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const url = new URL(values['admin-url']);
    url.pathname = `/${name}`;
    db = { DATABASE_URL: url.toString() };
    cleanup = async () => {
      const a = connectPostgres(values['admin-url'], { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'bench-start-pglite-'));
    db = { DATA_DIR: dir };
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  try {
    // Not counted: migrates the database, fills tsx's warm cache.
    await startOnce(variants[1] as Variant, db);
    const samples = new Map(variants.map((v) => [v.name, [] as Sample[]]));
    for (let round = 0; round < rounds; round++) {
      const order = variants.map((_, i) => variants[(i + round) % variants.length] as Variant);
      for (const variant of order) {
        const s = await startOnce(variant, db);
        samples.get(variant.name)?.push(s);
        console.error(
          `${kind} round ${round + 1}: ${variant.name} ${s.ms.toFixed(0)} ms, CPU ${s.cpuS.toFixed(2)} s, RSS ${s.rssMb.toFixed(1)} MB`,
        );
      }
    }
    for (const variant of variants) {
      const s = samples.get(variant.name) ?? [];
      rows.push(
        `| ${kind} | ${variant.name} | ${median(s.map((x) => x.ms)).toFixed(0)} | ${median(s.map((x) => x.cpuS)).toFixed(2)} | ${median(s.map((x) => x.rssMb)).toFixed(1)} | ${s.map((x) => x.ms.toFixed(0)).join(', ')} | ${s.map((x) => x.cpuS.toFixed(2)).join(', ')} |`,
      );
    }
  } finally {
    await cleanup();
  }
}
rmSync(tsxCache, { recursive: true, force: true });

console.log(`\nmedian of ${rounds}, RSS after ${idleMs / 1000} s idle\n`);
console.log(
  '| database | server | start to healthy (ms) | CPU to healthy (s) | RSS at idle (MB) | starts (ms) | CPU of each (s) |',
);
console.log('| --- | --- | ---: | ---: | ---: | --- | --- |');
for (const row of rows) console.log(row);
