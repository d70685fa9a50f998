/**
 * tRPC's WebSocket protocol, served by us on `ws` sockets.
 *
 * tRPC's adapter (`applyWSSHandler`) keeps, for every connection, about
 * twenty closures, the upgrade request, two timers and, for a subscription,
 * the procedure's call chain, an abort controller and a promise race that
 * waits for the next item; our stream's generators came on top. An idle
 * stream cost 29 KiB of heap (load/REPORT.md, ninth session). Here a
 * connection is one object with no closure of its own, keep-alive is one
 * sweep for all sockets, and `events.stream` is attached to the socket
 * (`EventStream.attach`): the hub writes its items as frames, and nothing
 * waits while it is idle.
 *
 * The protocol is tRPC's, byte for byte where it matters (`wsLink` reads it
 * unchanged): calls `{ id, method: query|mutation|subscription, params:
 * { path, input, lastEventId } }`, single or batched, and
 * `subscription.stop`; answers `result: data` (superjson through the
 * router's transformer), `started`, `stopped`, `error` (the router's error
 * shape); `PING`/`PONG` as text; `{ id: null, method: 'reconnect' }`. Every
 * call goes through the procedure itself (`callTRPCProcedure`): its
 * middleware (session checks), its input validation and its errors stay
 * where they are.
 */
import type { Duplex } from 'node:stream';
import {
  callTRPCProcedure,
  getErrorShape,
  getTRPCErrorFromUnknown,
  type ProcedureType,
  TRPCError,
  transformTRPCResponse,
} from '@trpc/server';
import { parseTRPCMessage, type TRPCClientOutgoingMessage, type TRPCResponseMessage } from '@trpc/server/rpc';
import type { RawData, WebSocket } from 'ws';
import type { Context } from './context';
import type { Sink } from './domain/events/hub';
import type { StoredEvent } from './domain/events/store';
import type { LiveStream, StreamEnd, StreamOutlet } from './domain/events/stream';
import type { StreamItem } from './domain/events/types';
import { EventStream, toStreamError } from './event-stream';
import { appRouter } from './routers';
import { tooManyStreamsPerSocket, type UserStreams } from './stream-caps';
import { trackedWsFrame } from './wire';

const OPEN = 1;
/** A frame given as bytes is still a text frame (tRPC's protocol is JSON text). */
const TEXT = { binary: false } as const;
const config = appRouter._def._config;
type RequestId = string | number;
/** A socket's context: its upgrade was authenticated. */
export type SocketContext = Context & { auth: NonNullable<Context['auth']> };

export interface WebSocketOptions {
  /** Past this many bytes unsent on a socket, its client is not reading: the socket is cut (its streams resume). */
  limitBytes: number;
  /** A socket quiet this long gets a `PING`; one that then says nothing for `pongWaitMs` is closed. */
  pingMs: number;
  pongWaitMs: number;
  /** Calls in one batched message, at most (as over HTTP). */
  maxBatchSize: number;
  /** Live streams one socket may carry; past it a subscription is refused (TOO_MANY_REQUESTS) and the socket stays. */
  subscriptionsPerSocket: number;
  /** Each user's live connections on this process: a socket counts from `accept` to its close. */
  streams: UserStreams;
}

/** The sockets this server speaks tRPC on, and their keep-alive. */
export class TrpcWebSockets {
  readonly connections = new Set<Connection>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(readonly options: WebSocketOptions) {
    // One timer for every socket, instead of two per socket. It runs often
    // (every second by default), so each run pings the few sockets that have
    // just been quiet long enough. Every 5 s, a run pinged a fifth of 19,000
    // streams at once, and their PONGs came back together: a 200–300 ms bump in
    // scenario 2's delivery latency every 5 s (load/REPORT.md, eleventh
    // session). A run that pings nobody costs a walk over the connections.
    this.sweeper = setInterval(sweep, Math.min(options.pingMs, options.pongWaitMs) / 10, this);
    this.sweeper.unref();
  }

  /**
   * Serves `socket`, whose upgrade was authenticated; `ctx` is its context
   * for every call it makes. `expectParams`: the client sends its connection
   * params first (`?connectionParams=1`); they are read and not used.
   * `raw`: the upgraded connection under `socket`, which stream frames are
   * written to directly (`Subscription.send`). The upgrade checked, in the
   * same turn, that its user has room for one more (`UserStreams.hasRoom`).
   */
  accept(socket: WebSocket, ctx: SocketContext, raw: Duplex, expectParams = false): void {
    // A malformed frame: `close` follows, which ends everything.
    socket.on('error', ignore);
    if (!this.options.streams.open(ctx.auth.user.id)) {
      socket.close(1013, 'too many connections');
      return;
    }
    // Frames written past `ws` must be whole frames as they are on the wire:
    // not so once an extension (compression) is agreed, which this server
    // does not offer; then `ws` frames everything.
    const direct = socket.extensions === '' ? raw : undefined;
    const connection = new Connection(this, socket, ctx, direct, expectParams);
    this.connections.add(connection);
    (socket as Tagged)[CONNECTION] = connection;
    socket.on('message', onMessage);
    socket.on('close', onClose);
    connection.watchSession();
  }

