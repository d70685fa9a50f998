/**
 * Who is online: loaded from `presence.list` for the signed-in user's
 * contacts and co-members, then changed by `presence` stream items. Those are
 * not replayed after a reconnect, so the list is loaded again whenever the
 * stream reconnects, and every 30 s while polling (which carries none).
 * While the stream is down nothing is known: the states are dropped, and
 * shown as unknown until the next load.
 */
import type { PresenceState } from '@chat/api';
import { createEffect, createRoot, createSignal, on, onCleanup } from 'solid-js';
import { api, isConnected, transportState } from '../lib/trpc';
import { onEphemeral } from './events';
import { currentUser } from './session';

const POLLING_REFRESH_MS = 30_000;

const [states, setStates] = createSignal<ReadonlyMap<string, PresenceState>>(new Map());
/** Items that arrived while a load was in flight: newer than what it read. */
let arrivedDuringLoad: PresenceState[] | null = null;
let generation = 0;

async function load(): Promise<void> {
  const mine = ++generation;
  arrivedDuringLoad ??= [];
  try {
    const list = await api.presence.list.query();
    if (mine !== generation) return;
    const next = new Map(list.map((s) => [s.userId, s]));
    for (const s of arrivedDuringLoad ?? []) next.set(s.userId, s);
    setStates(next);
  } catch {
    // Shown as unknown until the next load.
  } finally {
    if (mine === generation) arrivedDuringLoad = null;
  }
}

createRoot(() => {
  createEffect(
    on(
      () => currentUser()?.id,
      (userId) => {
        generation++;
        arrivedDuringLoad = null;
        setStates(new Map());
        if (userId) void load();
      },
    ),
  );
  createEffect(
    on(transportState, (state, previous) => {
      // Down: what we knew goes stale with nothing to correct it (issue 24), so forget it.
      if (!isConnected(state) && previous !== undefined && isConnected(previous)) {
        generation++;
        arrivedDuringLoad = null;
        setStates(new Map());
      }
      if (currentUser() && isConnected(state) && previous !== undefined && !isConnected(previous)) void load();
      if (state === 'polling') {
        const timer = setInterval(() => void load(), POLLING_REFRESH_MS);
        onCleanup(() => clearInterval(timer));
      }
    }),
  );
});

onEphemeral((item) => {
  if (item.type !== 'presence') return;
  const state: PresenceState = {
    userId: item.userId,
    online: item.online,
    lastSeenAt: item.lastSeenAt,
    status: item.status,
  };
  arrivedDuringLoad?.push(state);
  setStates((current) => new Map(current).set(state.userId, state));
});

/** Whether anyone's presence is known now: only while our own stream is up. */
export const presenceKnown = (): boolean => isConnected(transportState());

/** What is known of `userId` (nothing for someone the user may not see, or while our stream is down). */
export function presenceOf(userId: string): PresenceState | undefined {
  return states().get(userId);
}

/**
 * Reads everyone's state again. Group members' changes are not pushed
 * (listPresenceWatchers in the api), so a view that orders them by who is
 * online (the member list) asks when it opens. Not while our stream is down:
 * nothing could keep the answer true.
 */
export function refreshPresence(): void {
  if (currentUser() && presenceKnown()) void load();
}
