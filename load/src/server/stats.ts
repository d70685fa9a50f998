/**
 * CPU and memory of processes, read from /proc (Linux): the server's (by
 * pid), PostgreSQL's (every process named `postgres`) and the whole
 * machine's, so the summary can say who used the two cores.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuSample {
  /** CPU seconds (user + system) so far. */
  cpu: number;
  /** Resident memory now, and its peak, in bytes (0 where unknown). */
  rss: number;
  peakRss: number;
  at: number;
  /** CPU seconds per process: processes that came or went between two samples are left out of the difference. */
  perPid?: Record<number, number>;
}

let ticks: number | undefined;
function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

function readStat(pid: number, tid?: number): { comm: string; cpu: number } | undefined {
  try {
    const text = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    // After "pid (comm) ": state is field 3, utime 14 and stime 15 (1-based), i.e. indices 11 and 12 here.
    return { comm, cpu: (Number(fields[11]) + Number(fields[12])) / clockTicks() };
  } catch {
    return undefined;
  }
}

function statusKb(pid: number, key: string): number {
  try {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds of a process's main thread alone (its JavaScript, for Node), or undefined. */
export function mainThreadCpu(pid: number): number | undefined {
  return readStat(pid, pid)?.cpu;
}

/** The processes' CPU and memory, summed; undefined when none can be read. */
export function sampleProcesses(pids: number[]): CpuSample | undefined {
  let cpu = 0;
  let rss = 0;
  let peakRss = 0;
  let found = false;
  const perPid: Record<number, number> = {};
  for (const pid of pids) {
    const stat = readStat(pid);
    if (!stat) continue;
    found = true;
    cpu += stat.cpu;
    perPid[pid] = stat.cpu;
    rss += statusKb(pid, 'VmRSS');
    peakRss += statusKb(pid, 'VmHWM');
  }
  return found ? { cpu, rss, peakRss, at: performance.now(), perPid } : undefined;
}

/** Every process named `name` (e.g. PostgreSQL's backends). */
export function pidsNamed(name: string): number[] {
  try {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number)
      .filter((pid) => readStat(pid)?.comm === name);
  } catch {
    return [];
  }
}

/** The machine: CPU seconds busy (all cores) so far. */
export function sampleMachine(): CpuSample | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [, ...values] = line.trim().split(/\s+/).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = values;
    return {
      cpu: (user + nice + system + irq + softirq + steal) / clockTicks(),
      rss: 0,
      peakRss: 0,
      at: performance.now(),
    };
  } catch {
    return undefined;
  }
}

/** Cores' worth of CPU used between two samples (1.0 = one core busy). */
export function coresBetween(a: CpuSample | undefined, b: CpuSample | undefined): number | undefined {
  if (!a || !b || b.at <= a.at) return undefined;
  let used = b.cpu - a.cpu;
  if (a.perPid && b.perPid) {
    used = 0;
    for (const [pid, cpu] of Object.entries(b.perPid)) used += cpu - (a.perPid[Number(pid)] ?? cpu);
  }
  return used / ((b.at - a.at) / 1000);
}
