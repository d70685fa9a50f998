/** What `bench:processes` reads back from each run's JSON (the load tool's summary), and its median. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcessesSummary {
  storedPerSecond: number;
  deliveredPerSecond: number;
  lost: number;
  duplicated: number;
  deliveryLatencyMs: { p50: number; p99: number };
  sendLatencyMs: { p50: number; p99: number };
  usage: { server?: number; postgres?: number; tool?: number; others?: number };
  database?: {
    commitsPerSecond: number;
    rowsReadPerSecond: number;
    eventsPerSecond: number;
    eventTransactionsPerSecond: number;
    eventsPerTransaction: number;
    rowsReadPerEvent: number;
    rowsReadPerEventTransaction: number;
    eventRowsReadPerEvent: number;
    advisoryLockWaitMean: number;
    hubs?: { notifiesSentPerSecond: number; notifiesHeardPerSecond: number; readsPerSecond: number };
  };
}

/** The median of the finite values (NaN when there are none). */
export function median(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** The runs of a `bench:processes` directory (`p<N>-run<k>.json`), by number of processes. */
export function readProcessRuns(dir: string): Map<number, ProcessesSummary[]> {
  const runs = new Map<number, ProcessesSummary[]>();
  for (const name of readdirSync(dir).sort()) {
    const m = /^p(\d+)-run\d+\.json$/.exec(name);
    if (!m) continue;
    const processes = Number(m[1]);
    const list = runs.get(processes) ?? [];
    list.push(JSON.parse(readFileSync(join(dir, name), 'utf8')) as ProcessesSummary);
    runs.set(processes, list);
  }
  return new Map([...runs].sort(([a], [b]) => a - b));
}

const fmt = (v: number, d = 0) =>
  Number.isFinite(v) ? v.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d }) : '–';
const ROWS: Array<[string, (s: ProcessesSummary) => number, number]> = [
  ['runs', () => 1, 0],
  ['PostgreSQL (run backends), cores', (s) => s.usage.postgres ?? Number.NaN, 2],
  ['server processes, cores (all)', (s) => s.usage.server ?? Number.NaN, 2],
  ['other processes on the machine, cores', (s) => s.usage.others ?? Number.NaN, 2],
  ['stored msg/s', (s) => s.storedPerSecond, 0],
  ['deliveries/s', (s) => s.deliveredPerSecond, 0],
  ['commits/s', (s) => s.database?.commitsPerSecond ?? Number.NaN, 0],
  ['rows read/s (tup_returned)', (s) => s.database?.rowsReadPerSecond ?? Number.NaN, 0],
  ['events/s', (s) => s.database?.eventsPerSecond ?? Number.NaN, 0],
  ['event-writing transactions/s', (s) => s.database?.eventTransactionsPerSecond ?? Number.NaN, 0],
  ['events per event transaction', (s) => s.database?.eventsPerTransaction ?? Number.NaN, 2],
  ['rows read per event', (s) => s.database?.rowsReadPerEvent ?? Number.NaN, 1],
  ['rows read per event transaction', (s) => s.database?.rowsReadPerEventTransaction ?? Number.NaN, 1],
  ['event-log rows read per event', (s) => s.database?.eventRowsReadPerEvent ?? Number.NaN, 2],
  ['NOTIFYs sent/s (all hubs)', (s) => s.database?.hubs?.notifiesSentPerSecond ?? Number.NaN, 1],
  ['NOTIFYs heard/s (all hubs)', (s) => s.database?.hubs?.notifiesHeardPerSecond ?? Number.NaN, 1],
  ['hub log reads/s (all hubs)', (s) => s.database?.hubs?.readsPerSecond ?? Number.NaN, 1],
  ['backends waiting on Lock/advisory (mean)', (s) => s.database?.advisoryLockWaitMean ?? Number.NaN, 2],
  ['delivery p50, ms', (s) => s.deliveryLatencyMs.p50, 1],
  ['delivery p99, ms', (s) => s.deliveryLatencyMs.p99, 0],
  ['send p50, ms', (s) => s.sendLatencyMs.p50, 1],
  ['lost + duplicated (sum)', (s) => s.lost + s.duplicated, 0],
];

/** A markdown table of each figure's median (lost and duplicated: the sum) at each number of processes. */
export function medianTable(results: Map<number, ProcessesSummary[]>): string {
  const counts = [...results.keys()];
  const header = `| figure (median) | ${counts.map((c) => `${c} process${c > 1 ? 'es' : ''}`).join(' | ')} |`;
  const lines = [header, `| --- | ${counts.map(() => '---:').join(' | ')} |`];
  for (const [name, get, digits] of ROWS) {
    const cells = counts.map((c) => {
      const list = results.get(c) ?? [];
      if (name === 'runs') return String(list.length);
      if (name.startsWith('lost')) return fmt(list.reduce((t, s) => t + get(s), 0));
      return fmt(median(list.map(get)), digits);
    });
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
