/**
 * One attempt at carrying the user's event stream, per transport, for the
 * chooser (transport-choice.ts): a WebSocket or SSE subscription through
 * tRPC's links (each reconnects by itself and sends its last tracked id
 * back), or a loop of long polls. Shared by the web app and the typed
 * client, which differ only in how they reach the server (`StreamSetup`).
 * Nothing here is Node- or browser-only.
 */
import { createTRPCClient, createWSClient, type TRPCClient, type TRPCLink, wsLink } from '@trpc/client';
import superjson from 'superjson';
import type { StreamItem } from '../domain/events/types';
import type { AppRouter } from '../routers';
import type { AttemptHooks, StreamAttempt, StreamTransport } from './transport-choice';

/** Reconnects in a row that fail before an opened WebSocket is given up (the chooser moves down). */
const WS_FAILED_RECONNECTS = 3;
/** Keep pings well under common proxy idle timeouts (AWS ALB: 60 s). */
const WS_KEEPALIVE = { enabled: true, intervalMs: 20_000, pongTimeoutMs: 10_000 } as const;
/** How long the server may hold a poll: under common proxies' idle limits (docs/event-stream.md, "Long-polling"). */
export const POLL_WAIT_MS = 25_000;
/** `events.poll` returns at most this many items; a full page means more are waiting. */
const POLL_PAGE = 500;

export interface PollPage {
  items: { id: string; data: StreamItem }[];
  cursor: string;
}

/** One `events.poll`, cancelled by `signal` (a held poll must not outlive its attempt). */
export type PollQuery = (
  input: { lastEventId: string | null; waitMs?: number },
  signal: AbortSignal,
) => Promise<PollPage>;

/** How this client reaches the server. */
export interface StreamSetup {
  /** The WebSocket's URL (`ws[s]://host/trpc`) and, where there is no global one or it needs headers, its class. */
  webSocket: { url: string | (() => string); WebSocket?: typeof globalThis.WebSocket };
  /** A link that runs subscriptions over SSE (`httpSubscriptionLink` with this client's URL and EventSource). */
  sseLink(): TRPCLink<AppRouter>;
  poll: PollQuery;
  /** How long a poll may be held (default POLL_WAIT_MS). */
  pollWaitMs?: number;
  /** A pause after each answered poll (default none: ask again at once). */
  pollPauseMs?: number;
  /** This tab's name, sent with its stream so that its idle reports (`presence.setIdle`) count for it. */
  tabId?: string;
}

/** An attempt; over WebSocket it also has the link that sends calls on its socket. */
export interface TransportAttempt extends StreamAttempt {
  socket?: TRPCLink<AppRouter>;
}

export function openStreamAttempt(
  setup: StreamSetup,
  transport: StreamTransport,
  lastEventId: string | null,
  hooks: AttemptHooks<StreamItem>,
): TransportAttempt {
  if (transport === 'ws') return overWebSocket(setup, lastEventId, hooks);
  if (transport === 'sse') {
    const client = createTRPCClient<AppRouter>({ links: [setup.sseLink()] });
    return { stop: subscribe(client.events.stream, lastEventId, hooks, setup.tabId) };
  }
  return { stop: longPoll(setup, lastEventId, hooks) };
}

type Subscriber = TRPCClient<AppRouter>['events']['stream'];

/** Runs `events.stream` on a client's link, reporting to `hooks`; returns the function that stops it. */
export function subscribe(
  stream: Subscriber,
  lastEventId: string | null,
  hooks: AttemptHooks<StreamItem>,
  tabId?: string,
): () => void {
  let connected = false;
  const subscription = stream.subscribe(tabId ? { lastEventId, tabId } : { lastEventId }, {
    onData: ({ id, data }) => hooks.item(id, data),
    onConnectionStateChange(state) {
      // WebSocket: the socket opened; SSE: the stream's first event (`connected`) arrived.
      if (state.state === 'pending') {
        connected = true;
        hooks.connected();
      } else if (state.state === 'connecting' && connected) {
        connected = false;
        hooks.reconnecting();
      }
    },
    onError: (error) => hooks.failed(error),
    onComplete: () => hooks.ended(),
  });
  return () => subscription.unsubscribe();
}

function overWebSocket(setup: StreamSetup, lastEventId: string | null, hooks: AttemptHooks<StreamItem>) {
  let opened = false;
  let failedReconnects = 0;
  let givenUp = false;
  const giveUp = () => {
    if (givenUp) return;
    givenUp = true;
    hooks.unusable();
  };
  const wsClient = createWSClient({
    url: setup.webSocket.url,
    ...(setup.webSocket.WebSocket ? { WebSocket: setup.webSocket.WebSocket } : {}),
    keepAlive: WS_KEEPALIVE,
    onOpen() {
      opened = true;
      failedReconnects = 0;
    },
    // A failed socket fires 'error' and then 'close': counting closes counts each failure once.
    onClose() {
      if (!opened) giveUp();
      else if (++failedReconnects >= WS_FAILED_RECONNECTS) giveUp();
    },
  });
  const link = wsLink<AppRouter>({ client: wsClient, transformer: superjson });
  const client = createTRPCClient<AppRouter>({ links: [link] });
  const stop = subscribe(client.events.stream, lastEventId, hooks, setup.tabId);
  return {
    stop() {
      stop();
      wsClient.close().catch(() => {});
    },
    socket: link,
  } satisfies TransportAttempt;
}

/**
 * Long polls from the cursor: the first answered at once (so the chooser
 * knows polling works), each next one held by the server until there is
 * something or `pollWaitMs` passed, and asked again as soon as it is
 * answered. A failed poll ends the attempt: the chooser retries from the
 * same cursor, backing off.
 */
function longPoll(setup: StreamSetup, lastEventId: string | null, hooks: AttemptHooks<StreamItem>): () => void {
  const waitMs = setup.pollWaitMs ?? POLL_WAIT_MS;
  const abort = new AbortController();
  let cursor = lastEventId;
  let first = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const poll = async () => {
    if (abort.signal.aborted) return;
    try {
      const page = await setup.poll(first ? { lastEventId: cursor } : { lastEventId: cursor, waitMs }, abort.signal);
      if (abort.signal.aborted) return;
      first = false;
      hooks.connected();
      for (const { id, data } of page.items) {
        if (abort.signal.aborted) return;
        cursor = id;
        hooks.item(id, data);
      }
      if (abort.signal.aborted) return;
      cursor = page.cursor;
      hooks.cursor(page.cursor);
      const pause = page.items.length >= POLL_PAGE ? 0 : (setup.pollPauseMs ?? 0);
      if (pause > 0) timer = setTimeout(() => void poll(), pause);
      else void poll();
    } catch (error) {
      if (!abort.signal.aborted) hooks.failed(error);
    }
  };
  void poll();
  return () => {
    clearTimeout(timer);
    abort.abort();
  };
}
