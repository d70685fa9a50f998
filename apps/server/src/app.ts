import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appRouter, type Context, type Deps, DomainError, presentSession, toStreamError } from '@chat/api/server';
import type { HttpBindings } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { trpcServer } from '@hono/trpc-server';
import { Hono, type Context as HonoContext, type Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Config } from './config';
import { refuseCrossSite } from './middleware/origin';
import { securityHeaders } from './middleware/security-headers';
import { mountMedia } from './routes/media';
import { type SseOptions, serveSubscriptionOverSse } from './transport/sse';
import type { UserStreams } from './transport/stream-caps';

export interface AppOptions {
  deps: Deps;
  config: Pick<Config, 'PUBLIC_ORIGIN' | 'TRUST_PROXY' | 'webDist' | 'STREAM_BUFFER_LIMIT_BYTES'>;
  /** Each user's live connections on this process; an SSE stream counts while it is open. */
  streams: UserStreams;
  ping(): Promise<void>;
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

export function createApp({ deps, config, streams, ping }: AppOptions): Hono {
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
  mountMedia(app, deps);

  app.use(
    '/trpc/*',
    trpcServer({
      endpoint: '/trpc',
      router: appRouter,
      maxBatchSize: TRPC_BATCH_MAX,
      createContext: async (opts, c): Promise<Context> => {
        // Looked up by the procedure itself, if it needs a signed-in caller (trpc.ts, authedProcedure).
        return {
          deps,
          session: presentSession(deps, c.req.header('cookie'), 'request'),
          meta: { transport: 'http' as const, ...callerOf(c) },
          setCookie: (value: string) => opts.resHeaders.append('set-cookie', value),
        };
      },
      // A refusal for too many requests says when to come back, as HTTP does.
      responseMeta: ({ errors }) => {
        const waits = errors.map((e) => (e.cause instanceof DomainError ? (e.cause.retryAfterSeconds ?? 0) : 0));
        const wait = Math.max(0, ...waits);
        return wait > 0 ? { headers: { 'retry-after': String(wait) } } : {};
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
  c.header('cache-control', 'no-store, no-transform');
  c.header('x-accel-buffering', 'no');
}

/** The built SPA: files as they are, and index.html for every client route. */
function mountSpa(app: Hono, webDist: string): void {
  const indexPath = join(webDist, 'index.html');
  if (!existsSync(indexPath)) {
    app.get('*', (c) => c.text('The web app is not built. Run `pnpm build` (or `pnpm start`, which builds it).', 503));
    return;
  }
  const indexHtml = readFileSync(indexPath, 'utf8');
  const files = serveStatic({ root: webDist });
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
