/**
 * The one place that talks to the network.
 *
 * - `api`: queries and mutations over HTTP (batched, same origin, the session
 *   cookie goes along by itself), but message sends each on their own: over
 *   the event stream's WebSocket while the stream is live on it (less work
 *   for the server and a quicker answer than an HTTP request:
 *   docs/event-stream.md, "Sends over the stream's socket"), else over HTTP.
 *   Either way a send whose answer is lost fails, and the outbox sends it
 *   again with the same id. Long polls go alone too: the server holds them.
 * - `openEventStream()`: the tab's single event stream (one per tab, never one
 *   per chat), on the transport chosen by itself (`TransportChooser`, shared
 *   with the typed client): WebSocket first, SSE when the WebSocket cannot
 *   connect or carries nothing, long-polling when SSE cannot connect or is
 *   buffered, and back up when the better one works again, the cursor moving
 *   across (docs/event-stream.md, "Choosing a transport"). `?transport=`
 *   forces one, for troubleshooting (transport-mode.ts). While the browser
 *   says it is offline the stream is closed; it reopens at once when the
 *   network is back or the page is shown again.
 * - `transportState()`, `transportStatus()`: what the stream uses now and why, for the indicator.
 */
import type { AppRouter, StreamItem } from '@chat/api';
import {
  openStreamAttempt,
  type StreamStatus,
  type StreamTransport,
  type TransportAttempt,
  TransportChooser,
} from '@chat/api/client/streams';
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
import { browserStreamSetup, TRPC_PATH } from './stream-attempts';
import { TAB_ID } from './tab-id';
import { type TransportMode, transportMode } from './transport-mode';

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
      false: splitLink({
        // A long poll is held by the server until there is something (up to 25 s): never in a batch it would delay.
        condition: (op) => op.path === 'events.poll',
        true: httpLink({ url: TRPC_PATH, transformer: superjson }),
        // The server takes at most 50 calls per batch.
        false: httpBatchLink({ url: TRPC_PATH, transformer: superjson, maxItems: 50 }),
      }),
    }),
  ],
});

export type ApiError = TRPCClientError<AppRouter>;
export const isApiError = (error: unknown): error is ApiError => isTRPCClientError<AppRouter>(error);

// --- Transport state --------------------------------------------------------

export type TransportState = 'connecting' | 'websocket' | 'sse' | 'polling' | 'offline';

const LIVE_STATE: Record<StreamTransport, TransportState> = { ws: 'websocket', sse: 'sse', poll: 'polling' };

/** The stream's transport, whether it is live, and why that one; null while no stream is open. */
const [streamStatus, setStreamStatus] = createSignal<StreamStatus | null>(null);
const [online, setOnline] = createSignal(typeof navigator === 'undefined' ? true : navigator.onLine);
if (typeof window !== 'undefined') {
  window.addEventListener('online', () => setOnline(true));
  window.addEventListener('offline', () => setOnline(false));
}

/** What the event stream uses now. A browser that knows it has no network is 'offline'. */
export const transportState = (): TransportState => {
  const status = streamStatus();
  if (!online() || !status) return 'offline';
  return status.live ? LIVE_STATE[status.transport] : 'connecting';
};

/** The transport in use or being connected, and why it is that one (for the indicator). */
export { streamStatus as transportStatus };

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

/**
 * Opens the tab's event stream and keeps it going until the returned function
 * is called or `shouldResume` says to stop.
 */
export function openEventStream(handlers: StreamHandlers): () => void {
  const mode = transportMode();
  setActiveMode(mode);
  const setup = {
    ...browserStreamSetup((input, signal) => api.events.poll.query(input, { signal })),
    tabId: TAB_ID,
  };
  const chooser = new TransportChooser<StreamItem, TransportAttempt>({
    choice: mode,
    open: (transport, lastEventId, hooks) => openStreamAttempt(setup, transport, lastEventId, hooks),
    onItem: (item, id) => handlers.onItem(item, id),
    onStatus(status, attempt) {
      // Before the state, whose watchers may send at once (the outbox's resend).
      liveSocketLink = status.live && status.transport === 'ws' ? (attempt?.socket ?? null) : null;
      setStreamStatus(status);
    },
    eventIdOf: (item) => ('id' in item && typeof item.id === 'number' ? item.id : undefined),
    isReady: (item) => item.type === 'stream.ready' || item.type === 'stream.resync',
    shouldResume: () => handlers.shouldResume(),
    // The server no longer knows our position: the chooser starts from now, and the stores reload.
    isStaleCursor: (error) => isApiError(error) && error.data?.field === 'lastEventId',
    onStaleCursor: () => handlers.onItem({ type: 'stream.resync' }, ''),
  });

  /** The browser lost its network: nothing can arrive, so stop (a WebSocket may otherwise linger half-dead). */
  const pause = () => chooser.pause();
  /** The network is back or changed, or the page is shown again (after sleep): reconnect and try the best at once. */
  const changed = () => {
    if (navigator.onLine) chooser.networkChanged();
  };
  const shown = () => {
    if (document.visibilityState === 'visible') changed();
  };
  window.addEventListener('offline', pause);
  window.addEventListener('online', changed);
  document.addEventListener('visibilitychange', shown);
  if (navigator.onLine) chooser.start();
  else chooser.pause(); // `online` starts it

  return () => {
    window.removeEventListener('offline', pause);
    window.removeEventListener('online', changed);
    document.removeEventListener('visibilitychange', shown);
    chooser.close();
    liveSocketLink = null;
    setStreamStatus(null);
  };
}
