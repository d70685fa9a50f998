import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type AppRouter, appRouter, authenticate, type Context, type Deps, encodeFrame } from '@chat/api/server';
import { applyWSSHandler, jsonEncoder } from '@trpc/server/adapters/ws';
import { WebSocketServer } from 'ws';
import { clientAddress } from './app';
import type { Config } from './config';
import type { AppLogger } from './logger';
import { isForeign } from './middleware/origin';

type Validated = NonNullable<Context['auth']>;

/**
 * tRPC over WebSocket on the same Node server, at /trpc. The upgrade is
 * refused outright for a foreign Origin or without a valid session, so a
 * signed-out cookie never gets a socket.
 */
export function attachWebSocket(
  server: Server,
  deps: Deps,
  config: Pick<Config, 'PUBLIC_ORIGIN' | 'TRUST_PROXY' | 'STREAM_BUFFER_LIMIT_BYTES'>,
  log: AppLogger,
) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const sessions = new WeakMap<IncomingMessage, Validated>();

  const handler = applyWSSHandler<AppRouter>({
    wss,
    router: appRouter,
    keepAlive: { enabled: true, pingMs: 25_000, pongWaitMs: 10_000 },
    // An event sent to many sockets is serialised once; each frame joins its ids to that text.
    experimental_encoder: { encode: encodeFrame, decode: jsonEncoder.decode },
    createContext: ({ req, res }): Context => ({
      deps,
      auth: sessions.get(req) ?? null,
      meta: {
        transport: 'ws',
        connection: {
          bufferedBytes: () => res.bufferedAmount,
          send: (frame) => res.send(frame),
          limitBytes: config.STREAM_BUFFER_LIMIT_BYTES,
          drop: () => res.terminate(),
          // 4401: the session ended.
          end: () => res.close(4401, 'session ended'),
        },
        userAgent: req.headers['user-agent'] ?? '',
        ipAddress: clientAddress(
          headerValue(req.headers['x-forwarded-for']),
          req.socket.remoteAddress,
          config.TRUST_PROXY,
        ),
      },
      setCookie: () => {},
    }),
  });

  const refuse = (socket: Duplex, status: string) => {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/trpc') return refuse(socket, '404 Not Found');
    const foreign = isForeign(
      { publicOrigin: config.PUBLIC_ORIGIN },
      {
        origin: req.headers.origin,
        host: req.headers.host,
        secFetchSite: headerValue(req.headers['sec-fetch-site']),
      },
    );
    if (foreign) return refuse(socket, '403 Forbidden');
    authenticate(deps, req.headers.cookie).then(
      (auth) => {
        if (!auth) return refuse(socket, '401 Unauthorized');
        sessions.set(req, auth);
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      },
      (error: unknown) => {
        log.error({ err: error }, 'WebSocket authentication failed');
        refuse(socket, '503 Service Unavailable');
      },
    );
  });

  return {
    wss,
    /** Tells every client to reconnect (elsewhere), then closes the sockets. */
    async close() {
      handler.broadcastReconnectNotification();
      for (const client of wss.clients) client.close(1012, 'server restarting');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
