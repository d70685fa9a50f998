/**
 * One subscription on a WebSocket, served one of two ways:
 *
 * - attached (`attach`): its result carries `[ATTACH]` (attach.ts), and its
 *   producer writes each item through `send`, framed from the item's kept
 *   serialisation (wire.ts); nothing waits while it is idle. The event
 *   stream takes this path (docs/event-stream.md, "The transport module").
 * - iterated (`iterate`): any other async iterable (or observable), read as
 *   tRPC's `applyWSSHandler` reads it: `started`, a `data` frame per item
 *   (with its id for `tracked(id, item)`), the error of an iteration that
 *   throws, and `stopped` once the iterator is disposed, after it ended, failed
 *   or was stopped (`subscription.stop`, the socket's close: the procedure's
 *   `signal` is aborted).
 */
import type { Duplex } from 'node:stream';
import { getTRPCErrorFromUnknown, isTrackedEnvelope, type TRPCError } from '@trpc/server';
import { isObservable, type Observable, observableToAsyncIterable } from '@trpc/server/observable';
import type { TRPCResponseMessage } from '@trpc/server/rpc';
import type { WebSocket } from 'ws';
import { ATTACH, type AttachableStream, type AttachedEnd, type AttachedStream, type StreamOutlet } from './attach';
import type { TransportLog } from './log';
import { trackedWsFrame } from './wire';

export const OPEN = 1;
/** A frame given as bytes is still a text frame (tRPC's protocol is JSON text). */
const TEXT = { binary: false } as const;
export type RequestId = string | number;

export function closeEnded(socket: WebSocket): void {
  socket.close(4401, 'session ended');
}

export const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

const isAbortError = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';

/** What a subscription needs of its socket (websocket.ts's `Connection`). */
export interface SubscriptionHost {
  readonly socket: WebSocket;
  /** The connection under `socket`, for frames written whole; none when `ws` must frame them. */
  readonly raw: Duplex | undefined;
  readonly userId: string;
  readonly log: TransportLog;
  /** Past this many bytes unsent, the client is not reading. */
  readonly limitBytes: number;
  streamError(cause: unknown): TRPCError;
  respond(message: TRPCResponseMessage): void;
  respondError(
    id: RequestId,
    jsonrpc: '2.0' | undefined,
    cause: unknown,
    type: 'subscription',
    path: string,
    input: unknown,
  ): void;
  forget(id: RequestId, subscription: Subscription): void;
  streamStarted(): void;
  streamEnded(watch: boolean): void;
}

type Next = IteratorResult<unknown> | TRPCError | 'abort';

export class Subscription implements StreamOutlet {
  stopped = false;
  /** The signal of the procedure's call and of an iterated stream; let go of once a stream is attached. */
  private controller: AbortController | undefined = new AbortController();
  /** Kept for an iterated stream's error shapes; let go of once a stream is attached. */
  private input: unknown;
  private live: AttachedStream | undefined;
  /** While an iterated stream runs: it says `stopped` itself, once its iterator is disposed. */
  private iterating = false;
  /** An iterated stream waiting for its next item: resolves the wait. */
  private wake: ((next: Next) => void) | undefined;

  constructor(
    private readonly host: SubscriptionHost,
    private readonly id: RequestId,
    private readonly jsonrpc: '2.0' | undefined,
    private readonly path: string,
    input: unknown,
  ) {
    this.input = input;
  }

  get signal(): AbortSignal | undefined {
    return this.controller?.signal;
  }

  /**
   * Stops it (the client's `subscription.stop`, or its socket closed). True
   * when the caller answers `stopped` now and forgets it; an iterated stream
   * does both once its iterator is disposed, as tRPC's adapter does.
   */
  stop(): boolean {
    if (this.stopped) return false;
    this.stopped = true;
    this.abort();
    if (this.iterating) {
      this.wake?.('abort');
      return false;
    }
    this.release(true);
    return true;
  }

  private abort(): void {
    // `abort()` builds an AbortError (with a stack) even when already aborted.
    const controller = this.controller;
    if (controller && !controller.signal.aborted) controller.abort();
  }

  // --- attached

  attach(stream: AttachableStream): void {
    this.controller = undefined;
    this.input = undefined;
    this.host.streamStarted();
    this.live = stream[ATTACH](this);
  }

  /** Stops the stream, if attached, and tells the socket it carries one fewer. */
  private release(watch: boolean): void {
    const live = this.live;
    if (!live) return;
    this.live = undefined;
    live.stop();
    this.host.streamEnded(watch);
  }

