/**
 * `pnpm --filter @chat/load chart -- OUT.svg LOG [LOG ...]`: the per-second
 * delivery p99 (and p50) of load runs, read from the progress lines the tool
 * printed (`[  12s] … (34,120/s p50 25.1 p99 88.0 ms) …`), drawn as one SVG
 * line chart, a line per log, with the 100 and 150 ms marks of scenario 2's
 * target. Seconds with no deliveries are left out.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

export interface Second {
  at: number;
  rate: number;
  p50: number;
  p99: number;
}

const LINE = /^\[\s*(\d+)s\].*\(([\d,]+)\/s p50 ([\d.]+) p99 ([\d.]+) ms\)/;

/** The seconds of one run's output that had deliveries. */
export function seconds(text: string): Second[] {
  const out: Second[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const rate = Number((m[2] ?? '0').replaceAll(',', ''));
    if (rate > 0) out.push({ at: Number(m[1]), rate, p50: Number(m[3]), p99: Number(m[4]) });
  }
  return out;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

/** An SVG of each run's per-second p99 (solid) and p50 (dotted), time from each run's first delivery. */
export function chart(runs: { name: string; seconds: Second[] }[], title: string): string {
  const W = 760;
  const H = 360;
  const left = 56;
  const top = 36;
  const right = 160;
  const bottom = 40;
  const spanX = Math.max(1, ...runs.map((r) => (r.seconds.at(-1)?.at ?? 0) - (r.seconds[0]?.at ?? 0)));
  const maxY = Math.max(200, ...runs.flatMap((r) => r.seconds.map((s) => s.p99)));
  const x = (t: number) => left + (t / spanX) * (W - left - right);
  const y = (v: number) => top + (1 - v / maxY) * (H - top - bottom);
  const path = (pts: [number, number][]) =>
    pts.map(([a, b], i) => `${i === 0 ? 'M' : 'L'}${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(' ');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12" role="img" aria-labelledby="chart-title">`,
    `<title id="chart-title">${title}: per-second p99 and p50 of ${runs.map((r) => r.name).join(', ')}</title>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${left}" y="20" font-size="14">${title}</text>`,
  ];
  const step = maxY > 1000 ? 500 : maxY > 400 ? 100 : 50;
  for (let v = 0; v <= maxY; v += step) {
    parts.push(
      `<line x1="${left}" x2="${W - right}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`,
      `<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`,
    );
  }
  const tick = spanX > 60 ? 10 : 5;
  for (let t = 0; t <= spanX; t += tick) {
    parts.push(`<text x="${x(t)}" y="${H - bottom + 16}" text-anchor="middle">${t}</text>`);
  }
  for (const [v, label] of [
    [100, 'p99 target 100 ms'],
    [150, 'no second above 150 ms'],
  ] as const) {
    parts.push(
      `<line x1="${left}" x2="${W - right}" y1="${y(v)}" y2="${y(v)}" stroke="#999" stroke-dasharray="6 4"/>`,
      `<text x="${W - right + 4}" y="${y(v) + 4}" fill="#666">${label}</text>`,
    );
  }
  runs.forEach((run, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const t0 = run.seconds[0]?.at ?? 0;
    parts.push(
      `<path d="${path(run.seconds.map((s) => [s.at - t0, s.p99]))}" fill="none" stroke="${colour}" stroke-width="1.5"/>`,
      `<path d="${path(run.seconds.map((s) => [s.at - t0, s.p50]))}" fill="none" stroke="${colour}" stroke-width="1" stroke-dasharray="2 3"/>`,
      `<text x="${W - right + 4}" y="${top + 40 + i * 16}" fill="${colour}">${run.name}</text>`,
    );
  });
  parts.push(
    `<text x="${(left + W - right) / 2}" y="${H - 8}" text-anchor="middle">seconds from the first delivery (solid: p99, dotted: p50)</text>`,
    `<text x="14" y="${(top + H - bottom) / 2}" transform="rotate(-90 14 ${(top + H - bottom) / 2})" text-anchor="middle">delivery latency, ms</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, ...logs] = process.argv.slice(2).filter((a) => a !== '--');
  if (!out || logs.length === 0) {
    console.error('usage: chart OUT.svg LOG [LOG ...]');
    process.exit(2);
  }
  const runs = logs.map((log) => ({
    name: basename(log).replace(/\.(log|txt)$/, ''),
    seconds: seconds(readFileSync(log, 'utf8')),
  }));
  writeFileSync(out, chart(runs, 'Delivery latency per second'));
  console.log(`${out}: ${runs.map((r) => `${r.name} ${r.seconds.length} s`).join(', ')}`);
}
