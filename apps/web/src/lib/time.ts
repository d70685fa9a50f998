const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['minute', 60],
  ['hour', 60 * 60],
  ['day', 24 * 60 * 60],
];

/** When someone was last seen: "just now", "5 minutes ago", "yesterday", a date beyond a week, or "not yet". */
export function lastSeenText(at: Date | null, now: Date = new Date()): string {
  if (!at) return 'not yet';
  const seconds = Math.round((at.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 60) return 'just now';
  if (Math.abs(seconds) >= 7 * 24 * 60 * 60) return dateTime.format(at);
  let unit: Intl.RelativeTimeFormatUnit = 'minute';
  let size = 60;
  for (const [u, s] of STEPS) {
    if (Math.abs(seconds) >= s) {
      unit = u;
      size = s;
    }
  }
  return relative.format(Math.round(seconds / size), unit);
}

// 'numeric' hours, as the full date's timeStyle has them: the visible time is then part of the link's name (WCAG 2.5.3).
const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
const weekdayShort = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const dayMonth = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
const dayMonthYear = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric' });
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: '2-digit' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole calendar days from `at` to `now` where the browser is (0 = today, 1 = yesterday). */
function daysAgo(at: Date, now: Date): number {
  const start = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  return Math.round((start(now) - start(at)) / DAY_MS);
}

/** A message's time of day: "14:05". */
export function clockTime(at: Date): string {
  return clock.format(at);
}

/** A message's full date and time, for its tooltip. */
export function fullDateTime(at: Date): string {
  return full.format(at);
}

/** The line between days: "Today", "Yesterday", "Monday" within a week, else the date. */
export function dayLabel(at: Date, now: Date = new Date()): string {
  const days = daysAgo(at, now);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days > 1 && days < 7) return weekday.format(at);
  return at.getFullYear() === now.getFullYear() ? dayMonth.format(at) : dayMonthYear.format(at);
}

/** The chat list's time: the clock today, "Yesterday", a weekday within a week, else a short date. */
export function listTime(at: Date, now: Date = new Date()): string {
  const days = daysAgo(at, now);
  if (days <= 0) return clock.format(at);
  if (days === 1) return 'Yesterday';
  if (days < 7) return weekdayShort.format(at);
  return shortDate.format(at);
}