  send(trackedId: string, item: object): boolean {
    const { socket, raw } = this.host;
    // The socket is not waited on: a client that stopped reading would grow
    // its buffer without bound. It is cut instead, and resumes from its
    // cursor; nothing is lost (the log has it all).
    if (socket.bufferedAmount > this.host.limitBytes) {
      this.host.log.warn({ userId: this.host.userId }, 'stream cut: the client stopped reading');
      socket.terminate();
      return false;
    }
    if (socket.readyState !== OPEN) return true;
    const frame = trackedWsFrame(this.id, this.jsonrpc, trackedId, item);
    // Most of a fan-out's frames are the same buffer: written to the
    // connection as it is, one write each, without `ws` building a header and
    // corking for it (1.16 times cheaper per socket; docs/event-stream.md,
    // "The transport module"). `ws` writes its own frames at once too, whole,
    // so the order on the wire stays the order of the calls.
    if (!raw) socket.send(frame.payload, TEXT);
    else if (raw.writable) raw.write(frame.frame);
    return true;
  }

  ended(end: AttachedEnd): void {
    const host = this.host;
    host.forget(this.id, this);
    this.release(!end.sessionEnded);
    if (end.error !== undefined) {
      host.respondError(this.id, this.jsonrpc, host.streamError(end.error), 'subscription', this.path, undefined);
    }
    // As tRPC's adapter: a stream that ends, failed or not, is then `stopped` (ws-conformance.int.test.ts).
    if (!end.sessionEnded) host.respond({ id: this.id, jsonrpc: this.jsonrpc, result: { type: 'stopped' } });
    // Its session is over: the socket goes too (after what it holds), so
    // nothing else rides on it. 4401 tells the client not to retry with it.
    // Not at once: the socket's other streams are told in the same round.
    else setImmediate(closeEnded, host.socket);
  }

  // --- iterated

  /** Reads `result` to its end, or until stopped, as tRPC's adapter does. */
  async iterate(result: AsyncIterable<unknown> | Observable<unknown, unknown>): Promise<void> {
    const { host, id, jsonrpc } = this;
    const signal = this.controller?.signal ?? AbortSignal.abort();
    if (this.stopped || host.socket.readyState !== OPEN) {
      // Stopped (and answered) while the procedure was called, or its socket
      // is closing: disposed unread.
      this.stopped = true;
      this.abort();
      if (!isObservable(result)) await this.dispose(result[Symbol.asyncIterator]());
      host.forget(id, this);
      return;
    }
    this.iterating = true;
    const iterable = isObservable(result) ? observableToAsyncIterable(result, signal) : result;
    const iterator = iterable[Symbol.asyncIterator]();
    host.respond({ id, jsonrpc, result: { type: 'started' } });
    let completed = false;
    let failure: TRPCError | undefined;
    for (;;) {
      const next = this.stopped ? 'abort' : await this.next(iterator, signal);
      if (next === 'abort') break;
      if (next instanceof Error) {
        failure = next;
        break;
      }
      if (next.done) {
        completed = true;
        break;
      }
      // Built as tRPC builds it, so the frame's keys come in its order.
      const data: { type: 'data'; data: unknown; id?: string } = { type: 'data', data: next.value };
      if (isTrackedEnvelope(next.value)) {
        const [trackedId, item] = next.value;
        data.id = trackedId;
        data.data = { id: trackedId, data: item };
      }
      host.respond({ id, jsonrpc, result: data });
    }
    // Aborted before the iterator is disposed, so a cleanup that waits for the signal wakes.
    if (!completed) this.abort();
    await this.dispose(iterator);
    if (failure) host.respondError(id, jsonrpc, failure, 'subscription', this.path, this.input);
    host.forget(id, this);
    host.respond({ id, jsonrpc, result: { type: 'stopped' } });
  }

  /** The iterator's next item, its failure, or 'abort' as soon as the subscription is stopped. */
  private next(iterator: AsyncIterator<unknown>, signal: AbortSignal): Promise<Next> {
    return new Promise<Next>((resolve) => {
      this.wake = resolve;
      iterator.next().then(resolve, (cause: unknown) => {
        const error = getTRPCErrorFromUnknown(cause);
        if (!signal.aborted) return resolve(error);
        // Failed after its stop: the server hears of it, the client is told `stopped`.
        if (!isAbortError(error.cause)) this.report(error);
        resolve('abort');
      });
    }).finally(() => {
      this.wake = undefined;
    });
  }

  /** `iterator.return()`: a failure there is the server's to know, not the client's (as tRPC). */
  private async dispose(iterator: AsyncIterator<unknown>): Promise<void> {
    try {
      await iterator.return?.();
    } catch (cause) {
      this.report(getTRPCErrorFromUnknown(cause));
    }
  }

  private report(error: TRPCError): void {
    this.host.log.error(
      { err: error.cause ?? error, path: this.path, userId: this.host.userId },
      'subscription failed',
    );
  }
}
