/**
 * One query over plain HTTP, answered straight to Node's response: the long
 * poll (`GET /trpc/events.poll`; docs/event-stream.md, "Long-polling").
 *
 * A busy long-polling user asks many times a second, and each answer is
 * cheap to find (the mailbox answers from memory): the cost is the request.
 * Through tRPC's fetch adapter that was a Web `Request` and `Response` per
 * poll (Hono's and tRPC's), `AbortSignal.any`, the adapter's bookkeeping, and
 * superjson over every answer, so an event to a 300-member group was
 * serialised 300 times. At scenario 4 over long-polling the server saturated
 * with the garbage collector, superjson, the adapter and undici at the top of
 * its profile. Here the request is read from Node's own objects, the call
 * goes through tRPC (`callTRPCProcedure`: the session rule, input validation
 * and error mapping stay in the procedure), and the answer is written in the
 * bytes tRPC's adapter writes, a page of tracked items joined from each
 * item's kept text (wire.ts), as the streams do.
 *
 * Only what tRPC's adapter would answer as one plain call is taken (a GET of
 * exactly `pathname`, no batch, no body, no streaming `accept`, no
 * connection params, admitted by the app's Origin check); the caller leaves
 * everything else to the app, whose tRPC adapter answers it as before. A
 * conformance test holds the answers equal (apps/server/test/poll-conformance.int.test.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AnyRouter,
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  type inferRouterContext,
  TRPCError,
  transformTRPCResponse,
} from '@trpc/server';
import superjson from 'superjson';
import type { TransportLog } from './log';
import { httpRefusal } from './refusal';
import { trackedPageBytes } from './wire';

export interface HttpQueryOptions<TRouter extends AnyRouter> {
  router: TRouter;
  /** The procedure served: a query. */
  path: string;
  /** The request path that names it, e.g. `/trpc/events.poll`. */
  pathname: string;
  /** Every answer's headers besides tRPC's own (the app's: security, caching), names in lower case. */
  headers: Readonly<Record<string, string>>;
  /** Headers a failed call's answer adds, as the app's tRPC `responseMeta` would. */
  errorHeaders?(error: TRPCError): Readonly<Record<string, string>> | undefined;
  /** False for a request the app refuses before any call (its Origin check): left to the app, which answers it. */
  admits(req: IncomingMessage): boolean;
  /** The call's context, as the app's tRPC adapter builds it; `setCookie` adds a `set-cookie` to the answer. */
  createContext(
    req: IncomingMessage,
    setCookie: (value: string) => void,
  ): inferRouterContext<TRouter> | Promise<inferRouterContext<TRouter>>;
  log: TransportLog;
}

/** What tRPC's adapter sets on every answer to a plain call. */
const TRPC_HEADERS = { vary: 'trpc-accept, accept', 'content-type': 'application/json' } as const;

export interface HttpQueryRoute {
  /** Takes a request it serves and answers it (true), or leaves it alone (false) for the app. */
  take(req: IncomingMessage, res: ServerResponse): boolean;
  /** Requests taken so far (tests check that a client's polls come here). */
  readonly taken: number;
}

export function httpQueryRoute<TRouter extends AnyRouter>(options: HttpQueryOptions<TRouter>): HttpQueryRoute {
  const headers = { ...TRPC_HEADERS, ...options.headers };
  let taken = 0;
  return {
    take(req, res) {
      const query = takenQuery(options, req);
      if (query === null) return false;
      taken += 1;
      serve(options, headers, req, res, query).catch((error: unknown) => {
        // Only writing the answer can fail here: the call's failures are answered.
        options.log.error({ err: error }, 'answering a query over HTTP failed');
        res.destroy();
      });
      return true;
    },
    get taken() {
      return taken;
    },
  };
}

/** The request's query string when the request is served here, else null. */
function takenQuery(options: HttpQueryOptions<AnyRouter>, req: IncomingMessage): URLSearchParams | null {
  const url = req.url;
  const { pathname } = options;
  if (req.method !== 'GET' || url === undefined || !url.startsWith(pathname)) return null;
  if (url.length > pathname.length && url.charCodeAt(pathname.length) !== 63 /* ? */) return null;
  const h = req.headers;
  // No Host: the app answers 400. A body, a streaming answer asked for: the adapter's.
  if (h.host === undefined || h['transfer-encoding'] !== undefined || h['trpc-accept'] !== undefined) return null;
  if (h['content-length'] !== undefined && h['content-length'] !== '0') return null;
  if (h.accept?.includes('application/jsonl')) return null;
  const type = h['content-type'];
  if (type !== undefined && type.split(';', 1)[0]?.trim().toLowerCase() !== 'application/json') return null;
  const params = new URLSearchParams(url.length > pathname.length ? url.slice(pathname.length + 1) : '');
  if (params.has('batch') || params.has('connectionParams')) return null;
  return options.admits(req) ? params : null;
}

/** The call's input as tRPC's adapter reads it (lazily, once): the transformer's output as JSON text. */
function inputReader(router: AnyRouter, text: string | null) {
  let read: { value: unknown } | { error: TRPCError } | undefined;
  const value = (): unknown => (read && 'value' in read ? read.value : undefined);
  const get = async (): Promise<unknown> => {
    if (!read) {
      try {
        // An empty `input` is none, as for the adapter.
        read = { value: text ? router._def._config.transformer.input.deserialize(JSON.parse(text)) : undefined };
      } catch (cause) {
        const message = cause instanceof Error ? cause.message : 'Invalid input';
        read = { error: cause instanceof TRPCError ? cause : new TRPCError({ code: 'BAD_REQUEST', message, cause }) };
      }
    }
    if ('error' in read) throw read.error;
    return read.value;
  };
  return { get, value };
}

/** The result as tRPC's adapter writes it: a page of tracked items from their kept bytes, anything else as it is. */
function resultBody(router: AnyRouter, data: unknown): Buffer | string {
  const config = router._def._config;
  const page = config.transformer.output === superjson ? trackedPageBytes(data, '{"result":{"data":', '}}') : null;
  return page ?? JSON.stringify(transformTRPCResponse(config, { result: { data } }));
}

async function serve(
  options: HttpQueryOptions<AnyRouter>,
  headers: Record<string, string>,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
): Promise<void> {
  const { router, path } = options;
  // A held call ends when its client goes away (the answer's own end closes it too, then nothing is aborted).
  const abort = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  let cookies: string[] | undefined;
  const input = inputReader(router, query.get('input'));
  let ctx: unknown;
  let status = 200;
  let body: Buffer | string;
  let extra: Readonly<Record<string, string>> | undefined;
  try {
    ctx = await options.createContext(req, (value) => {
      cookies ??= [];
      cookies.push(value);
    });
    const data = await callTRPCProcedure({
      router,
      path,
      getRawInput: input.get,
      ctx,
      type: 'query',
      signal: abort.signal,
      batchIndex: 0,
    });
    body = resultBody(router, data);
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    const refusal = httpRefusal(router, error, { path, type: 'query', ctx, input: input.value() });
    status = refusal.status;
    body = refusal.body;
    extra = options.errorHeaders?.(error);
  }
  if (res.destroyed || res.writableEnded) return;
  const head: Record<string, string | string[] | number> = { ...headers, ...extra };
  if (cookies) head['set-cookie'] = cookies;
  head['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  res.writeHead(status, head);
  res.end(body);
}
