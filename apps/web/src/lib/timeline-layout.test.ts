import { describe, expect, it } from 'vitest';
import { groupByDayAndSender, type LayoutItem, layoutRows } from './timeline-layout';

/** Local times, so days split where the browser's calendar does. */
const at = (day: number, hour: number, minute = 0) => new Date(2030, 4, day, hour, minute);
const msg = (id: string, senderId: string, createdAt: Date): LayoutItem => ({ id, senderId, createdAt });

const ids = (days: ReturnType<typeof groupByDayAndSender>) =>
  days.map((d) => d.runs.map((r) => `${r.senderId}:${r.items.map((i) => i.id).join(',')}`));

describe('grouping messages by day and sender', () => {
  it('runs one sender’s messages together until someone else writes', () => {
    const days = groupByDayAndSender([
      msg('1', 'alice', at(3, 9, 0)),
      msg('2', 'alice', at(3, 9, 1)),
      msg('3', 'bob', at(3, 9, 2)),
      msg('4', 'alice', at(3, 9, 3)),
      msg('5', 'alice', at(3, 9, 4)),
    ]);
    expect(ids(days)).toEqual([['alice:1,2', 'bob:3', 'alice:4,5']]);
  });

  it('keeps a line about the group out of every run: its sender’s next message starts a run', () => {
    const line = { ...msg('2', 'alice', at(3, 9, 1)), system: { type: 'renamed' } };
    const days = groupByDayAndSender([
      msg('1', 'alice', at(3, 9, 0)),
      line,
      msg('3', 'alice', at(3, 9, 2)),
      msg('4', 'alice', at(3, 9, 3)),
    ]);
    expect(ids(days)).toEqual([['alice:1', 'alice:2', 'alice:3,4']]);
  });

  it('starts a new day, and a new run, at midnight', () => {
    const days = groupByDayAndSender([
      msg('1', 'alice', at(3, 23, 58)),
      msg('2', 'alice', at(4, 0, 1)),
      msg('3', 'bob', at(6, 12)),
    ]);
    expect(ids(days)).toEqual([['alice:1'], ['alice:2'], ['bob:3']]);
    expect(days.map((d) => d.date.getDate())).toEqual([3, 4, 6]);
  });

  it('starts a new run after a pause', () => {
    const items = [msg('1', 'alice', at(3, 9, 0)), msg('2', 'alice', at(3, 9, 4)), msg('3', 'alice', at(3, 9, 20))];
    expect(ids(groupByDayAndSender(items))).toEqual([['alice:1,2', 'alice:3']]);
    expect(ids(groupByDayAndSender(items, { runGapMs: 60_000 }))).toEqual([['alice:1', 'alice:2', 'alice:3']]);
  });

  it('puts the "New messages" line before the first unread, splitting the run there', () => {
    const items = [msg('1', 'bob', at(3, 9, 0)), msg('2', 'bob', at(3, 9, 1)), msg('3', 'bob', at(3, 9, 2))];
    const days = groupByDayAndSender(items, { firstUnreadId: '2' });
    expect(ids(days)).toEqual([['bob:1', 'bob:2,3']]);
    expect(days[0]?.runs.map((r) => r.newMessages)).toEqual([false, true]);
  });

  it('marks each row for the flat list: day lines and run edges', () => {
    const rows = layoutRows([
      msg('1', 'alice', at(3, 9, 0)),
      msg('2', 'alice', at(3, 9, 1)),
      msg('3', 'bob', at(3, 9, 2)),
      msg('4', 'bob', at(4, 9, 0)),
    ]);
    const flags = (id: string) => {
      const r = rows.get(id);
      return r && [r.day ? 'day' : '-', r.firstInRun ? 'first' : '-', r.lastInRun ? 'last' : '-'].join(' ');
    };
    expect(['1', '2', '3', '4'].map(flags)).toEqual(['day first -', '- - last', '- first last', 'day first last']);
    expect(layoutRows([]).size).toBe(0);
  });
});
