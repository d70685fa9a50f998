import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appRouter, authenticate, type Context, type Deps } from '@chat/api/server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { trpcServer } from '@hono/trpc-server';
import { Hono, type Context as HonoContext, type Next } from 'hono';
import type { Config } from './config';
import { isForeign } from './middleware/origin';
import { mountMedia } from './routes/media';

export interface AppOptions {
  deps: Deps;
  config: Pick<Config, 'PUBLIC_ORIGIN' | 'TRUST_PROXY' | 'webDist'>;
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

export function createApp({ deps, config, ping }: AppOptions): Hono {
  const app = new Hono();
  const policy = { publicOrigin: config.PUBLIC_ORIGIN };

  app.get('/healthz', async (c) => {
    try {
      await ping();
      return c.json({ status: 'ok', database: 'up' });
    } catch {
      return c.json({ status: 'degraded', database: 'down' }, 503);
    }
  });

  const sameOrigin = async (c: HonoContext, next: Next) => {
    const foreign = isForeign(policy, {
      origin: c.req.header('origin'),
      host: c.req.header('host'),
      secFetchSite: c.req.header('sec-fetch-site'),
    });
    if (foreign) return c.json({ error: { message: 'Cross-site requests are not allowed.' } }, 403);
    await next();
  };
  app.use('/trpc/*', sameOrigin);
  app.use('/api/*', sameOrigin);
  mountMedia(app, deps);

  app.use(
    '/trpc/*',
    trpcServer({
      endpoint: '/trpc',
      router: appRouter,
      createContext: async (opts, c): Promise<Context> => {
        const auth = await authenticate(deps, c.req.header('cookie'));
        if (auth?.renewedCookie) opts.resHeaders.append('set-cookie', auth.renewedCookie);
        return {
          deps,
          auth,
          meta: {
            transport: 'http',
            userAgent: c.req.header('user-agent') ?? '',
            ipAddress: clientAddress(
              c.req.header('x-forwarded-for'),
              getConnInfo(c).remote.address,
              config.TRUST_PROXY,
            ),
          },
          setCookie: (value) => opts.resHeaders.append('set-cookie', value),
        };
      },
    }),
  );

  mountSpa(app, config.webDist);
  return app;
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
