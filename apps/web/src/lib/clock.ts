import { createRoot, createSignal } from 'solid-js';

/** The time, refreshed every 30 s: for "last seen 5 minutes ago" and "Today" to stay true. */
export const now = createRoot(() => {
  const [time, setTime] = createSignal(new Date());
  setInterval(() => setTime(new Date()), 30_000);
  return time;
});
