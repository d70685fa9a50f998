/**
 * One attempt at carrying the event stream, per transport: a WebSocket or SSE
 * subscription (each link reconnects by itself and sends the last tracked id
 * back), or a loop of `events.poll` queries. Each reports to the controller in
 * `trpc.ts` through `AttemptEvents` and returns the function that stops it.
 */
import type { AppRouter, StreamItem } from '@chat/api';
import {
  createTRPCClient,
  createWSClient,
  httpSubscriptionLink,
  type TRPCClient,
  type TRPCClientError,
  type TRPCLink,
  wsLink,
} from '@trpc/client';
import superjson from 'superjson';

export const TRPC_PATH = '/trpc';
/** A WebSocket that has not opened by then is treated as blocked. */
const WS_OPEN_TIMEOUT_MS = 4_000;
/** Reconnects in a row that fail before an opened WebSocket is given up for SSE (auto mode). */
const WS_FAILED_RECONNECTS = 3;
/** Keep pings well under common proxy idle timeouts (AWS ALB: 60 s). */
const WS_KEEPALIVE = { enabled: true, intervalMs: 20_000, pongTimeoutMs: 10_000 } as const;
/** How often polling asks when the last answer was not a full page. */
export const POLL_INTERVAL_MS = 3_000;
/** `events.poll` returns at most this many items; a full page means more are waiting. */
const POLL_PAGE = 500;

/** What one subscription attempt reports to the controller. */
export interface AttemptEvents {
  data(id: string, item: StreamItem): void;
  /** The transport is up and the subscription is live on it (polling: a poll was answered). */
  live(): void;
  /** The link lost its connection and is reconnecting by itself. */
  reconnecting(): void;
  /** The subscription failed with an error the link does not retry (polling: any failed poll). */
  failed(error: unknown): void;
  /** The server completed the stream. */
  ended(): void;
  /** WebSocket only: it cannot open, or keeps failing to reconnect. */
  unusable(): void;
}

function webSocketUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}${TRPC_PATH}`;
}

type Subscriber = TRPCClient<AppRouter>['events']['stream'];

/** The subscription's callbacks, the same for WebSocket and SSE. */
function subscribe(stream: Subscriber, lastEventId: string | null, events: AttemptEvents) {
  return stream.subscribe(
    { lastEventId },
    {
      onData: ({ id, data }) => events.data(id, data),
      onConnectionStateChange(state) {
        if (state.state === 'pending') events.live();
        else if (state.state === 'connecting') events.reconnecting();
      },
      onError: (error: TRPCClientError<AppRouter>) => events.failed(error),
      onComplete: () => events.ended(),
    },
  );
}

/** A WebSocket attempt: how to stop it, and the link that sends calls on its socket. */
export interface WebSocketAttempt {
  /** Stops the subscription and closes the socket. */
  stop(): void;
  /** Carries calls on this attempt's socket (the message sends, while the stream is live on it). */
  link: TRPCLink<AppRouter>;
}

export function subscribeOverWebSocket(lastEventId: string | null, events: AttemptEvents): WebSocketAttempt {
  let opened = false;
  let failedReconnects = 0;
  let givenUp = false;
  const giveUp = () => {
    if (givenUp) return;
    givenUp = true;
    events.unusable();
  };
  const openTimer = setTimeout(() => {
    if (!opened) giveUp();
  }, WS_OPEN_TIMEOUT_MS);

  const wsClient = createWSClient({
    url: webSocketUrl(),
    keepAlive: WS_KEEPALIVE,
    onOpen() {
      opened = true;
      failedReconnects = 0;
      clearTimeout(openTimer);
    },
    // A failed socket fires 'error' and then 'close': counting closes counts each failure once.
    onClose() {
      if (!opened) giveUp();
      else if (++failedReconnects >= WS_FAILED_RECONNECTS) giveUp();
    },
  });
  const link = wsLink<AppRouter>({ client: wsClient, transformer: superjson });
  const client = createTRPCClient<AppRouter>({ links: [link] });
  const subscription = subscribe(client.events.stream, lastEventId, events);
  return {
    stop() {
      clearTimeout(openTimer);
      subscription.unsubscribe();
      wsClient.close().catch(() => {});
    },
    link,
  };
}

/** Returns a function that stops the subscription (and closes its EventSource). */
export function subscribeOverSse(lastEventId: string | null, events: AttemptEvents): () => void {
  const client = createTRPCClient<AppRouter>({
    links: [httpSubscriptionLink({ url: TRPC_PATH, transformer: superjson })],
  });
  const subscription = subscribe(client.events.stream, lastEventId, events);
  return () => subscription.unsubscribe();
}

export type PollQuery = (
  lastEventId: string | null,
) => Promise<{ items: { id: string; data: StreamItem }[]; cursor: string }>;

/**
 * Asks `events.poll` for what came after the cursor, every few seconds (at
 * once again after a full page). A failed poll ends the attempt: the
 * controller decides when to try again, from the same cursor.
 */
export function pollEvents(query: PollQuery, lastEventId: string | null, events: AttemptEvents): () => void {
  let cursor = lastEventId;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const poll = async () => {
    if (stopped) return;
    try {
      const page = await query(cursor);
      if (stopped) return;
      events.live();
      for (const { id, data } of page.items) {
        if (stopped) return;
        cursor = id;
        events.data(id, data);
      }
      cursor = page.cursor;
      timer = setTimeout(() => void poll(), page.items.length >= POLL_PAGE ? 0 : POLL_INTERVAL_MS);
    } catch (error) {
      if (!stopped) events.failed(error);
    }
  };
  void poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
