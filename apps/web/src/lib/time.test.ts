import { describe, expect, it } from 'vitest';
import { lastSeenText } from './time';

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
