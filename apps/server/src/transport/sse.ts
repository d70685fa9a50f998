/**
 * An attached stream over SSE (attach.ts; the event stream), written
 * straight to Node's response.
 *
 * tRPC's fetch adapter serves a subscription over SSE through Web Streams (a
 * `ReadableStream` from an async generator, a `TransformStream`, a
 * `TextEncoderStream`, read back by the Node adapter) and four nested async
 * generators per item: at scenario 1's shape it pinned the server at a
 * quarter of the load WebSocket carries (docs/event-stream.md, "The transport
 * module"). This serves one procedure's stream itself, in the same bytes
 * tRPC's `sseStreamProducer` writes (`connected`, items as `data` + `id`,
 * `ping`, `serialized-error`, `return`), so `httpSubscriptionLink` reads it
 * unchanged. The procedure is still called through tRPC
 * (`callTRPCProcedure`): its session check, input validation and error
 * mapping stay where they are. Its stream is then attached to the response:
 * items go from their producer to the socket as text, as over WebSocket.
 * Only a procedure whose result is attachable is served here; the server
 * leaves every other subscription to tRPC's own fetch adapter.
 *
 * A request refused for who sends it (no user: 401; past the user's cap on
 * live connections: 429) is answered with that status before any stream, so
 * monitoring and proxies see it; everything else, and a session that ends
 * while streaming, is told in the stream, as tRPC does.
 */
import type { ServerResponse } from 'node:http';
import {
  type AnyRouter,
  callTRPCProcedure,
  getErrorShape,
  getTRPCErrorFromUnknown,
  type inferRouterContext,
  TRPCError,
} from '@trpc/server';
import { getLastEventId } from '@trpc/server/unstable-core-do-not-import';
import { ATTACH, type AttachableStream, type AttachedEnd, type AttachedStream, isAttachable } from './attach';
import type { TransportLog } from './log';
import { httpRefusal } from './refusal';
import { tooManyConnectionsPerUser, type UserStreams } from './stream-caps';
import { sseDataEventBytes } from './wire';

/** The headers tRPC sends with an SSE stream; what the API answers is never stored by a cache. */
const HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-store, no-transform',
  'x-accel-buffering': 'no',
  'x-content-type-options': 'nosniff',
  connection: 'keep-alive',
} as const;

const event = (name: string, data: string) => `event: ${name}\ndata: ${data}\n\n\n`;

export interface SseOptions<TRouter extends AnyRouter> {
  router: TRouter;
  /** The subscription served; its result must be attachable (attach.ts). */
  path: string;
  log: TransportLog;
  /** Whom a request's context belongs to (counted against `streams`); none: refused, 401. */
  userOf(ctx: inferRouterContext<TRouter>): string | undefined | Promise<string | undefined>;
  /** An attached stream's failure as the client is told it; tRPC's `getTRPCErrorFromUnknown` when not given. */
  streamError?: (cause: unknown) => TRPCError;
  /** Past this many bytes unsent, the client is not reading: the stream is cut (it resumes from its cursor). */
  limitBytes: number;
  /** Each user's live connections on this process: a stream counts while it is served. */
  streams: UserStreams;
  /**
   * Aborted when the server stops: each stream's response ends cleanly (the
   * client reconnects, to another process or this one restarted), so a proxy
   * that held it back passes on what it holds instead of dropping it with a
   * cut connection.
   */
  stopping?: AbortSignal;
}

export interface SseRequest<TRouter extends AnyRouter> {
  /** The request's query (`input`: the transformer's output as JSON text; `lastEventId`) and headers (`Last-Event-ID`). */
  searchParams: URLSearchParams;
  headers: Headers;
  /** Builds the context (authenticates); may throw, as tRPC's createContext may. */
  createContext(): Promise<inferRouterContext<TRouter>>;
}

/** One request's serving: its options, response and context, for the helpers below. */
interface Served {
  options: SseOptions<AnyRouter>;
  res: ServerResponse;
  ctx: unknown;
  input: unknown;
  signal: AbortSignal;
}

/**
 * The input as tRPC's HTTP adapter reads it: the transformer's output in JSON
 * text, with the id an EventSource resumes from merged in (tRPC's
 * `getLastEventId`). The procedure's own input parser validates it.
 */
function readInput(router: AnyRouter, request: SseRequest<AnyRouter>): unknown {
  const text = request.searchParams.get('input');
  let input: unknown;
  if (text !== null) {
    try {
      input = router._def._config.transformer.input.deserialize(JSON.parse(text));
    } catch (cause) {
      throw new TRPCError({ code: 'PARSE_ERROR', message: 'The input could not be read.', cause });
    }
  }
  const lastEventId = getLastEventId(request);
  if (lastEventId) {
    if (typeof input === 'object' && input !== null) input = { ...input, lastEventId };
    else input ??= { lastEventId };
  }
  return input;
}

const UNAUTHORIZED = () => new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });

