/**
 * tRPC's WebSocket protocol, served by us on `ws` sockets, for any router
 * (`router` as an option, as tRPC's `getWSConnectionHandler` takes it; its
 * transformer and error formatter are the router's own).
 *
 * tRPC's adapter keeps, for every connection, about twenty closures, the
 * upgrade request, two timers and, for a subscription, the procedure's call
 * chain, an abort controller and a promise race that waits for the next
 * item: an idle stream cost 29 KiB of heap (docs/event-stream.md, "The
 * transport module"). Here a connection is one object with no closure of its
 * own, keep-alive is one sweep for all sockets, and a subscription whose
 * result carries `[ATTACH]` (attach.ts; the event stream) is attached to the
 * socket: its producer writes its items as frames, and nothing waits while it
 * is idle. Any other async iterable is iterated as tRPC's adapter does
 * (subscriptions.ts).
 *
 * The protocol is tRPC's, frame for frame (ws-conformance.int.test.ts holds
 * it to `applyWSSHandler`): calls `{ id, method: query|mutation|subscription,
 * params: { path, input, lastEventId } }`, single or batched, and
 * `subscription.stop`; answers `result: data` (through the router's
 * transformer), `started`, `stopped`, `error` (the router's error shape);
 * `PING`/`PONG` as text; `{ id: null, method: 'reconnect' }`. Every call goes
 * through the procedure itself (`callTRPCProcedure`): its middleware, its
 * input validation and its errors stay where they are.
 *
 * The transport reads no field of the context: who a socket belongs to, and
 * how to learn that its session ended, come from the server's wiring
 * (`accept`'s `userId` and `session`, the `watchSession` option).
 */
import type { Duplex } from 'node:stream';
import {
  type AnyRouter,
  callTRPCProcedure,
  getErrorShape,
  getTRPCErrorFromUnknown,
  type inferRouterContext,
  type ProcedureType,
  TRPCError,
  transformTRPCResponse,
} from '@trpc/server';
import { isObservable } from '@trpc/server/observable';
import { parseTRPCMessage, type TRPCClientOutgoingMessage, type TRPCResponseMessage } from '@trpc/server/rpc';
import type { RawData, WebSocket } from 'ws';
import { isAttachable } from './attach';
import type { TransportLog } from './log';
import { tooManyStreamsPerSocket, type UserStreams } from './stream-caps';
import {
  closeEnded,
  isAsyncIterable,
  OPEN,
  type RequestId,
  Subscription,
  type SubscriptionHost,
} from './subscriptions';

/** Told when a socket's session ended (its socket is then closed with 4401). */
export interface SessionListener {
  sessionEnded(): void;
}

export interface WebSocketOptions<TRouter extends AnyRouter> {
  router: TRouter;
  log: TransportLog;
  /**
   * An attached stream's failure (`ended({ error })`, attach.ts) as the client
   * is told it; tRPC's `getTRPCErrorFromUnknown` when not given. It fails
   * outside any procedure call, so no middleware maps it.
   */
  streamError?: (cause: unknown) => TRPCError;
  /**
   * Watches a socket's session while no attached stream on it does (an
   * attached stream reports its session's end itself, `sessionEnded`): calls
   * `listener.sessionEnded()` once it ends; the returned watch is stopped
   * when a stream takes over or the socket closes. Without it, a socket is
   * closed for its session's end only by its attached streams.
   */
  watchSession?: (userId: string, session: string, listener: SessionListener) => { stop(): void };
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

/** A socket to serve, as the server's wiring hands it over after its upgrade. */
export interface AcceptedSocket<TRouter extends AnyRouter> {
  /** The context of every call the socket makes, built once (at the upgrade). */
  ctx: inferRouterContext<TRouter>;
  /** Whom the socket belongs to: counted against `streams`, named in logs. */
  userId: string;
  /** The app's name for the socket's session, handed back to `watchSession`; none: not watched. */
  session?: string;
  /** The upgraded connection under the socket, which stream frames are written to directly (`Subscription.send`). */
  raw: Duplex;
  /** The client sends its connection params first (`?connectionParams=1`); they are read and not used. */
  expectParams?: boolean;
}

/** The sockets this server speaks tRPC on, and their keep-alive. */
export class TrpcWebSockets<TRouter extends AnyRouter = AnyRouter> {
  readonly connections = new Set<Connection>();
  /** Maps an attached stream's failure to what its client is told. */
  readonly streamError: (cause: unknown) => TRPCError;
  private readonly sweeper: NodeJS.Timeout;

