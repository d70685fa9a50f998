/**
 * The event stream over SSE, written straight to Node's response.
 *
 * tRPC's fetch adapter serves a subscription over SSE through Web Streams (a
 * `ReadableStream` from an async generator, a `TransformStream`, a
 * `TextEncoderStream`, read back by the Node adapter) and four nested async
 * generators per item: at scenario 1's shape it pinned the server at a
 * quarter of the load WebSocket carries (load/REPORT.md, seventh session:
 * Web Streams 17.7% of the profile, garbage collection 12.6%). This serves
 * `events.stream` itself, in the same bytes tRPC's `sseStreamProducer`
 * writes (`connected`, items as `data` + `id`, `ping`, `serialized-error`,
 * `return`), so `httpSubscriptionLink` reads it unchanged. The procedure is
 * still called through tRPC (`createCaller`): its session check, input
 * validation and error mapping stay where they are. Its stream is then
 * attached to the response (`EventStream.attach`): items go from the hub to
 * the socket as text, as over WebSocket (ws.ts).
 *
 * A request refused for who sends it (no valid session: 401; past the
 * user's cap on live connections: 429) is answered with that status before
 * any stream, so monitoring and proxies see it; everything else, and a
 * session that ends while streaming, is told in the stream, as tRPC does.
 */
import type { ServerResponse } from 'node:http';
import { getErrorShape, getTRPCErrorFromUnknown, type inferRouterInputs, TRPCError } from '@trpc/server';
import { getLastEventId } from '@trpc/server/unstable-core-do-not-import';
import superjson from 'superjson';
import type { Context } from './context';
import type { LiveStream, StreamEnd } from './domain/events/stream';
import { unauthorized } from './errors';
import { EventStream, toStreamError } from './event-stream';
import { httpRefusal } from './refusal';
import { type AppRouter, appRouter } from './routers';
import { tooManyConnectionsPerUser, type UserStreams } from './stream-caps';
import { sseDataEventBytes } from './wire';

const config = appRouter._def._config;
const PING_MS = config.sse?.ping?.intervalMs ?? 15_000;

/** The headers tRPC sends with an SSE stream; what the API answers is never stored by a cache. */
const HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-store, no-transform',
  'x-accel-buffering': 'no',
  'x-content-type-options': 'nosniff',
  connection: 'keep-alive',
} as const;

const event = (name: string, data: string) => `event: ${name}\ndata: ${data}\n\n\n`;

export interface SseRequest {
  /** The request's query (`input`: superjson as JSON text; `lastEventId`) and headers (`Last-Event-ID`). */
  searchParams: URLSearchParams;
  headers: Headers;
  /** Builds the context (authenticates); may throw, as tRPC's createContext may. */
  createContext(): Promise<Context>;
  /** Past this many bytes unsent, the client is not reading: the stream is cut (it resumes from its cursor). */
  limitBytes: number;
  /** Each user's live connections on this process: a stream counts while it is served. */
  streams: UserStreams;
}

type StreamInput = inferRouterInputs<AppRouter>['events']['stream'];

/**
 * The input as tRPC's HTTP adapter reads it: superjson in JSON text, with the
 * id an EventSource resumes from merged in (tRPC's `getLastEventId`). The
 * procedure's zod schema validates it.
 */
function readInput(request: SseRequest): StreamInput {
  const text = request.searchParams.get('input');
  let input: unknown;
  if (text !== null) {
    try {
      input = superjson.deserialize(JSON.parse(text));
    } catch (cause) {
      throw new TRPCError({ code: 'PARSE_ERROR', message: 'The input could not be read.', cause });
    }
  }
  const lastEventId = getLastEventId(request);
  if (lastEventId) {
    if (typeof input === 'object' && input !== null) input = { ...input, lastEventId };
    else input ??= { lastEventId };
  }
  return input as StreamInput;
}

