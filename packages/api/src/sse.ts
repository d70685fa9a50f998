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
 * validation and error mapping stay where they are. Live items then go from
 * the hub to the response as text (`SseChannel`, wire.ts), as over WebSocket.
 */
import type { ServerResponse } from 'node:http';
import {
  getErrorShape,
  getTRPCErrorFromUnknown,
  type inferRouterInputs,
  isTrackedEnvelope,
  TRPCError,
} from '@trpc/server';
import { getLastEventId } from '@trpc/server/unstable-core-do-not-import';
import type { Context } from './context';
import { type AppRouter, appRouter } from './routers';
import { sseDataEvent, wireTransformer } from './wire';

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
  createContext(connection: NonNullable<Context['meta']['connection']>): Promise<Context>;
  /** Past this many bytes unsent, the client is not reading: the stream is cut (it resumes from its cursor). */
  limitBytes: number;
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
      input = wireTransformer.deserialize(JSON.parse(text));
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
  let lastWrite = Date.now();
  const write = (text: string) => {
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

  let ctx: Context | undefined;
  let input: StreamInput | undefined;
  try {
    ctx = await request.createContext({
      framing: 'sse',
      bufferedBytes: () => res.writableLength,
      limitBytes: request.limitBytes,
      send: write,
      drop: () => res.destroy(),
      // The stream ends right after, with `return`: the client asks whether its session still holds.
      end: () => {},
    });
    input = readInput(request);
    const stream = await appRouter.createCaller(ctx, { signal: abort.signal }).events.stream(input);
    for await (const value of stream as AsyncIterable<unknown>) {
      // `events.stream` yields only tracked items; each goes through the
      // channel's framing, which binds the channel when it is its marked one.
      if (!isTrackedEnvelope(value)) throw new Error('events.stream yielded an untracked item');
      const [id, item] = value;
      write(sseDataEvent(id, item));
    }
    write(event('return', ''));
  } catch (cause) {
    if (!abort.signal.aborted) {
      const error = getTRPCErrorFromUnknown(cause);
      const shape = getErrorShape({ config, ctx, error, input, path: 'events.stream', type: 'subscription' });
      write(event('serialized-error', JSON.stringify(wireTransformer.serialize(shape))));
    }
  } finally {
    clearInterval(ping);
    if (!res.writableEnded) res.end();
  }
}
