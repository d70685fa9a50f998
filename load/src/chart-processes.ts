/**
 * `pnpm --filter @chat/load chart:processes -- OUT.svg DIR fanout|writes`:
 * a `bench:processes` directory drawn as four small charts against the number
 * of server processes: each figure's median as a line, the runs' lowest and
 * highest as a bar at each point (docs/capacity.md embeds them); prints the
 * directory's table of medians, as `bench:processes` does at the end of a run.
 */
import { writeFileSync } from 'node:fs';
import { median, medianTable, type ProcessesSummary, readProcessRuns } from './processes-summary';

export interface Series {
  name: string;
  get: (s: ProcessesSummary) => number | undefined;
}
export interface Panel {
  title: string;
  series: Series[];
  /** A log scale, for figures that grow by orders of magnitude. */
  log?: boolean;
}

export const PANELS: Record<string, Panel[]> = {
  fanout: [
    { title: 'PostgreSQL, cores', series: [{ name: 'run backends', get: (s) => s.usage.postgres }] },
    { title: 'commits / s', series: [{ name: 'commits', get: (s) => s.database?.commitsPerSecond }] },
    {
      title: 'event-log rows read per event (log scale)',
      log: true,
      series: [{ name: 'event rows', get: (s) => s.database?.eventRowsReadPerEvent }],
    },
    {
      title: 'delivery latency, ms',
      series: [
        { name: 'p50', get: (s) => s.deliveryLatencyMs.p50 },
        { name: 'p99', get: (s) => s.deliveryLatencyMs.p99 },
      ],
    },
  ],
  writes: [
    { title: 'stored messages / s', series: [{ name: 'stored', get: (s) => s.storedPerSecond }] },
    {
      title: 'backends waiting on the log’s lock (mean)',
      series: [{ name: 'Lock/advisory', get: (s) => s.database?.advisoryLockWaitMean }],
    },
    {
      title: 'events per event-writing transaction',
      series: [{ name: 'events / transaction', get: (s) => s.database?.eventsPerTransaction }],
    },
    {
      title: 'latency p50, ms (log scale)',
      log: true,
      series: [
        { name: 'send', get: (s) => s.sendLatencyMs.p50 },
        { name: 'delivery', get: (s) => s.deliveryLatencyMs.p50 },
      ],
    },
  ],
};

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
const fmt = (v: number) =>
  v >= 100 ? Math.round(v).toLocaleString('en') : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(2);

/** 1, 2 or 5 times a power of ten, at least `v`: a grid step people read at a glance. */
export function niceStep(v: number): number {
  if (!(v > 0)) return 0;
  const power = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 2.5, 5, 10].find((m) => m * power >= v) ?? 10) * power;
}

/** One point per number of processes and series: the median and the runs' range. */
export function points(runs: Map<number, ProcessesSummary[]>, series: Series) {
  return [...runs].map(([processes, list]) => {
    const values = list.map((s) => series.get(s) ?? Number.NaN).filter((v) => Number.isFinite(v));
    return { processes, median: median(values), low: Math.min(...values), high: Math.max(...values) };
  });
}