/** Serves one `events.stream` request over SSE on `res`, until the stream or the client ends. */
export async function serveEventStreamOverSse(request: SseRequest, res: ServerResponse): Promise<void> {
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  // A client that resets its connection ends the stream, as a close does; nothing else to tell.
  res.on('error', () => abort.abort());
  res.req.on('error', () => abort.abort());

  let ctx: Context | undefined;
  let input: StreamInput | undefined;
  let stream: EventStream;
  try {
    ctx = await request.createContext();
    input = readInput(request);
    const called = await appRouter.createCaller(ctx, { signal: abort.signal }).events.stream(input);
    if (!(called instanceof EventStream)) throw new Error('events.stream did not return an event stream');
    stream = called;
  } catch (cause) {
    if (getTRPCErrorFromUnknown(cause).code === 'UNAUTHORIZED') return refuse(res, cause, ctx);
    return streamError(res, cause, ctx, input, abort.signal);
  }
  // Never so: the procedure refuses a request without a session (above).
  if (!ctx.auth) return refuse(res, unauthorized(), ctx);
  const userId = ctx.auth.user.id;
  if (!request.streams.open(userId)) return refuse(res, tooManyConnectionsPerUser(request.streams.perUser), ctx);
  try {
    await serveStream(request, res, stream, ctx, input, abort.signal);
  } finally {
    request.streams.close(userId);
  }
}

/** A refusal before any stream: the status and tRPC's error body, as for any other call. */
function refuse(res: ServerResponse, cause: unknown, ctx: Context | undefined): void {
  const { status, body } = httpRefusal(cause, { path: 'events.stream', type: 'subscription', ctx });
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

/** Starts the response: tRPC's headers, `connected`, and a ping after every quiet interval; returns the writer. */
function startStream(res: ServerResponse): { write(text: string | Buffer): void; stop(): void } {
  let lastWrite = Date.now();
  const write = (text: string | Buffer) => {
    if (res.writableEnded || res.destroyed) return;
    lastWrite = Date.now();
    res.write(text);
  };
  res.writeHead(200, HEADERS);
  write(event('connected', JSON.stringify(config.sse?.client ?? {})));
  // A ping after a quiet interval, as tRPC's `withPing`: the client reconnects after 40 s of silence.
  const ping = setInterval(() => {
    if (Date.now() - lastWrite >= PING_MS) write(event('ping', ''));
  }, PING_MS / 3);
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
function writeError(
  write: (text: string) => void,
  cause: unknown,
  ctx: Context | undefined,
  input: StreamInput | undefined,
  signal: AbortSignal,
): void {
  if (signal.aborted) return;
  const error = toStreamError(cause);
  const shape = getErrorShape({ config, ctx, error, input, path: 'events.stream', type: 'subscription' });
  write(event('serialized-error', JSON.stringify(superjson.serialize(shape))));
}

/** A stream refused for what it asked (its input), or a failure the client retries: told in a stream, as tRPC does. */
function streamError(
  res: ServerResponse,
  cause: unknown,
  ctx: Context | undefined,
  input: StreamInput | undefined,
  signal: AbortSignal,
): void {
  const response = startStream(res);
  writeError(response.write, cause, ctx, input, signal);
  response.stop();
}

/** Writes the stream's items to the response until it or the client ends. */
async function serveStream(
  request: SseRequest,
  res: ServerResponse,
  stream: EventStream,
  ctx: Context,
  input: StreamInput | undefined,
  signal: AbortSignal,
): Promise<void> {
  const response = startStream(res);
  const { write } = response;
  const log = ctx.deps.log;
  const userId = ctx.auth?.user.id;
  let live: LiveStream | undefined;
  try {
    // Items go from the hub straight to the response, framed as tRPC's producer would.
    const end = await new Promise<StreamEnd | undefined>((resolve) => {
      if (signal.aborted) return resolve(undefined);
      signal.addEventListener('abort', () => resolve(undefined), { once: true });
      live = stream.attach({
        send(id, item) {
          // A client that stopped reading is cut, and resumes from its cursor (nothing is lost).
          if (res.writableLength > request.limitBytes) {
            log.warn({ userId }, 'stream cut: the client stopped reading');
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
    writeError(write, cause, ctx, input, signal);
  } finally {
    live?.stop();
    response.stop();
  }
}
