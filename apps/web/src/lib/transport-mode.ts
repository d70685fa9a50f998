/**
 * Which transport the event stream may use. By default ('auto') it chooses
 * and changes by itself; `?transport=ws|sse|poll` forces one, for
 * troubleshooting, and is remembered in localStorage; `?transport=auto`
 * forgets it. No network here: `trpc.ts` reads the choice when it opens the
 * stream.
 */
export type TransportMode = 'auto' | 'ws' | 'sse' | 'poll';

const STORAGE_KEY = 'chat.transport';
const MODES: readonly string[] = ['auto', 'ws', 'sse', 'poll'] satisfies TransportMode[];

function isMode(value: string | null | undefined): value is TransportMode {
  return typeof value === 'string' && MODES.includes(value);
}

/** localStorage can be missing or throw (storage disabled): then the choice lasts for this page load. */
function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** What this page load was opened with, if it named a mode. */
let chosenAtStart: TransportMode | null = null;

/** Reads `?transport=` from the address the app was opened at, and remembers it. Call once at start-up. */
export function rememberTransportChoice(search: string = window.location.search): void {
  const requested = new URLSearchParams(search).get('transport');
  if (!isMode(requested)) return;
  chosenAtStart = requested;
  try {
    if (requested === 'auto') storage()?.removeItem(STORAGE_KEY);
    else storage()?.setItem(STORAGE_KEY, requested);
  } catch {
    // Quota or privacy settings: not remembered beyond this page load.
  }
}

/** The forced mode, or 'auto' (WebSocket first, then SSE, then long-polling, and back up: docs/event-stream.md). */
export function transportMode(): TransportMode {
  if (chosenAtStart) return chosenAtStart;
  let stored: string | null = null;
  try {
    stored = storage()?.getItem(STORAGE_KEY) ?? null;
  } catch {
    stored = null;
  }
  return isMode(stored) ? stored : 'auto';
}