  /** Tells every client to reconnect (elsewhere): before a restart. */
  broadcastReconnect(): void {
    const frame = JSON.stringify({ id: null, method: 'reconnect' });
    for (const c of this.connections) if (c.socket.readyState === OPEN) c.socket.send(frame);
  }

  stop(): void {
    clearInterval(this.sweeper);
  }

  /** @internal the keep-alive sweep */
  sweep(now: number): void {
    const { pingMs, pongWaitMs } = this.options;
    for (const c of this.connections) {
      if (c.pingedAt > 0) {
        if (now - c.pingedAt >= pongWaitMs) c.socket.terminate();
      } else if (now - c.heardAt >= pingMs && c.socket.readyState === OPEN) {
        c.socket.send('PING');
        c.pingedAt = now;
      }
    }
  }
}

const CONNECTION = Symbol('connection');
type Tagged = WebSocket & { [CONNECTION]?: Connection };

function sweep(sockets: TrpcWebSockets): void {
  sockets.sweep(Date.now());
}
function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  (this as Tagged)[CONNECTION]?.message(data, isBinary);
}
function onClose(this: WebSocket): void {
  (this as Tagged)[CONNECTION]?.closed();
}
function ignore(): void {}
function closeEnded(socket: WebSocket): void {
  socket.close(4401, 'session ended');
}

function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/**
 * One socket. While it carries no stream it is itself the hub's subscriber
 * for its user (a `Sink` that reads nothing but its own session's end), so
 * a socket used only for calls is closed (4401) when its session ends, on
 * every process, as a socket with a stream is by its stream. While a stream
 * is attached, the stream watches instead: the hub's fan-out never meets
 * both (docs/event-stream.md, "Sockets and their session").
 */
class Connection implements Sink {
  /** When the client last sent anything, and when it was pinged since (0: not pinged). */
  heardAt = Date.now();
  pingedAt = 0;
  private subscriptions: Map<RequestId, Subscription> | undefined;
  /** Aborted when the socket closes: the signal of the queries and mutations it sent. */
  private calls: AbortController | undefined;
  /** Streams attached to this socket now. */
  private streaming = 0;

  constructor(
    readonly sockets: TrpcWebSockets,
    readonly socket: WebSocket,
    readonly ctx: SocketContext,
    /** The connection under `socket`, for stream frames written whole; none when `ws` must frame them. */
    readonly raw: Duplex | undefined,
    private expectParams: boolean,
  ) {}

  /** Listens for its session's end while no stream on it does. */
  watchSession(): void {
    this.ctx.deps.hub.subscribe(this.ctx.auth.user.id, this);
  }

  /**
   * A stream is about to be attached: from here it watches the session. In
   * the same turn as its registration with the hub, so no event falls between.
   */
  streamStarted(): void {
    if (this.streaming++ === 0) this.ctx.deps.hub.unsubscribe(this.ctx.auth.user.id, this);
  }

  /** A stream let go of; `watch`: with none left on a socket still open, watch the session again. */
  streamEnded(watch: boolean): void {
    if (--this.streaming === 0 && watch && this.socket.readyState === OPEN) this.watchSession();
  }

  /** The hub's batch of this user's events: only its own session's end matters here. */
  events(rows: StoredEvent[]): void {
    const ref = this.ctx.auth.session.ref;
    for (const { event } of rows) {
      if (event.type === 'session.ended' && event.payload.sessionRef === ref) {
        closeEnded(this.socket);
        return;
      }
    }
  }

  ephemeral(): void {}

