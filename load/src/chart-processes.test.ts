import { describe, expect, it } from 'vitest';
import { chartProcesses, PANELS, points } from './chart-processes';
import type { ProcessesSummary } from './processes-summary';

const run = (postgres: number, p50: number): ProcessesSummary => ({
  storedPerSecond: 50,
  deliveredPerSecond: 3000,
  lost: 0,
  duplicated: 0,
  deliveryLatencyMs: { p50, p99: p50 * 3 },
  sendLatencyMs: { p50: 2, p99: 5 },
  usage: { postgres },
});

const runs = new Map<number, ProcessesSummary[]>([
  [1, [run(0.07, 5), run(0.09, 6), run(0.05, 4)]],
  [8, [run(0.2, 9), run(0.3, 12)]],
]);

describe('the per-process chart', () => {
  it('takes each figure’s median and the runs’ range at every number of processes', () => {
    const postgres = PANELS.fanout?.[0]?.series[0];
    if (!postgres) throw new Error('the fanout set starts with PostgreSQL’s cores');
    expect(points(runs, postgres)).toEqual([
      { processes: 1, median: 0.07, low: 0.05, high: 0.09 },
      { processes: 8, median: 0.25, low: 0.2, high: 0.3 },
    ]);
  });

  it('draws four titled panels with a labelled median at each point', () => {
    const svg = chartProcesses(runs, PANELS.fanout ?? [], 'test');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/font-weight="bold"/g)).toHaveLength(4);
    expect(svg).toContain('>0.25</text>');
    // Delivery at 8 processes: p50 medians (9 + 12) / 2, p99 (27 + 36) / 2.
    expect(svg).toContain('>10.5</text>');
    expect(svg).toContain('>31.5</text>');
  });
});
