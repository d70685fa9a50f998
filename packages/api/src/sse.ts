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
import { getErrorShape, getTRPCErrorFromUnknown, isTrackedEnvelope, TRPCError } from '@trpc/server';
import type { Context } from './context';
import { appRouter } from './routers';
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
  /** The `input` query parameter as sent (superjson as JSON text), if any. */
  input: string | null;
  /** `Last-Event-ID` (the header an EventSource sends on reconnect) or the `lastEventId` query parameter. */
  lastEventId: string | null;
  /** Builds the context (authenticates); may throw, as tRPC's createContext may. */
  createContext(connection: NonNullable<Context['meta']['connection']>): Promise<Context>;
  /** Past this many bytes unsent, the client is not reading: the stream is cut (it resumes from its cursor). */
  limitBytes: number;
}

/** The input as tRPC's HTTP adapter reads it: superjson in JSON text, with the resumed id merged in. */
function readInput(request: SseRequest): unknown {
  let input: unknown;
  if (request.input !== null) {
    try {
      input = wireTransformer.deserialize(JSON.parse(request.input));
    } catch (cause) {
      throw new TRPCError({ code: 'PARSE_ERROR', message: 'The input could not be read.', cause });
    }
  }
  if (request.lastEventId) {
    if (typeof input === 'object' && input !== null) input = { ...input, lastEventId: request.lastEventId };
    else input ??= { lastEventId: request.lastEventId };
  }
  return input;
}

/** Serves one `events.stream` request over SSE on `res`, until the stream or the client ends. */
export async function serveEventStreamOverSse(request: SseRequest, res: ServerResponse): Promise<void> {
  const abort = new AbortController();
  res.on('close', () => abort.abort());
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
  let input: unknown;
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
    const stream = await appRouter.createCaller(ctx, { signal: abort.signal }).events.stream(input as never);
    for await (const value of stream as AsyncIterable<unknown>) {
      if (isTrackedEnvelope(value)) {
        const [id, item] = value;
        // Through the channel's framing, which binds it when the item is its marked one.
        write(sseDataEvent(id, item));
      } else write(`data: ${JSON.stringify(wireTransformer.serialize(value))}\n\n\n`);
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
