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
