/**
 * The one place that talks to the network.
 *
 * - `api`: queries and mutations over HTTP (batched, same origin, the session
 *   cookie goes along by itself; message sends each on their own).
 * - `openEventStream()`: the tab's single event stream (one per tab, never one
 *   per chat). WebSocket first; SSE when the WebSocket cannot open (it errors
 *   or closes before opening, or has not opened within 4 s) or keeps failing
 *   to reconnect; polling `events.poll` when `?transport=poll` asks for it
 *   (see transport-mode.ts). The tracked id of the last item is kept, so every
 *   reconnection, on any transport, resumes where the last one stopped. While
 *   the browser says it is offline the stream is closed, and it reopens at
 *   once when the network is back.
 * - `transportState()`: what the stream is using now, for the indicator.
 */
import type { AppRouter, StreamItem } from '@chat/api';
import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  isTRPCClientError,
  splitLink,
  type TRPCClientError,
} from '@trpc/client';
import { createSignal } from 'solid-js';
import superjson from 'superjson';
import { type AttemptEvents, pollEvents, subscribeOverSse, subscribeOverWebSocket, TRPC_PATH } from './stream-attempts';
import { type TransportMode, transportMode } from './transport-mode';

const RETRY_MAX_MS = 30_000;

export const api = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      // A send goes alone: its fate (and its retry) is its own, never a batch's.
      condition: (op) => op.path === 'message.send',
      true: httpLink({ url: TRPC_PATH, transformer: superjson }),
      // The server takes at most 50 calls per batch.
      false: httpBatchLink({ url: TRPC_PATH, transformer: superjson, maxItems: 50 }),
    }),
  ],
});

export type ApiError = TRPCClientError<AppRouter>;
export const isApiError = (error: unknown): error is ApiError => isTRPCClientError<AppRouter>(error);

// --- Transport state --------------------------------------------------------

export type TransportState = 'connecting' | 'websocket' | 'sse' | 'polling' | 'offline';

const [streamState, setStreamState] = createSignal<TransportState>('offline');
const [online, setOnline] = createSignal(typeof navigator === 'undefined' ? true : navigator.onLine);
if (typeof window !== 'undefined') {
  window.addEventListener('online', () => setOnline(true));
  window.addEventListener('offline', () => setOnline(false));
}

/** What the event stream uses now. A browser that knows it has no network is 'offline'. */
export const transportState = (): TransportState => (online() ? streamState() : 'offline');

/** Whether events arrive now (over any transport). */
export const isConnected = (state: TransportState = transportState()): boolean =>
  state === 'websocket' || state === 'sse' || state === 'polling';

/** Whether the browser believes it has a network. */
export { online as browserOnline };

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

type Kind = 'ws' | 'sse' | 'poll';

const LIVE_STATE: Record<Kind, TransportState> = { ws: 'websocket', sse: 'sse', poll: 'polling' };

const pollQuery = (lastEventId: string | null) => api.events.poll.query({ lastEventId });

/**
 * Opens the tab's event stream and keeps it going until the returned function
 * is called or `shouldResume` says to stop.
 */
export function openEventStream(handlers: StreamHandlers): () => void {
  const mode = transportMode();
  setActiveMode(mode);

  let lastEventId: string | null = null;
  let attempt: { stop(): void } | null = null;
  let kindInUse: Kind = mode === 'sse' ? 'sse' : mode === 'poll' ? 'poll' : 'ws';
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let failuresInARow = 0;
  let closed = false;

  const stopAttempt = () => {
    const current = attempt;
    attempt = null;
    current?.stop();
  };

  /** The browser lost its network: nothing can arrive, so stop (a WebSocket may otherwise linger half-dead). */
  const pause = () => {
    clearTimeout(retryTimer);
    stopAttempt();
    setStreamState('connecting');
  };
  /** The network is back: resume at once, from the last id. */
  const resume = () => {
    if (closed) return;
    failuresInARow = 0;
    begin(kindInUse);
  };
  window.addEventListener('offline', pause);
  window.addEventListener('online', resume);

  const close = () => {
    closed = true;
    window.removeEventListener('offline', pause);
    window.removeEventListener('online', resume);
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
    clearTimeout(retryTimer);
    if (closed) return;
    kindInUse = kind;
    setStreamState('connecting');
    if (!navigator.onLine) return; // `online` starts it again
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
        if (!isCurrent()) return;
        setStreamState(LIVE_STATE[kind]);
        // A poll that was answered is a working connection.
        if (kind === 'poll') failuresInARow = 0;
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
    if (kind === 'ws') self.stop = subscribeOverWebSocket(lastEventId, events);
    else if (kind === 'sse') self.stop = subscribeOverSse(lastEventId, events);
    else self.stop = pollEvents(pollQuery, lastEventId, events);
  };

  begin(kindInUse);
  return close;
}
