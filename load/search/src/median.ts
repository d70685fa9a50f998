/**
 * The median, cell by cell, of several benchmark runs (`bench --json FILE`):
 * the report's table. Each run's percentiles come from its own 200 timings
 * per row; the median of three damps one noisy run on a shared machine.
 *
 *   pnpm --filter @chat/load-search median run1.json run2.json run3.json
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ms, type Summary } from './stats';

interface Row {
  user: string;
  kind: string;
  summary: Summary;
  shapes: string;
  hits: number;
}

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('name the runs: median FILE…');
// pnpm runs this in load/search: paths are as the caller typed them, from where pnpm was started.
const base = process.env.INIT_CWD ?? process.cwd();
const runs = files.map((f) => (JSON.parse(readFileSync(resolve(base, f), 'utf8')) as { table: Row[] }).table);
const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
console.log(`median of ${runs.length} runs, each n = 200 per row\n`);
console.log('| user | kind | p50 ms | p95 ms | p99 ms | max ms | p95 of each run | shapes |');
console.log('|---|---|--:|--:|--:|--:|---|---|');
for (const row of runs[0] ?? []) {
  const same = runs.map((t) => t.find((r) => r.user === row.user && r.kind === row.kind));
  if (same.some((r) => !r)) throw new Error(`${row.user} ${row.kind} is missing from a run`);
  const cells = same as Row[];
  const pick = (k: keyof Summary) => ms(median(cells.map((r) => r.summary[k])));
  const shapes = [...new Set(cells.flatMap((r) => r.shapes.split(', ')))].sort().join(', ');
  console.log(
    `| ${row.user} | ${row.kind} | ${pick('p50')} | ${pick('p95')} | ${pick('p99')} | ${pick('max')} | ${cells.map((r) => ms(r.summary.p95)).join(' / ')} | ${shapes} |`,
  );
}
