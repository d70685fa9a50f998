import { describe, expect, it } from 'vitest';
import { COALESCE_MS, coalesced } from './long-poll';

describe("a long poll's end", () => {
  it('is where it was asked for, for a wait under five seconds', () => {
    for (const waitMs of [0, 200, 1_000, 4_999]) {
      const until = 1_700_000_000_123 + waitMs;
      expect(coalesced(until, waitMs)).toBe(until);
    }
  });

  it('moves back to a whole second for a longer wait, never later and at most a second earlier', () => {
    for (const start of [1_700_000_000_000, 1_700_000_000_001, 1_700_000_000_999, 1_700_000_123_456]) {
      for (const waitMs of [5_000, 20_000, 25_000]) {
        const until = start + waitMs;
        const end = coalesced(until, waitMs);
        expect(end % COALESCE_MS).toBe(0);
        expect(end).toBeLessThanOrEqual(until);
        expect(until - end).toBeLessThan(COALESCE_MS);
      }
    }
    // Polls asked at different moments of one second end together.
    expect(coalesced(1_700_000_000_010 + 25_000, 25_000)).toBe(coalesced(1_700_000_000_990 + 25_000, 25_000));
  });
});
