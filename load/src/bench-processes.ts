/**
 * `pnpm --filter @chat/load bench:processes [--processes 1,2,4,8] [--runs 3]
 * [--out DIR] -- <load options>`: the same load run (`pnpm load -- --start-server …`)
 * with 1, 2, 4 and 8 server processes on the one PostgreSQL, interleaved
 * (1, 2, 4, 8, 1, 2, …) so the machine's drift spreads over all of them, and
 * a markdown table of medians: PostgreSQL's CPU and rows read, the event
 * log's transactions, advisory-lock waits, NOTIFYs and delivery latency
 * (docs/capacity.md).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const argv = process.argv.slice(2);
const split = argv.indexOf('--');
const own = split < 0 ? argv : argv.slice(0, split);
const loadArgs = split < 0 ? [] : argv.slice(split + 1);
const { values } = parseArgs({
  args: own,
  options: {
    processes: { type: 'string', default: '1,2,4,8' },
    runs: { type: 'string', default: '3' },
    out: { type: 'string' },
  },
});
const counts = (values.processes ?? '1,2,4,8').split(',').map(Number);
const runs = Number(values.runs);
if (counts.some((c) => !Number.isInteger(c) || c < 1) || !Number.isInteger(runs) || runs < 1) {
  console.error('--processes takes whole numbers (1,2,4,8), --runs a whole number');
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 13);
const out = values.out ?? fileURLToPath(new URL(`../results/processes-${stamp}/`, import.meta.url));
mkdirSync(out, { recursive: true });
const loadDir = fileURLToPath(new URL('..', import.meta.url));

interface Summary {
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

const results = new Map<number, Summary[]>(counts.map((c) => [c, []]));
for (let run = 1; run <= runs; run++) {
  for (const processes of counts) {
    const file = join(out, `p${processes}-run${run}.json`);
    const args = [
      '--import',
      'tsx',
      'src/cli.ts',
      ...loadArgs,
      '--server-processes',
      String(processes),
      '--json',
      file,
    ];
    console.error(`== ${processes} process(es), run ${run}/${runs}: node ${args.join(' ')}`);
    // No single run past about three minutes (the machine is shared): SIGINT lets the tool stop its servers.
    const r = spawnSync(process.execPath, args, {
      cwd: loadDir,
      stdio: ['ignore', 'inherit', 'inherit'],
      timeout: 200_000,
      killSignal: 'SIGINT',
    });
    try {
      results.get(processes)?.push(JSON.parse(readFileSync(file, 'utf8')) as Summary);
    } catch {
      console.error(`   no summary (exit ${r.status})`);
    }
  }
}

const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const fmt = (v: number, d = 0) =>
  Number.isFinite(v) ? v.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d }) : '–';
const rows: Array<[string, (s: Summary) => number, number]> = [
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
const header = `| figure (median) | ${counts.map((c) => `${c} process${c > 1 ? 'es' : ''}`).join(' | ')} |`;
const lines = [header, `| --- | ${counts.map(() => '---:').join(' | ')} |`];
for (const [name, get, digits] of rows) {
  const cells = counts.map((c) => {
    const list = results.get(c) ?? [];
    if (name === 'runs') return String(list.length);
    if (name.startsWith('lost')) return fmt(list.reduce((t, s) => t + get(s), 0));
    return fmt(median(list.map(get)), digits);
  });
  lines.push(`| ${name} | ${cells.join(' | ')} |`);
}
console.log(`\nload options: ${loadArgs.join(' ')}\nruns in ${out}\n\n${lines.join('\n')}`);
