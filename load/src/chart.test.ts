import { describe, expect, it } from 'vitest';
import { chart, seconds } from './chart';

const LOG = `seeding…
[   1s] live 10/10 | sent 50 stored 50 | delivered 100/100 (100/s p50 4.2 p99 9.0 ms) | dup 0 err 0 | server 20% cpu 120 MB | 22:41:07
[   2s] live 10/10 | sent 50 stored 50 | delivered 100/100 (0/s p50 0.0 p99 0.0 ms) | dup 0 err 0 | 22:41:08
[   3s] live 10/10 | sent 99 stored 99 | delivered 1,234/1,300 (1,134/s p50 12.5 p99 340.0 ms) | dup 0 err 0 | 22:41:09`;

describe('the per-second chart', () => {
  it('reads the seconds that had deliveries from the progress lines', () => {
    expect(seconds(LOG)).toEqual([
      { at: 1, rate: 100, p50: 4.2, p99: 9 },
      { at: 3, rate: 1134, p50: 12.5, p99: 340 },
    ]);
  });

  it('draws a line per run, scaled to the largest p99', () => {
    const svg = chart([{ name: 'run 1', seconds: seconds(LOG) }], 'test');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('run 1');
    // p99 of 340 ms at the top of a 340 ms axis (y = top margin), the first second at the left edge.
    expect(svg).toContain('M56.0,');
    expect(svg).toMatch(/L\d+\.\d,36\.0/);
  });
});
