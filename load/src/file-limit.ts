/**
 * Every stream is an open socket in a worker and in a server process, and
 * both stop accepting past the open-file limit (EMFILE): a 20,000-stream run
 * on a machine whose limit is 20,000 per process loses its last streams and
 * then every send, with nothing but EMFILE in a log. Say so before starting.
 */
import { readFileSync } from 'node:fs';

/** Sockets a process needs beyond its streams: sends, the database pool, files. */
const SPARE = 500;

export interface FileLimitInput {
  streams: number;
  /** 0: the connections are held in this process. */
  workers: number;
  /** Server processes started by the tool (which inherit its limit), or 0 for a server run elsewhere. */
  serverProcesses: number;
  /** The soft and hard limits on open files. */
  soft: number;
  hard: number;
}

/** Null when the limit is enough, else what to do. */
export function fileLimitProblem(input: FileLimitInput): string | null {
  const perWorker = Math.ceil(input.streams / Math.max(input.workers, 1)) + SPARE;
  const perServer = input.serverProcesses > 0 ? Math.ceil(input.streams / input.serverProcesses) + SPARE : 0;
  const need = Math.max(perWorker, perServer);
  if (need <= input.soft) return null;
  const who = perServer >= perWorker ? 'each server process' : 'each worker';
  const raise =
    need <= input.hard
      ? `raise it first (ulimit -n ${need})`
      : `the hard limit is ${input.hard.toLocaleString('en')}: spread the streams (more --workers${input.serverProcesses > 0 ? ', --server-processes' : ''})`;
  return `${input.streams.toLocaleString('en')} streams need about ${need.toLocaleString('en')} open files in ${who}, over this shell's limit of ${input.soft.toLocaleString('en')}: ${raise}.`;
}

/**
 * Connections the bare-ws ceiling can open: its server is one process holding
 * them all, under the limit this process passes on. A run of 20,000 streams
 * on two server processes fits a limit of 20,000; the ceiling's server would
 * not, and would hang up on the last connections (seen at scenario 2).
 */
export function ceilingConnections(connections: number, limits: { soft: number } | null): number {
  if (!limits) return connections;
  return Math.max(1, Math.min(connections, limits.soft - SPARE));
}

/** The soft and hard open-file limits of this process (Linux); null where /proc does not say. */
export function readFileLimits(): { soft: number; hard: number } | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const m = line ? /Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(line) : null;
    if (!m) return null;
    const value = (v: string | undefined) =>
      v === 'unlimited' || v === undefined ? Number.POSITIVE_INFINITY : Number(v);
    return { soft: value(m[1]), hard: value(m[2]) };
  } catch {
    return null;
  }
}
