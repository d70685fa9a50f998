import { tracked } from '@trpc/server';
import { z } from 'zod';
import { encodePosition } from '../domain/events/cursor';
import { streamEvents } from '../domain/events/stream';
import { DomainError } from '../errors';
import { authedProcedure, router, toTRPCError } from '../trpc';

export const eventsRouter = router({
  /**
   * The user's one live stream (WebSocket or SSE). Resumes after
   * `lastEventId`, which both links send back on every reconnect.
   */
  stream: authedProcedure.input(z.object({ lastEventId: z.string().max(64).nullish() })).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const actor = { userId: ctx.auth.user.id, sessionRef: ctx.auth.session.ref };
    try {
      for await (const { position, item } of streamEvents(ctx.deps, actor, input.lastEventId, signal)) {
        yield tracked(encodePosition(position), item);
      }
    } catch (error) {
      throw error instanceof DomainError ? toTRPCError(error) : error;
    }
  }),
});