/** The SVG: a 2×2 grid of panels, processes on a doubling axis. */
export function chartProcesses(runs: Map<number, ProcessesSummary[]>, panels: Panel[], title: string): string {
  const W = 820;
  const panelW = 390;
  const panelH = 230;
  const counts = [...runs.keys()];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${40 + 2 * panelH + 20}" viewBox="0 0 ${W} ${40 + 2 * panelH + 20}" font-family="sans-serif" font-size="11" role="img" aria-labelledby="chart-title">`,
    `<title id="chart-title">${title}: ${panels.map((p) => p.title).join('; ')}, against ${counts.join(', ')} server processes</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="16" y="22" font-size="14">${title}</text>`,
  ];
  panels.forEach((panel, index) => {
    const ox = 16 + (index % 2) * (panelW + 10);
    const oy = 40 + Math.floor(index / 2) * panelH;
    const left = ox + 52;
    const right = ox + panelW - 44;
    const top = oy + 24;
    const bottom = oy + panelH - 40;
    const all = panel.series.map((s) => points(runs, s));
    const values = all
      .flat()
      .flatMap((p) => [p.low, p.high, p.median])
      .filter((v) => Number.isFinite(v));
    const positive = values.filter((v) => v > 0);
    const maxV = niceStep(Math.max(...values, 0) / 4) * 4 || 1;
    const minLog = Math.log10(Math.min(...positive, 1)) - 0.1;
    const maxLog = Math.log10(Math.max(...positive, 1)) + 0.1;
    const y = (v: number) =>
      panel.log
        ? bottom - ((Math.log10(Math.max(v, 10 ** minLog)) - minLog) / (maxLog - minLog)) * (bottom - top)
        : bottom - (v / maxV) * (bottom - top);
    const x = (processes: number) =>
      counts.length === 1
        ? (left + right) / 2
        : left +
          ((Math.log2(processes) - Math.log2(counts[0] as number)) /
            (Math.log2(counts.at(-1) as number) - Math.log2(counts[0] as number))) *
            (right - left);
    parts.push(
      `<text x="${ox}" y="${oy + 12}" font-size="12" font-weight="bold">${panel.title}</text>`,
      `<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="#999"/>`,
      `<line x1="${left}" x2="${left}" y1="${top}" y2="${bottom}" stroke="#999"/>`,
    );
    const ticks = panel.log
      ? Array.from({ length: Math.floor(maxLog) - Math.ceil(minLog) + 1 }, (_, i) => 10 ** (Math.ceil(minLog) + i))
      : [0, maxV / 4, maxV / 2, (maxV * 3) / 4, maxV];
    for (const v of ticks) {
      parts.push(
        `<line x1="${left}" x2="${right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`,
        `<text x="${left - 4}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#666">${Number(v.toPrecision(3)).toLocaleString('en')}</text>`,
      );
    }
    for (const c of counts) {
      parts.push(`<text x="${x(c).toFixed(1)}" y="${bottom + 14}" text-anchor="middle">${c}</text>`);
    }
    parts.push(
      `<text x="${(left + right) / 2}" y="${bottom + 28}" text-anchor="middle" fill="#666">server processes</text>`,
    );
    all.forEach((pts, i) => {
      const colour = COLOURS[i % COLOURS.length];
      const drawn = pts.filter((p) => Number.isFinite(p.median));
      parts.push(
        `<path d="${drawn.map((p, j) => `${j === 0 ? 'M' : 'L'}${x(p.processes).toFixed(1)},${y(p.median).toFixed(1)}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="1.5"/>`,
      );
      for (const p of drawn) {
        parts.push(
          `<line x1="${x(p.processes).toFixed(1)}" x2="${x(p.processes).toFixed(1)}" y1="${y(p.low).toFixed(1)}" y2="${y(p.high).toFixed(1)}" stroke="${colour}" stroke-width="3" opacity="0.35"/>`,
          `<circle cx="${x(p.processes).toFixed(1)}" cy="${y(p.median).toFixed(1)}" r="3" fill="${colour}"/>`,
          `<text x="${(x(p.processes) + 5).toFixed(1)}" y="${(y(p.median) + (i === 0 ? -5 : 13)).toFixed(1)}" fill="${colour}">${fmt(p.median)}</text>`,
        );
      }
      if (panel.series.length > 1) {
        parts.push(`<text x="${left + 8}" y="${top + 12 * i}" fill="${colour}">${panel.series[i]?.name}</text>`);
      }
    });
  });
  parts.push(
    `<text x="16" y="${40 + 2 * panelH + 14}" fill="#666">dots and labels: medians; bars: lowest to highest run</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, dir, set = 'fanout', ...rest] = process.argv.slice(2).filter((a) => a !== '--');
  const panels = PANELS[set];
  if (!out || !dir || !panels) {
    console.error(`usage: chart:processes OUT.svg DIR ${Object.keys(PANELS).join('|')} [TITLE]`);
    process.exit(2);
  }
  const runs = readProcessRuns(dir);
  writeFileSync(out, chartProcesses(runs, panels, rest.join(' ') || `${set}: ${dir}`));
  console.log(
    `${out}: ${[...runs].map(([p, l]) => `${p} process(es) × ${l.length}`).join(', ')}\n\n${medianTable(runs)}`,
  );
}
