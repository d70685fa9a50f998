/**
 * The user's event stream for scripts and bots, on the transport chosen by
 * itself as the web app's is (transport-choice.ts; docs/event-stream.md,
 * "Choosing a transport"), or on the one the client was created with. It is
 * resumed from the last id after every reconnect and every change of
 * transport, with stored events handed over once each (repeats dropped by id).
 */
import type { TRPCClient } from '@trpc/client';
import type { StreamItem } from '../domain/events/types';
import type { AppRouter } from '../routers';
import { openStreamAttempt, type StreamSetup, subscribe, type TransportAttempt } from './stream-attempts';
import {
  type StreamStatus,
  type StreamTransport,
  type Timing,
  type TransportChoice,
  TransportChooser,
} from './transport-choice';

export type EventTransport = StreamTransport;

export interface EventsOptions {
  /** Resume after this id (from an earlier run); null starts at the newest event. */
  lastEventId?: string | null;
  /** Polling only: a pause after each answer before asking again (ms; default none, as long polls are held). */
  pollIntervalMs?: number;
  onError?: (error: unknown) => void;
  /** Each change of transport or of liveness, and why (see `StreamStatus`). */
  onStatus?: (status: StreamStatus) => void;
  /**
   * After the server ended or refused the stream: whether to go on. Default:
   * yes, unless the session is gone or the request is refused
   * (UNAUTHORIZED, FORBIDDEN, BAD_REQUEST).
   */
  shouldResume?: (error: unknown) => Promise<boolean>;
  /** Deadlines and intervals of the choice (tests shorten them). */
  timing?: Partial<Timing>;
  /** Names the stream's tab (a UUID) for `presence.setIdle` (docs/presence.md, "Status"). */
  tabId?: string;
}

export interface EventSubscription {
  /** The id to resume from: pass it as `lastEventId` next time. */
  readonly lastEventId: string | null;
  /** The transport in use, whether it is live, and why. */
  status(): StreamStatus;
  stop(): void;
}

type Handler = (item: StreamItem, id: string) => void;

const STOPPING_CODES = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'BAD_REQUEST']);

const codeOf = (error: unknown): string | undefined => {
  const data = typeof error === 'object' && error !== null ? (error as { data?: { code?: unknown } }).data : undefined;
  return typeof data?.code === 'string' ? data.code : undefined;
};

const isStaleCursor = (error: unknown): boolean => {
  const data = typeof error === 'object' && error !== null ? (error as { data?: { field?: unknown } }).data : undefined;
  return data?.field === 'lastEventId';
};

/**
 * Follows the stream. `choice` is 'auto', or the transport the client was
 * created with; a forced WebSocket or SSE stream runs on `api`'s own link
 * (so `sendOver: 'ws'` shares its socket).
 */
export function subscribeEvents(
  api: TRPCClient<AppRouter>,
  choice: TransportChoice,
  setup: StreamSetup,
  onItem: Handler,
  options: EventsOptions = {},
): EventSubscription {
  const paced = options.pollIntervalMs === undefined ? setup : { ...setup, pollPauseMs: options.pollIntervalMs };
  const streams = options.tabId ? { ...paced, tabId: options.tabId } : paced;
  const chooser = new TransportChooser<StreamItem, TransportAttempt>({
    choice,
    lastEventId: options.lastEventId ?? null,
    open: (transport, lastEventId, hooks) =>
      choice !== 'auto' && transport !== 'poll'
        ? { stop: subscribe(api.events.stream, lastEventId, hooks, options.tabId) }
        : openStreamAttempt(streams, transport, lastEventId, hooks),
    onItem,
    onStatus: (status) => options.onStatus?.(status),
    eventIdOf: (item) => ('id' in item && typeof item.id === 'number' ? item.id : undefined),
    isReady: (item) => item.type === 'stream.ready' || item.type === 'stream.resync',
    shouldResume:
      options.shouldResume ?? (async (error) => isStaleCursor(error) || !STOPPING_CODES.has(codeOf(error) ?? '')),
    isStaleCursor,
    // The server does not know our position: the stream goes on from now, and the caller hears it must reload.
    onStaleCursor: () => onItem({ type: 'stream.resync' }, ''),
    ...(options.onError ? { onError: options.onError } : {}),
    ...(options.timing ? { timing: options.timing } : {}),
  });
  chooser.start();
  return {
    get lastEventId() {
      return chooser.cursor;
    },
    status: () => chooser.status(),
    stop: () => chooser.close(),
  };
}
