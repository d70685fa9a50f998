/**
 * The signed-in user's own status (issue 27): the one they chose, kept by
 * the server across their devices (`presence.mine`, `presence.setStatus`),
 * and this tab's idle reports, which the server combines with the user's
 * other tabs to show them away (docs/presence.md, "Status").
 */
import type { UserStatus } from '@chat/api';
import { createEffect, createRoot, createSignal, on, onCleanup } from 'solid-js';
import { IdleWatch, INPUT_EVENTS } from '../lib/idle-watch';
import { TAB_ID } from '../lib/tab-id';
import { api, isConnected, transportState } from '../lib/trpc';
import { onEphemeral, streamLive } from './events';
import { currentUser } from './session';

const [chosen, setChosen] = createSignal<UserStatus>('available');
/** The server's idle time (AWAY_AFTER_IDLE_SECONDS), once known. */
const [awayAfterIdleMs, setAwayAfterIdleMs] = createSignal<number | null>(null);
let generation = 0;

/** The status the user chose (the menu checks it); Do not disturb silences notifications and sound. */
export const myStatus = chosen;
export const doNotDisturb = (): boolean => chosen() === 'dnd';

async function load(): Promise<void> {
  const mine = ++generation;
  try {
    const status = await api.presence.mine.query();
    if (mine !== generation) return;
    setChosen(status.status);
    setAwayAfterIdleMs(status.awayAfterIdleMs);
  } catch {
    // Kept as it was until the next load (the stream's next reconnect).
  }
}

/** Chooses a status on every device of the user; rolled back if the server refuses. */
export async function chooseStatus(status: UserStatus): Promise<void> {
  const before = chosen();
  generation++;
  setChosen(status);
  try {
    setChosen((await api.presence.setStatus.mutate({ status })).status);
  } catch (error) {
    setChosen(before);
    throw error;
  }
}

createRoot(() => {
  createEffect(
    on(
      () => currentUser()?.id,
      (userId) => {
        generation++;
        setChosen('available');
        if (userId) void load();
      },
    ),
  );
  createEffect(
    on(transportState, (state, previous) => {
      // Another device may have changed it while we were away.
      if (currentUser() && isConnected(state) && previous !== undefined && !isConnected(previous)) void load();
    }),
  );
});

onEphemeral((item) => {
  const me = currentUser();
  if (item.type !== 'presence' || item.userId !== me?.id) return;
  // Another tab or device of ours changed it. Away may be ours or the server's idle one: ask which.
  if (item.status === 'away') void load();
  else {
    generation++;
    setChosen(item.status);
  }
});

/**
 * Watches this tab's input while the signed-in layout is shown, and tells the
 * server when the tab goes idle or comes back. The server forgets a tab's
 * idleness when its stream closes, so an idle tab says it again on each (re)connect.
 */
const IDLE_REPORT_RETRY_MS = 3_000;

export function useIdleReports(): void {
  createEffect(() => {
    const delay = awayAfterIdleMs();
    if (delay === null || !currentUser()) return;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const report = (idle: boolean) => {
      clearTimeout(retry);
      api.presence.setIdle.mutate({ tabId: TAB_ID, idle }).catch(() => {
        // A report lost (a busy server, a dropped connection) would leave the person shown as they
        // were until their next input: said again while it is still true. A new stream says it too.
        retry = setTimeout(() => {
          if (watch.isIdle === idle) report(idle);
        }, IDLE_REPORT_RETRY_MS);
      });
    };
    const watch = new IdleWatch(report, delay);
    const input = () => watch.input();
    for (const type of INPUT_EVENTS) window.addEventListener(type, input, { passive: true, capture: true });
    createEffect(
      on(streamLive, (live) => {
        if (live && watch.isIdle) report(true);
      }),
    );
    onCleanup(() => {
      clearTimeout(retry);
      watch.stop();
      for (const type of INPUT_EVENTS) window.removeEventListener(type, input, { capture: true });
    });
  });
}
