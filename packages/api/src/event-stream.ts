/**
 * What `events.stream` returns: one user's stream, ready to start.
 *
 * The server's transport (apps/server/src/transport) recognises it by
 * `[ATTACH]` and attaches it to its own outlet, which frames each item as
 * tRPC would and writes it to the socket as the hub routes it: nothing waits
 * for the next event while the stream is idle (`LiveStream`;
 * docs/event-stream.md, "The transport module"). Anything else, tRPC's own
 * adapters or a server-side caller, iterates it as the async iterable of
 * `tracked(id, item)` the procedure's type promises.
 */
import { getTRPCErrorFromUnknown, type TRPCError, type TrackedEnvelope, tracked } from '@trpc/server';
import type { StreamActor } from './domain/events/poll';
import type { StreamItem } from './domain/events/types';
import { DomainError } from './errors';
import {
  fellBehind,
  LiveStream,
  QUEUE_LIMIT,
  type StreamDeps,
  type StreamEnd,
  type StreamOutlet,
} from './realtime/live-stream';
import { toTRPCError } from './trpc';
import { databaseUnavailable, isDatabaseUnavailable } from './unavailable';

/** A stream's failure as the client is told it: a domain error keeps its kind, a lost database is retryable. */
export function toStreamError(error: unknown): TRPCError {
  if (error instanceof DomainError) return toTRPCError(error);
  if (isDatabaseUnavailable(error)) return toTRPCError(databaseUnavailable());
  return getTRPCErrorFromUnknown(error);
}

/**
 * The transport's marker of a stream it attaches instead of iterating: the
 * registered symbol its attach.ts names, so this layer imports nothing from
 * the server (docs/event-stream.md, "The transport module").
 */
export const ATTACH = Symbol.for('chat.trpc-transport.attach');

export class EventStream implements AsyncIterable<TrackedEnvelope<StreamItem>, void> {
  constructor(
    private readonly deps: StreamDeps,
    private readonly actor: StreamActor,
    private readonly lastEventId: string | null | undefined,
    /** Watched: the stream ends with its session's expiry. */
    private readonly session: { id: string; expiresAt: Date },
    /** For an iterating reader: aborting it stops the stream. */
    private readonly signal?: AbortSignal,
  ) {}

  /**
   * Starts the stream into `outlet`; the returned stream is stopped with
   * `stop()`. Its failures reach `outlet.ended` as they are (the transport
   * maps them with `toStreamError`, as the iterator below does).
   */
  [ATTACH](outlet: StreamOutlet): LiveStream {
    const live = new LiveStream(this.deps, this.actor, outlet);
    live.start(this.lastEventId, this.session);
    return live;
  }

  [Symbol.asyncIterator](): AsyncIterator<TrackedEnvelope<StreamItem>, void> {
    const queue: TrackedEnvelope<StreamItem>[] = [];
    let end: StreamEnd | undefined;
    let stopped = false;
    let behind = false;
    let wake: (() => void) | undefined;
    const live = this[ATTACH]({
      send(id, item) {
        if (queue.length >= QUEUE_LIMIT) {
          behind = true;
          return false;
        }
        queue.push(tracked(id, item));
        wake?.();
        return true;
      },
      ended(e) {
        end = e;
        wake?.();
      },
    });
    const stop = () => {
      stopped = true;
      live.stop();
      wake?.();
    };
    this.signal?.addEventListener('abort', stop, { once: true });
    if (this.signal?.aborted) stop();
    const signal = this.signal;
    const finished = () => signal?.removeEventListener('abort', stop);
    return {
      async next() {
        while (queue.length === 0 && end === undefined && !stopped) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
        const value = queue.shift();
        if (value) return { value, done: false };
        finished();
        if (behind) throw toStreamError(fellBehind());
        if (end?.error !== undefined) throw toStreamError(end.error);
        return { value: undefined, done: true };
      },
      async return() {
        stop();
        finished();
        return { value: undefined, done: true };
      },
    };
  }
}
