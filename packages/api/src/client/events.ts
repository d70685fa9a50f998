/**
 * The user's event stream for scripts and bots, over any of the three
 * transports, resumed from the last id after every reconnect, with stored
 * events handed over once each (duplicates dropped by id).
 */
import type { TRPCClient } from '@trpc/client';
import type { StreamItem } from '../domain/events/types';
import type { AppRouter } from '../routers';

export type EventTransport = 'ws' | 'sse' | 'poll';

export interface EventsOptions {
  /** Resume after this id (from an earlier run); null starts at the newest event. */
  lastEventId?: string | null;
  /** How often `poll` asks when there was nothing new (ms). */
  pollIntervalMs?: number;
  onError?: (error: unknown) => void;
}

export interface EventSubscription {
  /** The id to resume from: pass it as `lastEventId` next time. */
  readonly lastEventId: string | null;
  stop(): void;
}

type Handler = (item: StreamItem, id: string) => void;

export function subscribeEvents(
  api: TRPCClient<AppRouter>,
  transport: EventTransport,
  onItem: Handler,
  options: EventsOptions = {},
): EventSubscription {
  let lastEventId = options.lastEventId ?? null;
  let stopped = false;
  const seen = new Set<number>();
  const seenOrder: number[] = [];
  const hand = (id: string, item: StreamItem) => {
    lastEventId = id;
    if ('id' in item && typeof item.id === 'number') {
      if (seen.has(item.id)) return;
      seen.add(item.id);
      seenOrder.push(item.id);
      if (seenOrder.length > 50_000) seen.delete(seenOrder.shift() as number);
    }
    onItem(item, id);
  };

  if (transport !== 'poll') {
    const sub = api.events.stream.subscribe(
      { lastEventId },
      {
        onData: (tracked) => hand(tracked.id, tracked.data),
        onError: (error) => options.onError?.(error),
      },
    );
    return {
      get lastEventId() {
        return lastEventId;
      },
      stop: () => {
        stopped = true;
        sub.unsubscribe();
      },
    };
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  const interval = options.pollIntervalMs ?? 2_000;
  const poll = async () => {
    if (stopped) return;
    let full = false;
    try {
      const page = await api.events.poll.query({ lastEventId });
      for (const { id, data } of page.items) hand(id, data);
      lastEventId = page.cursor;
      full = page.items.length >= 500;
    } catch (error) {
      options.onError?.(error);
    }
    if (!stopped) timer = setTimeout(poll, full ? 0 : interval);
  };
  void poll();
  return {
    get lastEventId() {
      return lastEventId;
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