  message(data: RawData, isBinary: boolean): void {
    this.heardAt = Date.now();
    this.pingedAt = 0;
    const text = textOf(data);
    if (!isBinary) {
      if (text === 'PONG') return;
      if (text === 'PING') {
        this.socket.send('PONG');
        return;
      }
    }
    if (this.expectParams) {
      // The context was built at the upgrade; connection params carry nothing we use.
      this.expectParams = false;
      return;
    }
    let messages: TRPCClientOutgoingMessage[];
    try {
      const json: unknown = JSON.parse(text);
      const list = Array.isArray(json) ? json : [json];
      if (list.length > this.sockets.options.maxBatchSize) {
        this.refuseBatch(list);
        return;
      }
      messages = list.map((raw) => parseTRPCMessage(raw, config.transformer));
    } catch (cause) {
      this.respondError(
        null,
        undefined,
        new TRPCError({ code: 'PARSE_ERROR', cause }),
        'unknown',
        undefined,
        undefined,
      );
      return;
    }
    messages.forEach((msg, index) => {
      this.handle(msg, index).catch((cause: unknown) => {
        this.ctx.deps.log.error({ err: cause }, 'WebSocket call failed');
      });
    });
  }

  closed(): void {
    this.sockets.connections.delete(this);
    const subscriptions = this.subscriptions;
    this.subscriptions = undefined;
    if (subscriptions) for (const s of subscriptions.values()) s.stop();
    this.calls?.abort();
    const userId = this.ctx.auth.user.id;
    this.ctx.deps.hub.unsubscribe(userId, this);
    this.sockets.options.streams.close(userId);
  }

  /** Sends a message (if the socket is still open), transformed by the router's transformer. */
  respond(message: TRPCResponseMessage): void {
    if (this.socket.readyState !== OPEN) return;
    this.socket.send(JSON.stringify(transformTRPCResponse(config, message)));
  }

  respondError(
    id: RequestId | null,
    jsonrpc: '2.0' | undefined,
    cause: unknown,
    type: ProcedureType | 'unknown',
    path: string | undefined,
    input: unknown,
  ): void {
    const error = getTRPCErrorFromUnknown(cause);
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      this.ctx.deps.log.error({ err: error.cause ?? error, path }, 'WebSocket call failed');
    }
    let shape: ReturnType<typeof getErrorShape>;
    try {
      shape = getErrorShape({ config, ctx: this.ctx, error, type, path, input });
    } catch (formatError) {
      this.ctx.deps.log.error({ err: formatError }, 'could not shape an error');
      shape = {
        code: -32603,
        message: 'Something went wrong on the server.',
        data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 500 },
      };
    }
    this.respond({ id, jsonrpc, error: shape });
  }

  /** The stream of subscription `id` ended by itself; it is no longer this socket's. */
  forget(id: RequestId, subscription: Subscription): void {
    if (this.subscriptions?.get(id) === subscription) this.subscriptions.delete(id);
  }

  private refuseBatch(list: unknown[]): void {
    const error = new TRPCError({ code: 'BAD_REQUEST', message: 'Batch call exceeds maximum size' });
    let answered = false;
    for (const raw of list) {
      const r = raw as { id?: unknown; jsonrpc?: unknown; method?: unknown } | null;
      if (r && r.method !== 'subscription.stop' && (typeof r.id === 'number' || typeof r.id === 'string')) {
        this.respondError(r.id, r.jsonrpc === '2.0' ? '2.0' : undefined, error, 'unknown', undefined, undefined);
        answered = true;
      }
    }
    if (!answered) this.respondError(null, undefined, error, 'unknown', undefined, undefined);
  }

  private async handle(msg: TRPCClientOutgoingMessage, batchIndex: number): Promise<void> {
    const { id, jsonrpc } = msg;
    if (id === null) {
      const error = new TRPCError({ code: 'PARSE_ERROR', message: '`id` is required' });
      this.respondError(id, jsonrpc, error, 'unknown', undefined, undefined);
      return;
    }
    if (msg.method === 'subscription.stop') {
      const subscription = this.subscriptions?.get(id);
      if (subscription) {
        this.subscriptions?.delete(id);
        subscription.stop();
        this.respond({ id, jsonrpc, result: { type: 'stopped' } });
      }
      return;
    }
    const { path, lastEventId } = msg.params;
    let { input } = msg.params;
    // As tRPC's adapter: the id the client resumes from joins the input.
    if (lastEventId !== undefined) {
      if (typeof input === 'object' && input !== null && !Array.isArray(input)) input = { ...input, lastEventId };
      else input ??= { lastEventId };
    }
    const type = msg.method;
    if (type === 'subscription') return this.subscribe(id, jsonrpc, path, input, batchIndex);

    let data: unknown;
    try {
      this.calls ??= new AbortController();
      data = await callTRPCProcedure({
        router: appRouter,
        path,
        getRawInput: async () => input,
        ctx: this.ctx,
        type,
        signal: this.calls.signal,
        batchIndex,
      });
    } catch (cause) {
      this.respondError(id, jsonrpc, cause, type, path, input);
      return;
    }
    this.respond({ id, jsonrpc, result: { type: 'data', data } });
  }

  private async subscribe(
    id: RequestId,
    jsonrpc: '2.0' | undefined,
    path: string,
    input: unknown,
    batchIndex: number,
  ): Promise<void> {
    this.subscriptions ??= new Map();
    const subscriptions = this.subscriptions;
    if (subscriptions.has(id)) {
      const error = new TRPCError({ code: 'BAD_REQUEST', message: `Duplicate id ${id}` });
      this.respondError(id, jsonrpc, error, 'subscription', path, input);
      return;
    }
    // Each costs the server memory and a frame per event: a browser tab needs one.
    const cap = this.sockets.options.subscriptionsPerSocket;
    if (subscriptions.size >= cap) {
      this.respondError(id, jsonrpc, toStreamError(tooManyStreamsPerSocket(cap)), 'subscription', path, input);
      return;
    }
    // Registered before the call: a stop or a close meanwhile cancels it.
    const subscription = new Subscription(this, id, jsonrpc);
    subscriptions.set(id, subscription);
    let result: unknown;
    try {
      result = await callTRPCProcedure({
        router: appRouter,
        path,
        getRawInput: async () => input,
        ctx: this.ctx,
        type: 'subscription',
        signal: undefined,
        batchIndex,
      });
    } catch (cause) {
      this.forget(id, subscription);
      if (!subscription.stopped) this.respondError(id, jsonrpc, cause, 'subscription', path, input);
      return;
    }
    if (subscription.stopped) return;
    if (!(result instanceof EventStream)) {
      // Every subscription of this router is an event stream; another kind would need its own loop here.
      this.forget(id, subscription);
      const error = new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `${path} is not an event stream` });
      this.respondError(id, jsonrpc, error, 'subscription', path, input);
      return;
    }
    this.respond({ id, jsonrpc, result: { type: 'started' } });
    subscription.run(result);
  }
}

