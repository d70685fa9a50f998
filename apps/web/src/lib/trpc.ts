/**
 * The one place that talks to the network.
 *
 * - `api`: queries and mutations over HTTP (batched, same origin, the session
 *   cookie goes along by itself).
 * - `openEventStream()`: the tab's single event-stream subscription (one per
 *   tab, never one per chat). WebSocket first; SSE when the WebSocket cannot
 *   open (it errors or closes before opening, or has not opened within 4 s) or
 *   keeps failing to reconnect. `?transport=` can force a mode (see
 *   transport-mode.ts). The tracked id of the last item is kept, so every
 *   reconnection, on either transport, resumes where the last one stopped.
 * - `transportState()`: what the stream is using now, for the indicator.
 */
import type { AppRouter, StreamItem } from '@chat/api';
import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  httpSubscriptionLink,
  isTRPCClientError,
  type TRPCClientError,
  wsLink,
} from '@trpc/client';
import { createSignal } from 'solid-js';
import superjson from 'superjson';
import { type TransportMode, transportMode } from './transport-mode';

const TRPC_PATH = '/trpc';
/** A WebSocket that has not opened by then is treated as blocked. */
const WS_OPEN_TIMEOUT_MS = 4_000;
/** Reconnects in a row that fail before an opened WebSocket is given up for SSE (auto mode). */
const WS_FAILED_RECONNECTS = 3;
/** Keep pings well under common proxy idle timeouts (AWS ALB: 60 s). */
const WS_KEEPALIVE = { enabled: true, intervalMs: 20_000, pongTimeoutMs: 10_000 } as const;
const RETRY_MAX_MS = 30_000;

export const api = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: TRPC_PATH, transformer: superjson })],
});

export type ApiError = TRPCClientError<AppRouter>;
export const isApiError = (error: unknown): error is ApiError => isTRPCClientError<AppRouter>(error);

// --- Transport state --------------------------------------------------------

export type TransportState = 'connecting' | 'websocket' | 'sse' | 'offline';

const [streamState, setStreamState] = createSignal<TransportState>('offline');
const [online, setOnline] = createSignal(typeof navigator === 'undefined' ? true : navigator.onLine);
if (typeof window !== 'undefined') {
  window.addEventListener('online', () => setOnline(true));
  window.addEventListener('offline', () => setOnline(false));
}

/** What the event stream uses now. A browser that knows it has no network is 'offline'. */
export const transportState = (): TransportState => (online() ? streamState() : 'offline');

/** The mode the stream was opened in ('auto' unless forced by `?transport=`). */
const [activeMode, setActiveMode] = createSignal<TransportMode>('auto');

export { activeMode as transportModeInUse };

// --- The event stream -------------------------------------------------------

export interface StreamHandlers {
  /** One item, in order; `id` is its tracked position (empty for a locally made resync). */
  onItem(item: StreamItem, id: string): void;
  /**
   * The server ended or refused the stream (this session may have ended).
   * Resolve true to resume, false to stop; a rejection counts as true.
   */
  shouldResume(): Promise<boolean>;
}

type Kind = 'ws' | 'sse';

/** What one subscription attempt reports to the controller below. */
interface AttemptEvents {
  data(id: string, item: StreamItem): void;
  /** The transport is up and the subscription is live on it. */
  live(): void;
  /** The link lost its connection and is reconnecting by itself. */
  reconnecting(): void;
  /** The subscription failed with an error the link does not retry. */
  failed(error: unknown): void;
  /** The server completed the stream. */
  ended(): void;
  /** WebSocket only: it cannot open, or keeps failing to reconnect. */
  unusable(): void;
}

/**
 * Opens the tab's event stream and keeps it going until the returned function
 * is called or `shouldResume` says to stop.
 */
