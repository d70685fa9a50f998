import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, RequestListener } from 'node:http';
import { join } from 'node:path';
import { appRouter, type Context, type Deps, DomainError, presentSession, toStreamError } from '@chat/api/server';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { trpcServer } from '@hono/trpc-server';
import { Hono, type Context as HonoContext, type Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Config } from './config';
import { isForeign, refuseCrossSite } from './middleware/origin';
import { securityHeaders } from './middleware/security-headers';
import { mountMedia } from './routes/media';
import { type HttpQueryRoute, httpQueryRoute } from './transport/poll';
import { type SseOptions, serveSubscriptionOverSse } from './transport/sse';
import type { UserStreams } from './transport/stream-caps';

export interface AppOptions {
  deps: Deps;
  config: Pick<Config, 'PUBLIC_ORIGIN' | 'TRUST_PROXY' | 'webDist' | 'STREAM_BUFFER_LIMIT_BYTES' | 'FILE_MAX_MB'>;
  /** Each user's live connections on this process; an SSE stream counts while it is open. */
  streams: UserStreams;
  ping(): Promise<void>;
  /** Aborted when the server begins to stop: its SSE streams end cleanly (transport/sse.ts). */
  stopping?: AbortSignal;
}

/** What the app's tRPC context needs of an HTTP request. */
interface HttpCaller {
  cookie: string | undefined;
  userAgent: string | undefined;
  forwardedFor: string | undefined;
  socketAddress: string | undefined;
}

/** The tRPC context of a call over HTTP (the adapter's and the poll route's). */
function httpContext(deps: Deps, trustProxy: boolean, caller: HttpCaller, setCookie: (value: string) => void): Context {
  // Looked up by the procedure itself, if it needs a signed-in caller (trpc.ts, authedProcedure).
  return {
    deps,
    session: presentSession(deps, caller.cookie, 'request'),
    meta: {
      transport: 'http' as const,
      userAgent: caller.userAgent ?? '',
      ipAddress: clientAddress(caller.forwardedFor, caller.socketAddress, trustProxy),
    },
    setCookie,
  };
}

/** A refusal for too many requests says when to come back, as HTTP does: the longest wait of `errors`. */
function retryAfter(errors: readonly { cause?: unknown }[]): Record<string, string> | undefined {
  const waits = errors.map((e) => (e.cause instanceof DomainError ? (e.cause.retryAfterSeconds ?? 0) : 0));
  const wait = Math.max(0, ...waits);
  return wait > 0 ? { 'retry-after': String(wait) } : undefined;
}

export function clientAddress(
  forwardedFor: string | undefined,
  socketAddress: string | undefined,
  trustProxy: boolean,
): string {
  if (trustProxy && forwardedFor) {
    const hops = forwardedFor
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const last = hops.at(-1);
    if (last) return last;
  }
  return socketAddress ?? 'unknown';
}

export function createApp({ deps, config, streams, ping, stopping }: AppOptions): Hono {
  const app = new Hono();
  const callerOf = (c: HonoContext) => ({
    userAgent: c.req.header('user-agent') ?? '',
    ipAddress: clientAddress(c.req.header('x-forwarded-for'), getConnInfo(c).remote.address, config.TRUST_PROXY),
  });
  // The event stream over SSE: served by us straight to Node's response
  // (transport/sse.ts says why), in tRPC's framing, through the same
  // procedure. Registered first: a middleware that touched the response
  // afterwards would make the adapter write it again. The Origin check is
  // the one every API request gets; the stream's own headers are in sse.ts.
  const sameOrigin = refuseCrossSite({ publicOrigin: config.PUBLIC_ORIGIN });
  const eventStreamOverSse: SseOptions<typeof appRouter> = {
    router: appRouter,
    path: 'events.stream',
    log: deps.log,
    // The request's session, looked up once for it (a lookup the procedure made is not repeated), within the deadline.
    userOf: async (ctx) => {
      const session = ctx.session;
      return session ? (await deps.withinDeadline(session.check()))?.user.id : undefined;
    },
    streamError: toStreamError,
    limitBytes: config.STREAM_BUFFER_LIMIT_BYTES,
    streams,
    ...(stopping ? { stopping } : {}),
  };
  app.get('/trpc/events.stream', sameOrigin, async (c) => {
    const { outgoing } = c.env as HttpBindings;
    void serveSubscriptionOverSse(
      eventStreamOverSse,
      {
        searchParams: new URL(c.req.url).searchParams,
        headers: c.req.raw.headers,
        createContext: async (): Promise<Context> => ({
          deps,
          session: presentSession(deps, c.req.header('cookie'), 'request'),
          meta: { transport: 'sse', ...callerOf(c) },
          setCookie: () => {},
        }),
      },
      outgoing,
    ).catch((error: unknown) => deps.log.error({ err: error }, 'event stream over SSE failed'));
    return RESPONSE_ALREADY_SENT;
  });

  app.use('*', securityHeaders({ https: config.PUBLIC_ORIGIN?.startsWith('https://') ?? false }));

  app.get('/healthz', async (c) => {
    try {
      await ping();
      return c.json({ status: 'ok', database: 'up' });
    } catch {
      return c.json({ status: 'degraded', database: 'down' }, 503);
    }
  });

  // Every API request (queries, mutations, uploads, images): ours only.
  app.use('/trpc/*', sameOrigin);
  app.use('/api/*', sameOrigin);
  // What the API answers is the signed-in user's: never stored by a cache
  // (images set their own short private caching in routes/media.ts), and
  // passed on by proxies as it is and at once, a held poll's answer too.
  app.use('/trpc/*', noStoreNoBuffering);
  // Far above any valid call (a message is at most 4,000 characters), far
  // below what would hurt: a batch of every procedure's largest input fits.
  app.use(
    '/trpc/*',
    bodyLimit({
      maxSize: TRPC_BODY_MAX,
      onError: (c) => c.json({ error: { message: 'This request is too large.' } }, 413),
    }),
  );
  app.use('/api/uploads', noStore);
  mountMedia(app, deps, { fileMaxBytes: Math.floor(config.FILE_MAX_MB * 1024 * 1024) });

  app.use(
    '/trpc/*',
    trpcServer({
      endpoint: '/trpc',
      router: appRouter,
      maxBatchSize: TRPC_BATCH_MAX,
      createContext: async (opts, c): Promise<Context> =>
        httpContext(
          deps,
          config.TRUST_PROXY,
          {
            cookie: c.req.header('cookie'),
            userAgent: c.req.header('user-agent'),
            forwardedFor: c.req.header('x-forwarded-for'),
            socketAddress: getConnInfo(c).remote.address,
          },
          (value: string) => opts.resHeaders.append('set-cookie', value),
        ),
      responseMeta: ({ errors }) => {
        const headers = retryAfter(errors);
        return headers ? { headers } : {};
      },
    }),
  );

  mountSpa(app, config.webDist);
  return app;
}