  constructor(readonly options: WebSocketOptions<TRouter>) {
    this.streamError = options.streamError ?? getTRPCErrorFromUnknown;
    // One timer for every socket, instead of two per socket. It runs often
    // (every second by default), so each run pings the few sockets that have
    // just been quiet long enough: pinging a fifth of 19,000 streams at once
    // every 5 s made their PONGs come back together, a 200–300 ms bump in
    // delivery latency (docs/event-stream.md, "The transport module"). A run
    // that pings nobody costs a walk over the connections.
    this.sweeper = setInterval(sweep, Math.min(options.pingMs, options.pongWaitMs) / 10, this);
    this.sweeper.unref();
  }

  /**
   * Serves `socket`, whose upgrade was accepted (authenticated, by the
   * server's wiring). The upgrade checked, in the same turn, that its user
   * has room for one more (`UserStreams.hasRoom`).
   */
  accept(socket: WebSocket, accepted: AcceptedSocket<TRouter>): void {
    // A malformed frame: `close` follows, which ends everything.
    socket.on('error', ignore);
    if (!this.options.streams.open(accepted.userId)) {
      socket.close(1013, 'too many connections');
      return;
    }
    // Frames written past `ws` must be whole frames as they are on the wire:
    // not so once an extension (compression) is agreed, which this server
    // does not offer; then `ws` frames everything.
    const direct = socket.extensions === '' ? accepted.raw : undefined;
    const connection = new Connection(this, socket, accepted, direct);
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

function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/**
 * One socket. While it carries no attached stream it watches its own
 * session's end (`watchSession`, the server's hook), so a socket used only
 * for calls is closed (4401) when its session ends, on every process, as a
 * socket with a stream is by its stream. While a stream is attached, the
 * stream watches instead: the hub's fan-out never meets both
 * (docs/event-stream.md, "Sockets and their session").
 */
export class Connection implements SessionListener, SubscriptionHost {
  /** When the client last sent anything, and when it was pinged since (0: not pinged). */
  heardAt = Date.now();
  pingedAt = 0;
  readonly ctx: unknown;
  readonly userId: string;
  private readonly session: string | undefined;
  private expectParams: boolean;
  private subscriptions: Map<RequestId, Subscription> | undefined;
  /** Aborted when the socket closes: the signal of the queries and mutations it sent. */
  private calls: AbortController | undefined;
  /** Streams attached to this socket now. */
  private streaming = 0;
  /** The server's watch of this socket's session, while no attached stream watches it. */
  private watching: { stop(): void } | undefined;

  constructor(
    readonly sockets: TrpcWebSockets,
    readonly socket: WebSocket,
    accepted: AcceptedSocket<AnyRouter>,
    /** The connection under `socket`, for stream frames written whole; none when `ws` must frame them. */
    readonly raw: Duplex | undefined,
  ) {
    this.ctx = accepted.ctx;
    this.userId = accepted.userId;
    this.session = accepted.session;
    this.expectParams = accepted.expectParams ?? false;
  }

  get log(): TransportLog {
    return this.sockets.options.log;
  }

  get limitBytes(): number {
    return this.sockets.options.limitBytes;
  }

  streamError(cause: unknown): TRPCError {
    return this.sockets.streamError(cause);
  }

  /** Watches its session's end while no stream on it does. */
  watchSession(): void {
    const watch = this.sockets.options.watchSession;
    if (watch && this.session !== undefined) this.watching = watch(this.userId, this.session, this);
  }

  /** The server's watch: this socket's session ended. */
  sessionEnded(): void {
    closeEnded(this.socket);
  }

  /**
   * A stream is about to be attached: from here it watches the session. In
   * the same turn as its registration with its producer, so no event falls between.
   */
  streamStarted(): void {
    if (this.streaming++ === 0) {
      this.watching?.stop();
      this.watching = undefined;
    }
  }

  /** A stream let go of; `watch`: with none left on a socket still open, watch the session again. */
  streamEnded(watch: boolean): void {
    if (--this.streaming === 0 && watch && this.socket.readyState === OPEN) this.watchSession();
  }

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
    const { router, maxBatchSize } = this.sockets.options;
    let messages: TRPCClientOutgoingMessage[];
    try {
      const json: unknown = JSON.parse(text);
      const list = Array.isArray(json) ? json : [json];
      if (list.length > maxBatchSize) {
        this.refuseBatch(list);
        return;
      }
      messages = list.map((raw) => parseTRPCMessage(raw, router._def._config.transformer));
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
        this.log.error({ err: cause }, 'WebSocket call failed');
      });
    });
  }

  closed(): void {
    this.sockets.connections.delete(this);
    const subscriptions = this.subscriptions;
    this.subscriptions = undefined;
    if (subscriptions) for (const s of subscriptions.values()) s.stop();
    this.calls?.abort();
    this.watching?.stop();
    this.watching = undefined;
    this.sockets.options.streams.close(this.userId);
  }

  /** Sends a message (if the socket is still open), transformed by the router's transformer. */
  respond(message: TRPCResponseMessage): void {
    if (this.socket.readyState !== OPEN) return;
    this.socket.send(JSON.stringify(transformTRPCResponse(this.sockets.options.router._def._config, message)));
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
      this.log.error({ err: error.cause ?? error, path, userId: this.userId }, 'WebSocket call failed');
    }
    const config = this.sockets.options.router._def._config;
    let shape: ReturnType<typeof getErrorShape>;
    try {
      shape = getErrorShape({ config, ctx: this.ctx, error, type, path, input });
    } catch (formatError) {
      this.log.error({ err: formatError }, 'could not shape an error');
      shape = {
        code: -32603,
        message: 'Something went wrong on the server.',
        data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 500 },
      };
    }
    this.respond({ id, jsonrpc, error: shape });
  }

  /** Subscription `id` ended; it is no longer this socket's. */
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
      // An iterated stream says `stopped` itself, once its iterator is disposed (as tRPC's adapter).
      if (subscription?.stop()) {
        this.subscriptions?.delete(id);
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
        router: this.sockets.options.router,
        path,
        getRawInput: async () => input,
        ctx: this.ctx,
        type,
        signal: this.calls.signal,
        batchIndex,
      });
      if (isAsyncIterable(data) || isObservable(data)) {
        throw new TRPCError({
          code: 'UNSUPPORTED_MEDIA_TYPE',
          message: `Cannot return an async iterable or observable from a ${type} procedure with WebSockets`,
        });
      }
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
      this.respondError(id, jsonrpc, tooManyStreamsPerSocket(cap), 'subscription', path, input);
      return;
    }
    // Registered before the call: a stop or a close meanwhile cancels it.
    const subscription = new Subscription(this, id, jsonrpc, path, input);
    subscriptions.set(id, subscription);
    let result: unknown;
    try {
      result = await callTRPCProcedure({
        router: this.sockets.options.router,
        path,
        getRawInput: async () => input,
        ctx: this.ctx,
        type: 'subscription',
        signal: subscription.signal,
        batchIndex,
      });
    } catch (cause) {
      this.forget(id, subscription);
      if (!subscription.stopped) this.respondError(id, jsonrpc, cause, 'subscription', path, input);
      return;
    }
    if (isAttachable(result)) {
      if (subscription.stopped) return;
      this.respond({ id, jsonrpc, result: { type: 'started' } });
      subscription.attach(result);
      return;
    }
    if (!isAsyncIterable(result) && !isObservable(result)) {
      this.forget(id, subscription);
      const error = new TRPCError({
        code: 'INTERNAL_SERVER_ERROR',
        message: `Subscription ${path} did not return an observable or a AsyncGenerator`,
      });
      if (!subscription.stopped) this.respondError(id, jsonrpc, error, 'subscription', path, input);
      return;
    }
    await subscription.iterate(result);
  }
}
