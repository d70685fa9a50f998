import { tracked } from '@trpc/server';
import { z } from 'zod';
import { watchSessionExpiry } from '../domain/auth/expiry';
import { encodePosition } from '../domain/events/cursor';
import { type DirectOutlet, pollEvents, streamEvents } from '../domain/events/stream';
import type { StreamItem } from '../domain/events/types';
import { DomainError } from '../errors';
import { authedProcedure, router, streamProcedure, toTRPCError } from '../trpc';
import { DirectChannel, SseChannel } from '../wire';

const POLL_LIMIT = 500;

export const eventsRouter = router({
  /**
   * The same events as `stream`, for clients that cannot stream (strict
   * proxies): call again with the returned `cursor` every few seconds.
   */
  poll: authedProcedure
    .input(
      z.object({
        lastEventId: z.string().max(64).nullish(),
        limit: z.number().int().min(1).max(POLL_LIMIT).default(POLL_LIMIT),
      }),
    )
    .query(async ({ ctx, input }) => {
      const actor = { userId: ctx.auth.user.id, sessionRef: ctx.auth.session.ref };
      const page = await pollEvents(ctx.deps.db, actor, input.lastEventId, input.limit);
      return {
        items: page.items.map(({ position, item }) => ({ id: encodePosition(position), data: item })),
        cursor: encodePosition(page.cursor),
      };
    }),
  /**
   * The user's one live stream (WebSocket or SSE). Resumes after
   * `lastEventId`, which both links send back on every reconnect.
   */
  stream: streamProcedure.input(z.object({ lastEventId: z.string().max(64).nullish() })).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const actor = {
      userId: ctx.auth.user.id,
      sessionRef: ctx.auth.session.ref,
      uncheckedSessionId: ctx.uncheckedSessionId,
    };
    let sessionEnded = false;
    const expiry = watchSessionExpiry(ctx.deps, ctx.auth.session.id, ctx.auth.session.expiresAt);
    const stop = signal ? AbortSignal.any([signal, expiry.signal]) : expiry.signal;
    const connection = ctx.meta.connection;
    // tRPC writes every item without waiting: a client that stopped reading
    // would grow the socket's buffer without bound. Cut it instead; it
    // resumes from its cursor, and nothing is lost (the log has it all).
    const stalled = () => {
      if (!connection || connection.bufferedBytes() <= connection.limitBytes) return false;
      ctx.deps.log.warn({ userId: actor.userId }, 'stream cut: the client stopped reading');
      connection.drop();
      return true;
    };
    const endsSession = (item: StreamItem) =>
      item.type === 'session.ended' && item.payload.sessionRef === actor.sessionRef;
    // Over WebSocket and SSE, live items skip tRPC's per-item path (wire.ts, DirectChannel and SseChannel).
    const channel = connection
      ? connection.framing === 'sse'
        ? new SseChannel((event) => connection.send(event))
        : new DirectChannel((frame) => connection.send(frame))
      : undefined;
    const outlet: DirectOutlet | undefined = channel && {
      mark: (item) => channel.mark(item),
      ready: () => channel.bound,
      write: (position, item) => {
        if (stalled()) return false;
        channel.send(encodePosition(position), item);
        if (endsSession(item)) sessionEnded = true;
        return true;
      },
    };
    try {
      for await (const { position, item } of streamEvents(ctx.deps, actor, input.lastEventId, stop, outlet)) {
        if (stalled()) return;
        yield tracked(encodePosition(position), item);
        if (endsSession(item)) sessionEnded = true;
      }
    } catch (error) {
      throw error instanceof DomainError ? toTRPCError(error) : error;
    } finally {
      expiry.stop();
    }
    // The stream ended with its session: the WebSocket it came on goes too
    // (after what was sent), so nothing else can ride on the dead session.
    if (sessionEnded || expiry.expired) ctx.meta.connection?.end();
  }),
});
