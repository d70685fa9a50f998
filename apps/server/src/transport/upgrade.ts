import { type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  appRouter,
  authenticate,
  type Context,
  type Deps,
  PresentedSession,
  type Sink,
  toStreamError,
} from '@chat/api/server';
import { WebSocketServer } from 'ws';
import { clientAddress, TRPC_BATCH_MAX } from '../app';
import type { Config } from '../config';
import type { AppLogger } from '../logger';
import { isForeign } from '../middleware/origin';
import { httpRefusal } from './refusal';
import { tooManyConnectionsPerUser, type UserStreams } from './stream-caps';
import { type SessionListener, TrpcWebSockets } from './websocket';

const noCookies = () => {};

/**
 * A socket's watch of its own session's end while it carries no stream (the
 * transport's `watchSession`): one more subscriber of its user at the hub,
 * reading nothing but the `session.ended` of its session
 * (docs/event-stream.md, "Sockets and their session").
 */
class SessionEndWatch implements Sink {
  constructor(
    private readonly hub: Deps['hub'],
    private readonly userId: string,
    private readonly sessionRef: string,
    private readonly listener: SessionListener,
  ) {
    hub.subscribe(userId, this);
  }

  events(rows: Parameters<Sink['events']>[0]): void {
    for (const { event } of rows) {
      if (event.type === 'session.ended' && event.payload.sessionRef === this.sessionRef) {
        this.listener.sessionEnded();
        return;
      }
    }
  }

  ephemeral(): void {}

  stop(): void {
    this.hub.unsubscribe(this.userId, this);
  }
}

/**
 * tRPC over WebSocket on the same Node server, at /trpc: this server's
 * wiring of the transport (websocket.ts says why it is not tRPC's adapter).
 * The upgrade is refused outright for a foreign Origin or without a valid
 * session, so a signed-out cookie never gets a socket, and (429) for a user
 * who holds as many live connections as `streams` allows.
 */
export function attachWebSocket(
  server: Server,
  deps: Deps,
  config: Pick<
    Config,
    'PUBLIC_ORIGIN' | 'TRUST_PROXY' | 'STREAM_BUFFER_LIMIT_BYTES' | 'STREAM_SUBSCRIPTIONS_PER_SOCKET'
  >,
  streams: UserStreams,
  log: AppLogger,
  keepAlive = { pingMs: 25_000, pongWaitMs: 10_000 },
) {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1024 * 1024,
    clientTracking: false,
    perMessageDeflate: false,
  });
  const sockets = new TrpcWebSockets({
    router: appRouter,
    log: deps.log,
    streamError: toStreamError,
    watchSession: (userId, sessionRef, listener) => new SessionEndWatch(deps.hub, userId, sessionRef, listener),
    limitBytes: config.STREAM_BUFFER_LIMIT_BYTES,
    ...keepAlive,
    maxBatchSize: TRPC_BATCH_MAX,
    subscriptionsPerSocket: config.STREAM_SUBSCRIPTIONS_PER_SOCKET,
    streams,
  });

  /** The socket's context, built once: every call on it looks its session up again (trpc.ts). */
  const contextOf = (req: IncomingMessage, sessionId: string): Context => ({
    deps,
    session: new PresentedSession(deps, sessionId, 'socket'),
    meta: {
      transport: 'ws',
      userAgent: req.headers['user-agent'] ?? '',
      ipAddress: clientAddress(
        headerValue(req.headers['x-forwarded-for']),
        req.socket.remoteAddress,
        config.TRUST_PROXY,
      ),
    },
    setCookie: noCookies,
  });

  const refuse = (socket: Duplex, status: string) => {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };
  /** Refused with tRPC's error body, as an HTTP call would be (its client reads neither, a person or a proxy log can). */
  const refuseWith = (socket: Duplex, cause: unknown) => {
    const { status, body } = httpRefusal(appRouter, toStreamError(cause), { type: 'unknown' });
    const head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\n`;
    const type = 'Content-Type: application/json\r\nCache-Control: no-store\r\n';
    socket.end(`${head}${type}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node's HTTP server lets go of an upgraded socket's errors: a client that
    // resets while its session is looked up, or as it is refused, would
    // otherwise throw out of the process (ws listens once it takes the socket).
    socket.on('error', destroyOnError);
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
    deps.withinDeadline(authenticate(deps, req.headers.cookie)).then(
      (auth) => {
        if (!auth) return refuse(socket, '401 Unauthorized');
        // Checked in the turn that accepts it (`accept` counts it): no other upgrade comes between.
        if (!streams.hasRoom(auth.user.id)) return refuseWith(socket, tooManyConnectionsPerUser(streams.perUser));
        const accepted = {
          ctx: contextOf(req, auth.session.id),
          userId: auth.user.id,
          session: auth.session.ref,
          raw: socket,
          expectParams: url.searchParams.get('connectionParams') === '1',
        };
        wss.handleUpgrade(req, socket, head, (ws) => sockets.accept(ws, accepted));
      },
      (error: unknown) => {
        if (!deps.hub.outage.failed(error, 'WebSocket sign-in'))
          log.error({ err: error }, 'WebSocket authentication failed');
        refuse(socket, '503 Service Unavailable');
      },
    );
  });

  return {
    /** Tells every client to reconnect (elsewhere), then closes the sockets (their handshakes are not waited for). */
    async close() {
      sockets.broadcastReconnect();
      sockets.stop();
      for (const { socket } of sockets.connections) socket.close(1012, 'server restarting');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function destroyOnError(this: Duplex): void {
  this.destroy();
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
