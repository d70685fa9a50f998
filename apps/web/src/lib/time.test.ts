import { describe, expect, it } from 'vitest';
import { clockTime, dayLabel, lastSeenText, listTime } from './time';

describe('lastSeenText', () => {
  const now = new Date('2030-05-10T12:00:00Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

  // The browser's own language: compare with the same formatter, not with English text.
  const rel = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

  it('says when, roughly', () => {
    expect(lastSeenText(null, now)).toBe('not yet');
    expect(lastSeenText(ago(20), now)).toBe('just now');
    expect(lastSeenText(ago(5 * 60), now)).toBe(rel.format(-5, 'minute'));
    expect(lastSeenText(ago(3 * 3600), now)).toBe(rel.format(-3, 'hour'));
    expect(lastSeenText(ago(26 * 3600), now)).toBe(rel.format(-1, 'day'));
    expect(lastSeenText(ago(30 * 86400), now)).toMatch(/2030/);
  });
});

describe('day and list times', () => {
  const now = new Date(2030, 4, 10, 12, 0);
  it('names nearby days and dates further away', () => {
    expect(dayLabel(new Date(2030, 4, 10, 0, 5), now)).toBe('Today');
    expect(dayLabel(new Date(2030, 4, 9, 23, 55), now)).toBe('Yesterday');
    expect(dayLabel(new Date(2030, 4, 6, 9), now)).toBe(
      new Intl.DateTimeFormat(undefined, { weekday: 'long' }).format(new Date(2030, 4, 6)),
    );
    expect(dayLabel(new Date(2029, 11, 24), now)).toMatch(/2029/);
  });

  it('shows the clock for today in the chat list, else a day', () => {
    expect(listTime(new Date(2030, 4, 10, 9, 30), now)).toBe(clockTime(new Date(2030, 4, 10, 9, 30)));
    expect(listTime(new Date(2030, 4, 9, 9, 30), now)).toBe('Yesterday');
    expect(listTime(new Date(2030, 0, 2), now)).not.toBe('Yesterday');
  });
});
