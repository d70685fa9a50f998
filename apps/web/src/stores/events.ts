/**
 * The tab's event stream, opened while someone is signed in, and the one
 * dispatcher that hands each item to the store it concerns: the stream's own
 * control items in `dispatch`, stored events through the `handlers` table.
 */
import type { ChatEvent, EphemeralItem, EventType, StreamItem } from '@chat/api';
import { createEffect, createSignal, on, onCleanup } from 'solid-js';
import { openEventStream } from '../lib/trpc';
import { applyOwnProfile, currentUser, recheckSession } from './session';

/** Event ids already applied: a resumed stream may repeat a few, and each is applied once. */
const APPLIED_MEMORY = 2_000;
const applied = new Set<number>();

const [live, setLive] = createSignal(false);

/** Whether the stream has caught up and is delivering live events. */
export { live as streamLive };

const [databaseAvailable, setDatabaseAvailable] = createSignal(true);

/** False while the server says it cannot reach its database (sends then wait in the outbox). */
export { databaseAvailable };

const resyncListeners = new Set<() => void>();

/**
 * Called when the stream could not resume from our position: whatever a
 * store holds may have missed events and should be reloaded.
 */
export function onResync(listener: () => void): () => void {
  resyncListeners.add(listener);
  return () => resyncListeners.delete(listener);
}

const ephemeralListeners = new Set<(item: EphemeralItem) => void>();

/**
 * Presence and typing as they pass: not stored, not replayed after a
 * reconnect, never deduplicated (they carry no id). Returns the unsubscriber.
 */
export function onEphemeral(listener: (item: EphemeralItem) => void): () => void {
  ephemeralListeners.add(listener);
  return () => ephemeralListeners.delete(listener);
}

function dispatch(item: StreamItem): void {
  switch (item.type) {
    case 'stream.ready':
      setLive(true);
      setDatabaseAvailable(true);
      return;
    case 'server.database':
      setDatabaseAvailable(item.available);
      return;
    case 'stream.resync':
      applied.clear();
      for (const listener of resyncListeners) listener();
      return;
    case 'presence':
    case 'typing':
      for (const listener of ephemeralListeners) listener(item);
      return;
    default:
      if (alreadyApplied(item)) return;
      applyEvent(item);
  }
}

export type EventOf<K extends EventType> = Extract<ChatEvent, { type: K }>;
export type EventHandlers = { [K in EventType]?: (event: EventOf<K>) => void };

/**
 * What each stored event does here. Types without a handler are skipped (the
 * server adds types before this app handles them); a new one is a new entry.
 */
const handlers: EventHandlers = {
  'session.ended': () => {
    // Ours or another of this user's sessions: ask the server whether we are still signed in.
    recheckSession().catch(() => {});
  },
  'profile.updated': (event) => applyOwnProfile(event.payload.profile),
};

/** Handler tables of the stores and open pages that follow events (see `onEvents`). */
const subscribers = new Set<EventHandlers>();

/**
 * Lets a store or a page follow stored events, each delivered once, in order,
 * after the table above. Returns the function that stops it (for `onCleanup`).
 */
export function onEvents(table: EventHandlers): () => void {
  subscribers.add(table);
  return () => subscribers.delete(table);
}

function applyEvent<K extends EventType>(event: EventOf<K>): void {
  const handler: ((event: EventOf<K>) => void) | undefined = handlers[event.type];
  handler?.(event);
  for (const table of subscribers) {
    const follower: ((event: EventOf<K>) => void) | undefined = table[event.type];
    follower?.(event);
  }
}

function alreadyApplied(event: ChatEvent): boolean {
  if (applied.has(event.id)) return true;
  applied.add(event.id);
  if (applied.size > APPLIED_MEMORY) {
    const oldest = applied.values().next();
    if (!oldest.done) applied.delete(oldest.value);
  }
  return false;
}

/**
 * Keeps one stream open per signed-in user: opened on sign-in, closed on
 * sign-out (a new user gets a new connection, authenticated as them). Call
 * once, inside the app's root component.
 */
export function followSession(): void {
  createEffect(
    on(
      () => currentUser()?.id,
      (userId) => {
        if (!userId) return;
        const close = openEventStream({ onItem: dispatch, shouldResume: recheckSession });
        onCleanup(() => {
          close();
          setLive(false);
          applied.clear();
        });
      },
    ),
  );
}
