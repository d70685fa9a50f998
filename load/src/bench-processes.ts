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
import { medianTable, type ProcessesSummary as Summary } from './processes-summary';

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

console.log(`\nload options: ${loadArgs.join(' ')}\nruns in ${out}\n\n${medianTable(results)}`);
