/**
 * Watches a run: polls the agents for progress, samples the server's,
 * PostgreSQL's and the machine's CPU, and prints one line a second.
 */
import { connectPostgres } from '@chat/db';
import { now } from './body';
import { type CpuSample, pidsNamed, sampleMachine, sampleProcesses } from './server/stats';
import type { AgentApi, Progress } from './share';

export interface Samples {
  server: CpuSample | undefined;
  postgres: CpuSample | undefined;
  tool: CpuSample | undefined;
  machine: CpuSample | undefined;
}

/** Whose CPU to watch. `postgres` undefined: every process named postgres (the run's database backends unknown). */
export interface Watched {
  server: number[];
  postgres: number[] | undefined;
  tool: number[];
}

export function sampleAll(w: Watched): Samples {
  return {
    server: w.server.length > 0 ? sampleProcesses(w.server) : undefined,
    postgres: sampleProcesses(w.postgres ?? pidsNamed('postgres')),
    tool: sampleProcesses(w.tool),
    machine: sampleMachine(),
  };
}

/** The PostgreSQL backends serving `databaseUrl`'s database, when PostgreSQL runs on this machine. */
export async function databaseBackends(databaseUrl: string | undefined): Promise<number[] | undefined> {
  if (!databaseUrl) return undefined;
  const host = new URL(databaseUrl).hostname;
  if (!['127.0.0.1', 'localhost', '::1', ''].includes(host)) return undefined;
  const sql = connectPostgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<Array<{ pid: number }>>`
      select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
    return rows.map((r) => r.pid);
  } catch {
    return undefined;
  } finally {
    await sql.end({ timeout: 2 });
  }
}

export async function totalProgress(agents: AgentApi[]): Promise<Progress> {
  const all = await Promise.all(agents.map((a) => a.progress()));
  const sum = (f: (p: Progress) => number) => all.reduce((s, p) => s + f(p), 0);
  const count = sum((p) => p.window.count);
  const weighted = (f: (p: Progress) => number) => (count === 0 ? 0 : sum((p) => f(p) * p.window.count) / count);
  return {
    connections: sum((p) => p.connections),
    ready: sum((p) => p.ready),
    sent: sum((p) => p.sent),
    acked: sum((p) => p.acked),
    delivered: sum((p) => p.delivered),
    duplicates: sum((p) => p.duplicates),
    owed: sum((p) => p.owed),
    sendFailed: sum((p) => p.sendFailed),
    errors: sum((p) => p.errors),
    // Across agents: a count-weighted mean of their percentiles, and the worst p99 (good enough for a progress line).
    window: { count, p50: weighted((p) => p.window.p50), p99: Math.max(0, ...all.map((p) => p.window.p99)) },
  };
}

const n = (v: number) => Math.round(v).toLocaleString('en');

export function progressLine(
  t0: number,
  p: Progress,
  server: CpuSample | undefined,
  cores: number | undefined,
): string {
  const secs = ((now() - t0) / 1000).toFixed(0).padStart(4);
  const srv = server
    ? ` | server ${cores === undefined ? '?' : (cores * 100).toFixed(0)}% cpu ${n(server.rss / 2 ** 20)} MB`
    : '';
  return (
    `[${secs}s] live ${n(p.ready)}/${n(p.connections)} | sent ${n(p.sent)} stored ${n(p.acked)}` +
    ` | delivered ${n(p.delivered)}/${n(p.owed)} (${n(p.window.count)}/s p50 ${p.window.p50.toFixed(1)} p99 ${p.window.p99.toFixed(1)} ms)` +
    ` | dup ${n(p.duplicates)} err ${n(p.errors)}${srv} | ${new Date().toISOString().slice(11, 19)}`
  );
}
