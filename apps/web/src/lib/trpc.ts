/**
 * The one place that talks to the network.
 *
 * - `api`: queries and mutations over HTTP (batched, same origin, the session
 *   cookie goes along by itself), but message sends each on their own: over
 *   the event stream's WebSocket while the stream is live on it (less work
 *   for the server and a quicker answer than an HTTP request:
 *   docs/event-stream.md, "Sends over the stream's socket"), else over HTTP.
 *   Either way a send whose answer is lost fails, and the outbox sends it
 *   again with the same id.
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
  type OperationLink,
  splitLink,
  type TRPCClientError,
  type TRPCLink,
} from '@trpc/client';
import { createSignal } from 'solid-js';
import superjson from 'superjson';
import { type AttemptEvents, pollEvents, subscribeOverSse, subscribeOverWebSocket, TRPC_PATH } from './stream-attempts';
import { type TransportMode, transportMode } from './transport-mode';

const RETRY_MAX_MS = 30_000;

/** The link of the WebSocket the stream is live on, or null (no stream, another transport, reconnecting). */
let liveSocketLink: TRPCLink<AppRouter> | null = null;

/** Message sends: on the live stream's WebSocket when there is one, else over HTTP; each on its own. */
const sendLink: TRPCLink<AppRouter> = (runtime) => {
  const overHttp = httpLink<AppRouter>({ url: TRPC_PATH, transformer: superjson })(runtime);
  const bound = new WeakMap<TRPCLink<AppRouter>, OperationLink<AppRouter>>();
  return (call) => {
    const socket = liveSocketLink;
    if (!socket) return overHttp(call);
    let overSocket = bound.get(socket);
    if (!overSocket) {
      overSocket = socket(runtime);
      bound.set(socket, overSocket);
    }
    return overSocket(call);
  };
};

export const api = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      // A send goes alone: its fate (and its retry) is its own, never a batch's.
      condition: (op) => op.path === 'message.send',
      true: sendLink,
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

/** One attempt at the stream: how to stop it, and (WebSocket) the link that sends on its socket. */
interface Attempt {
  stop(): void;
  socket?: TRPCLink<AppRouter>;
}

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
  let attempt: Attempt | null = null;
  let kindInUse: Kind = mode === 'sse' ? 'sse' : mode === 'poll' ? 'poll' : 'ws';
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let failuresInARow = 0;
  let closed = false;

  const stopAttempt = () => {
    const current = attempt;
    attempt = null;
    if (current?.socket && liveSocketLink === current.socket) liveSocketLink = null;
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
    const self: Attempt = { stop: () => {} };
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
        // Before the state, whose watchers may send at once (the outbox's resend).
        liveSocketLink = self.socket ?? null;
        setStreamState(LIVE_STATE[kind]);
        // A poll that was answered is a working connection.
        if (kind === 'poll') failuresInARow = 0;
      },
      reconnecting() {
        if (!isCurrent()) return;
        setStreamState('connecting');
        // Sends go over HTTP until the socket is back.
        liveSocketLink = null;
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
    if (kind === 'ws') {
      const ws = subscribeOverWebSocket(lastEventId, events);
      self.stop = ws.stop;
      self.socket = ws.link;
    } else if (kind === 'sse') self.stop = subscribeOverSse(lastEventId, events);
    else self.stop = pollEvents(pollQuery, lastEventId, events);
  };

  begin(kindInUse);
  return close;
}
