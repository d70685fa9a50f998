import { describe, expect, it } from 'vitest';
import { type IdleTimers, IdleWatch } from './idle-watch';

/** A clock the test moves by hand, running timers as they fall due. */
function fakeTimers() {
  let now = 0;
  let due: { at: number; run: () => void; id: number } | undefined;
  let ids = 0;
  const timers: IdleTimers = {
    now: () => now,
    setTimeout: (run, ms) => {
      due = { at: now + ms, run, id: ++ids };
      return ids;
    },
    clearTimeout: (handle) => {
      if (due?.id === handle) due = undefined;
    },
  };
  const advance = (ms: number) => {
    const until = now + ms;
    while (due && due.at <= until) {
      const { at, run } = due;
      due = undefined;
      now = at;
      run();
    }
    now = until;
  };
  return { timers, advance };
}

describe('IdleWatch', () => {
  it('reports idle after the delay without input, and back at the next input, each change once', () => {
    const { timers, advance } = fakeTimers();
    const reports: boolean[] = [];
    const watch = new IdleWatch((idle) => reports.push(idle), 1_000, timers);
    advance(999);
    expect(reports).toEqual([]);
    advance(1);
    expect(reports).toEqual([true]);
    expect(watch.isIdle).toBe(true);
    advance(5_000);
    watch.input();
    watch.input();
    expect(reports).toEqual([true, false]);
    advance(1_000);
    expect(reports).toEqual([true, false, true]);
  });

  it('input before the delay keeps the tab active: the delay counts from the last input', () => {
    const { timers, advance } = fakeTimers();
    const reports: boolean[] = [];
    const watch = new IdleWatch((idle) => reports.push(idle), 1_000, timers);
    advance(800);
    watch.input();
    advance(800);
    expect(reports).toEqual([]);
    expect(watch.isIdle).toBe(false);
    advance(200);
    expect(reports).toEqual([true]);
  });

  it('stops', () => {
    const { timers, advance } = fakeTimers();
    const reports: boolean[] = [];
    const watch = new IdleWatch((idle) => reports.push(idle), 1_000, timers);
    watch.stop();
    advance(10_000);
    expect(reports).toEqual([]);
  });
});