const TRPC_BODY_MAX = 1024 * 1024;
/** Calls in one HTTP batch; the clients send at most this many (maxItems). */
export const TRPC_BATCH_MAX = 50;

async function noStore(c: HonoContext, next: Next): Promise<void> {
  await next();
  c.header('cache-control', 'no-store');
}

/**
 * The SSE stream's own headers (transport/sse.ts) for every tRPC answer:
 * nginx and other proxies that honour them neither buffer nor transform a
 * held poll's answer (docs/event-stream.md, "Long-polling").
 */
async function noStoreNoBuffering(c: HonoContext, next: Next): Promise<void> {
  await next();
  for (const [name, value] of Object.entries(NO_STORE_NO_BUFFERING)) c.header(name, value);
}

const NO_STORE_NO_BUFFERING = { 'cache-control': 'no-store, no-transform', 'x-accel-buffering': 'no' } as const;

/**
 * The headers the app's middleware puts on a tRPC answer (security,
 * caching), read once from that middleware itself, for the answers written
 * past it (the poll route).
 */
async function apiAnswerHeaders(config: AppOptions['config']): Promise<Record<string, string>> {
  const probe = new Hono();
  probe.use('*', securityHeaders({ https: config.PUBLIC_ORIGIN?.startsWith('https://') ?? false }));
  probe.use('*', noStoreNoBuffering);
  probe.get('*', (c) => c.body(null, 204));
  const answer = await probe.request('/');
  const headers: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}

export interface ListenerOptions extends AppOptions {
  /** False: `events.poll` is answered by tRPC's adapter too, as every other call (the conformance test compares). */
  pollRoute?: boolean;
}

/**
 * The server's request listener: the app (createApp), with the long poll's
 * answer written by our own route in front of it (transport/poll.ts says
 * why; docs/event-stream.md, "Long-polling"). A poll the route does not take
 * (a batch, a foreign Origin, anything unusual) goes to the app's tRPC
 * adapter, which answers it the same way, only slower.
 */
export async function createRequestListener(
  options: ListenerOptions,
): Promise<{ listener: RequestListener; pollRoute: HttpQueryRoute | undefined }> {
  const { deps, config } = options;
  const app = getRequestListener(createApp(options).fetch);
  if (options.pollRoute === false) return { listener: app, pollRoute: undefined };
  const policy = { publicOrigin: config.PUBLIC_ORIGIN };
  const poll = httpQueryRoute({
    router: appRouter,
    path: 'events.poll',
    pathname: '/trpc/events.poll',
    headers: await apiAnswerHeaders(config),
    errorHeaders: (error) => retryAfter([error]),
    // The check every /trpc request gets (refuseCrossSite); a request it refuses goes on to it.
    admits: (req: IncomingMessage) =>
      !isForeign(policy, {
        origin: req.headers.origin,
        host: req.headers.host,
        secFetchSite: header(req, 'sec-fetch-site'),
      }),
    createContext: (req, setCookie) =>
      httpContext(
        deps,
        config.TRUST_PROXY,
        {
          cookie: req.headers.cookie,
          userAgent: req.headers['user-agent'],
          forwardedFor: header(req, 'x-forwarded-for'),
          socketAddress: req.socket.remoteAddress,
        },
        setCookie,
      ),
    log: deps.log,
  });
  const listener: RequestListener = (req, res) => {
    if (!poll.take(req, res)) void app(req, res);
  };
  return { listener, pollRoute: poll };
}

/** A request header as one string (Node gives an array for a few repeated ones). */
const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/** The built SPA: files as they are, and index.html for every client route. */
function mountSpa(app: Hono, webDist: string): void {
  const indexPath = join(webDist, 'index.html');
  if (!existsSync(indexPath)) {
    app.get('*', (c) => c.text('The web app is not built. Run `pnpm build` (or `pnpm start`, which builds it).', 503));
    return;
  }
  const indexHtml = readFileSync(indexPath, 'utf8');
  // The build leaves .br and .gz copies of scripts and styles (apps/web/vite.config.ts): sent when accepted.
  const files = serveStatic({ root: webDist, precompressed: true });
  // Hashed file names: cache for a year. A missing asset is a 404, never index.html.
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.header('cache-control', 'public, max-age=31536000, immutable');
  });
  app.use('/assets/*', files);
  app.get('/assets/*', (c) => c.text('Not found', 404));
  app.use('*', files);
  app.get('*', (c) => {
    if (!(c.req.header('accept') ?? '').includes('text/html')) return c.text('Not found', 404);
    return c.html(indexHtml, 200, { 'cache-control': 'no-cache' });
  });
}