/** Serves one request for `options.path` over SSE on `res`, until the stream or the client ends. */
export async function serveSubscriptionOverSse<TRouter extends AnyRouter>(
  options: SseOptions<TRouter>,
  request: SseRequest<TRouter>,
  res: ServerResponse,
): Promise<void> {
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  // A client that resets its connection ends the stream, as a close does; nothing else to tell.
  res.on('error', () => abort.abort());
  res.req.on('error', () => abort.abort());

  const served: Served = { options, res, ctx: undefined, input: undefined, signal: abort.signal };
  let stream: AttachableStream;
  try {
    const ctx = await request.createContext();
    served.ctx = ctx;
    served.input = readInput(options.router, request);
    const called = await callTRPCProcedure({
      router: options.router,
      path: options.path,
      getRawInput: async () => served.input,
      ctx,
      type: 'subscription',
      signal: abort.signal,
      batchIndex: 0,
    });
    if (!isAttachable(called)) throw new Error(`${options.path} did not return an attachable stream`);
    stream = called;
  } catch (cause) {
    if (getTRPCErrorFromUnknown(cause).code === 'UNAUTHORIZED') return refuse(served, cause);
    return streamError(served, cause);
  }
  let userId: string | undefined;
  try {
    userId = await options.userOf(served.ctx as inferRouterContext<TRouter>);
  } catch (cause) {
    return streamError(served, cause);
  }
  // Never so when the procedure refuses a request without a session (above).
  if (userId === undefined) return refuse(served, UNAUTHORIZED());
  if (!options.streams.open(userId)) return refuse(served, tooManyConnectionsPerUser(options.streams.perUser));
  try {
    await serveStream(served, stream, userId);
  } finally {
    options.streams.close(userId);
  }
}

const toError = (options: SseOptions<AnyRouter>, cause: unknown) =>
  (options.streamError ?? getTRPCErrorFromUnknown)(cause);

/** A refusal before any stream: the status and tRPC's error body, as for any other call. */
function refuse({ options, res, ctx }: Served, cause: unknown): void {
  const refusal = httpRefusal(options.router, toError(options, cause), {
    path: options.path,
    type: 'subscription',
    ctx,
  });
  if (res.headersSent || res.destroyed) return;
  res.writeHead(refusal.status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(refusal.body);
}

/** Starts the response: tRPC's headers, `connected`, and a ping after every quiet interval; returns the writer. */
function startStream({ options, res }: Served): { write(text: string | Buffer): void; stop(): void } {
  const sse = options.router._def._config.sse;
  const pingMs = sse?.ping?.intervalMs ?? 15_000;
  let lastWrite = Date.now();
  const write = (text: string | Buffer) => {
    if (res.writableEnded || res.destroyed) return;
    lastWrite = Date.now();
    res.write(text);
  };
  res.writeHead(200, HEADERS);
  write(event('connected', JSON.stringify(sse?.client ?? {})));
  // A ping after a quiet interval, as tRPC's `withPing`: the client reconnects after 40 s of silence.
  const ping = setInterval(() => {
    if (Date.now() - lastWrite >= pingMs) write(event('ping', ''));
  }, pingMs / 3);
  ping.unref();
  return {
    write,
    stop() {
      clearInterval(ping);
      if (!res.writableEnded) res.end();
    },
  };
}

/** A failure told in the stream, as tRPC's producer tells it (`serialized-error`), unless the client has gone. */
function writeError(served: Served, write: (text: string) => void, cause: unknown): void {
  const { options, ctx, input, signal } = served;
  if (signal.aborted) return;
  const config = options.router._def._config;
  const error = toError(options, cause);
  const shape = getErrorShape({ config, ctx, error, input, path: options.path, type: 'subscription' });
  write(event('serialized-error', JSON.stringify(config.transformer.output.serialize(shape))));
}

/** A stream refused for what it asked (its input), or a failure the client retries: told in a stream, as tRPC does. */
function streamError(served: Served, cause: unknown): void {
  const response = startStream(served);
  writeError(served, response.write, cause);
  response.stop();
}

/** Writes the stream's items to the response until it or the client ends. */
async function serveStream(served: Served, stream: AttachableStream, userId: string): Promise<void> {
  const { options, res, signal } = served;
  const response = startStream(served);
  const { write } = response;
  let live: AttachedStream | undefined;
  try {
    // Items go from their producer straight to the response, framed as tRPC's producer would.
    const end = await new Promise<AttachedEnd | undefined>((resolve) => {
      if (signal.aborted || options.stopping?.aborted) return resolve(undefined);
      signal.addEventListener('abort', () => resolve(undefined), { once: true });
      options.stopping?.addEventListener('abort', () => resolve(undefined), { once: true });
      live = stream[ATTACH]({
        send(id, item) {
          // A client that stopped reading is cut, and resumes from its cursor (nothing is lost).
          if (res.writableLength > options.limitBytes) {
            options.log.warn({ userId }, 'stream cut: the client stopped reading');
            res.destroy();
            return false;
          }
          write(sseDataEventBytes(id, item));
          return true;
        },
        ended: resolve,
      });
    });
    if (end?.error !== undefined) throw end.error;
    // Ended with its session (the client then asks whether its session still holds), or by itself.
    if (end) write(event('return', ''));
  } catch (cause) {
    writeError(served, write, cause);
  } finally {
    live?.stop();
    response.stop();
  }
}
