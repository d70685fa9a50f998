/**
 * The generic half of the WebSocket conformance suite (ws-conformance.int.test.ts):
 * a small router of plain async-generator subscriptions, built as the app's
 * (`initTRPC` with superjson and the app's error formatter), served by our
 * transport (apps/server/src/transport/websocket.ts) and by tRPC's
 * `applyWSSHandler`, each on its own port. Nothing here touches the database.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appRouter } from '@chat/api/server';
import { initTRPC, TRPCError, tracked } from '@trpc/server';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import superjson from 'superjson';
import { WebSocketServer } from 'ws';
import { z } from 'zod';
import { UserStreams } from '../src/transport/stream-caps';
import { TrpcWebSockets } from '../src/transport/websocket';

/** A server's context: what its subscriptions saw end (`aborted`: by their signal). */
export interface GenericContext {
  ends: string[];
}

const t = initTRPC.context<GenericContext>().create({
  transformer: superjson,
  // The app's own formatter (zod's message and field, no internals leaked): the shapes are the app's.
  errorFormatter: appRouter._def._config.errorFormatter as never,
});

/** Waits for `signal` to abort (at once if it has). */
const aborted = (signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    if (!signal || signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });

export const genericRouter = t.router({
  hello: t.procedure.input(z.object({ name: z.string() })).query(({ input }) => ({ hello: input.name })),
  /** A query may not return an iterable over WebSocket (UNSUPPORTED_MEDIA_TYPE). */
  iterableQuery: t.procedure.query(async function* () {
    yield 1;
  }),
  /** `count` items with a Date (superjson meta), then done. */
  numbers: t.procedure
    .input(z.object({ from: z.number().int(), count: z.number().int().max(10) }))
    .subscription(async function* ({ input }) {
      for (let n = input.from; n < input.from + input.count; n++) yield { n, at: new Date(0) };
    }),
  /** Items 1–3 as `tracked`, after `lastEventId`; then waits for its stop. */
  tracked: t.procedure.input(z.object({ lastEventId: z.string().nullish() })).subscription(async function* ({
    input,
    signal,
    ctx,
  }) {
    try {
      for (let i = Number(input.lastEventId ?? 0) + 1; i <= 3; i++) yield tracked(String(i), { i, at: new Date(0) });
      await aborted(signal);
    } finally {
      ctx.ends.push(signal?.aborted ? 'tracked: aborted' : 'tracked: ended');
    }
  }),
  /** One item, then a TRPCError. */
  failing: t.procedure.subscription(async function* () {
    yield 'one';
    throw new TRPCError({ code: 'FORBIDDEN', message: 'No more for you.' });
  }),
  /** One item, then a plain Error (an internal error: its message stays on the server). */
  crashing: t.procedure.subscription(async function* () {
    yield 'one';
    throw new Error('boom');
  }),
  notIterable: t.procedure.subscription(() => 'not a stream' as never),
});

export interface GenericServer {
  url: string;
  ctx: GenericContext;
  close(): Promise<void>;
}

/** tRPC's `applyWSSHandler` on `genericRouter`. */
export async function startGenericReference(): Promise<GenericServer> {
  const ctx: GenericContext = { ends: [] };
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await once(wss, 'listening');
  applyWSSHandler({ wss, router: genericRouter, createContext: () => ctx });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ctx,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Our transport on `genericRouter`, wired as upgrade.ts wires it (without authentication). */
export async function startGenericOurs(): Promise<GenericServer> {
  const ctx: GenericContext = { ends: [] };
  const sockets = new TrpcWebSockets({
    router: genericRouter,
    log: { warn() {}, error() {} },
    limitBytes: 1 << 20,
    pingMs: 60_000,
    pongWaitMs: 60_000,
    maxBatchSize: 50,
    subscriptionsPerSocket: 4,
    streams: new UserStreams(100),
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const server = createServer();
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => sockets.accept(ws, { ctx, userId: 'tester', raw: socket }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ctx,
    async close() {
      sockets.stop();
      for (const c of sockets.connections) c.socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