export function openEventStream(handlers: StreamHandlers): () => void {
  const mode = transportMode();
  setActiveMode(mode);
  if (mode === 'poll') {
    // Polling an `events.since` query is not built yet: no live updates.
    setStreamState('offline');
    return () => {};
  }

  let lastEventId: string | null = null;
  let attempt: { stop(): void } | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let failuresInARow = 0;
  let closed = false;

  const stopAttempt = () => {
    const current = attempt;
    attempt = null;
    current?.stop();
  };

  const close = () => {
    closed = true;
    clearTimeout(retryTimer);
    stopAttempt();
    setStreamState('offline');
  };

  /** Asks at once whether to go on (a signed-out user stops here), then reconnects after a back-off. */
  const resumeLater = async (kind: Kind) => {
    stopAttempt();
    clearTimeout(retryTimer);
    setStreamState('connecting');
    const delayMs = Math.min(1_000 * 2 ** failuresInARow++, RETRY_MAX_MS);
    const resume = await handlers.shouldResume().catch(() => true);
    if (closed) return;
    if (!resume) return close();
    retryTimer = setTimeout(() => begin(kind), delayMs);
  };

  const begin = (kind: Kind) => {
    stopAttempt();
    if (closed) return;
    setStreamState('connecting');
    const self = { stop: () => {} };
    attempt = self;
    const isCurrent = () => attempt === self && !closed;
    const events: AttemptEvents = {
      data(id, item) {
        if (!isCurrent()) return;
        lastEventId = id;
        failuresInARow = 0;
        handlers.onItem(item, id);
      },
      live() {
        if (isCurrent()) setStreamState(kind === 'ws' ? 'websocket' : 'sse');
      },
      reconnecting() {
        if (isCurrent()) setStreamState('connecting');
      },
      failed(error) {
        if (!isCurrent()) return;
        const data = isApiError(error) ? error.data : undefined;
        if (data?.field === 'lastEventId') {
          // The server no longer knows our position: start from now, and let the stores reload.
          lastEventId = null;
          handlers.onItem({ type: 'stream.resync' }, '');
        }
        void resumeLater(kind);
      },
      ended() {
        if (isCurrent()) void resumeLater(kind);
      },
      unusable() {
        if (!isCurrent()) return;
        if (mode === 'auto') begin('sse');
        else void resumeLater('ws');
      },
    };
    self.stop = kind === 'ws' ? subscribeOverWebSocket(lastEventId, events) : subscribeOverSse(lastEventId, events);
  };

  begin(mode === 'sse' ? 'sse' : 'ws');
  return close;
}

function webSocketUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}${TRPC_PATH}`;
}

/** Returns a function that stops the subscription and closes its socket. */
function subscribeOverWebSocket(lastEventId: string | null, events: AttemptEvents): () => void {
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
  const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient, transformer: superjson })] });
  const subscription = client.events.stream.subscribe(
    { lastEventId },
    {
      onData: ({ id, data }) => events.data(id, data),
      onConnectionStateChange(state) {
        if (state.state === 'pending') events.live();
        else if (state.state === 'connecting') events.reconnecting();
      },
      onError: (error) => events.failed(error),
      onComplete: () => events.ended(),
    },
  );

  return () => {
    clearTimeout(openTimer);
    subscription.unsubscribe();
    wsClient.close().catch(() => {});
  };
}

/** Returns a function that stops the subscription (and closes its EventSource). */
function subscribeOverSse(lastEventId: string | null, events: AttemptEvents): () => void {
  const client = createTRPCClient<AppRouter>({
    links: [httpSubscriptionLink({ url: TRPC_PATH, transformer: superjson })],
  });
  const subscription = client.events.stream.subscribe(
    { lastEventId },
    {
      onData: ({ id, data }) => events.data(id, data),
      onConnectionStateChange(state) {
        if (state.state === 'pending') events.live();
        else if (state.state === 'connecting') events.reconnecting();
      },
      onError: (error) => events.failed(error),
      onComplete: () => events.ended(),
    },
  );
  return () => subscription.unsubscribe();
}