/** One subscription's stream on its socket: frames its items with the subscription's id, as tRPC would. */
class Subscription implements StreamOutlet {
  stopped = false;
  private live: LiveStream | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly id: RequestId,
    private readonly jsonrpc: '2.0' | undefined,
  ) {}

  run(stream: EventStream): void {
    this.connection.streamStarted();
    this.live = stream.attach(this);
  }

  stop(): void {
    this.stopped = true;
    this.release(true);
  }

  /** Stops the stream, if attached, and tells the socket it carries one fewer. */
  private release(watch: boolean): void {
    const live = this.live;
    if (!live) return;
    this.live = undefined;
    live.stop();
    this.connection.streamEnded(watch);
  }

  send(trackedId: string, item: StreamItem): boolean {
    const { socket, ctx, sockets } = this.connection;
    // The socket is not waited on: a client that stopped reading would grow
    // its buffer without bound. It is cut instead, and resumes from its
    // cursor; nothing is lost (the log has it all).
    if (socket.bufferedAmount > sockets.options.limitBytes) {
      ctx.deps.log.warn({ userId: ctx.auth?.user.id }, 'stream cut: the client stopped reading');
      socket.terminate();
      return false;
    }
    if (socket.readyState !== OPEN) return true;
    const frame = trackedWsFrame(this.id, this.jsonrpc, trackedId, item);
    // Most of a fan-out's frames are the same buffer: written to the
    // connection as it is, one write each, without `ws` building a header and
    // corking for it (`bench:frames`: 1.16 times cheaper per socket, the rest
    // is the kernel's; load/REPORT.md, tenth session). `ws` writes its own
    // frames at once too, whole, so the order on the wire stays the order of
    // the calls.
    const { raw } = this.connection;
    if (!raw) socket.send(frame.payload, TEXT);
    else if (raw.writable) raw.write(frame.frame);
    return true;
  }

  ended(end: StreamEnd): void {
    this.connection.forget(this.id, this);
    this.release(!end.sessionEnded);
    if (end.error !== undefined) {
      this.connection.respondError(
        this.id,
        this.jsonrpc,
        toStreamError(end.error),
        'subscription',
        'events.stream',
        undefined,
      );
    }
    // As tRPC's adapter: a stream that ends, failed or not, is then `stopped` (ws-conformance.int.test.ts).
    if (!end.sessionEnded) {
      this.connection.respond({ id: this.id, jsonrpc: this.jsonrpc, result: { type: 'stopped' } });
    }
    if (end.sessionEnded) {
      // Its session is over: the socket goes too (after what it holds), so
      // nothing else rides on it. 4401 tells the client not to retry with it.
      // Not at once: the socket's other streams are told in the same round.
      setImmediate(closeEnded, this.connection.socket);
    }
  }
}
