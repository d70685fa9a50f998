/**
 * A TCP relay between the server and PostgreSQL that a test can cut: every
 * open connection dropped and new ones refused, as when the database stops,
 * restarts or its network goes; `restore` lets connections through again on
 * the same port. Or hold: every byte kept back, nothing closed, as when the
 * database freezes or packets are dropped; `release` delivers what was held.
 * The database itself keeps running for the other tests.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface PgProxy {
  url(databaseUrl: string): string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  /** Holds the bytes of every connection, open and new (`'replies'`: only those from PostgreSQL). */
  hold(which?: 'both' | 'replies'): void;
  /** Delivers what was held, in order, and relays again. */
  release(): void;
  /** Relays new connections again, but the ones open now stay silent for good (what was held is dropped). */
  abandon(): void;
  close(): Promise<void>;
}

type Direction = 'requests' | 'replies';

export async function startPgProxy(target = { host: '127.0.0.1', port: 5432 }): Promise<PgProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const holding = { requests: false, replies: false };
  /** Bytes held, per destination socket, in arrival order. */
  const held: Array<{ to: Socket; data: Buffer }> = [];
  const abandoned = new WeakSet<Socket>();
  const relay = (from: Socket, to: Socket, direction: Direction) => {
    from.on('data', (data: Buffer) => {
      if (abandoned.has(to)) return;
      if (holding[direction] || held.some((h) => h.to === to)) held.push({ to, data });
      else to.write(data);
    });
    from.on('end', () => {
      if (!abandoned.has(to)) to.end();
    });
  };
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = connect(target.port, target.host);
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on('close', () => sockets.delete(sock));
          sock.on('error', () => {
            if (abandoned.has(sock)) return;
            client.destroy();
            upstream.destroy();
          });
        }
        relay(client, upstream, 'requests');
        relay(upstream, client, 'replies');
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        const address = s.address();
        if (typeof address === 'object' && address) port = address.port;
        server = s;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const sock of sockets) sock.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });
  await listen();
  return {
    url(databaseUrl) {
      const u = new URL(databaseUrl);
      u.port = String(port);
      return u.toString();
    },
    cut: stop,
    restore: listen,
    hold(which = 'both') {
      holding.replies = true;
      holding.requests = which === 'both';
    },
    release() {
      holding.requests = false;
      holding.replies = false;
      for (const { to, data } of held.splice(0)) if (!to.destroyed) to.write(data);
    },
    abandon() {
      for (const sock of sockets) abandoned.add(sock);
      held.length = 0;
      holding.requests = false;
      holding.replies = false;
    },
    close: stop,
  };
}
