import { z } from 'zod';
import { encodePosition } from '../domain/events/cursor';
import { pollEvents } from '../domain/events/poll';
import { EventStream } from '../event-stream';
import { authedProcedure, router } from '../trpc';

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
      const actor = { userId: ctx.actor.user.id, sessionRef: ctx.actor.session.ref };
      const page = await pollEvents(ctx.deps.db, actor, input.lastEventId, input.limit);
      return {
        items: page.items.map(({ position, item }) => ({ id: encodePosition(position), data: item })),
        cursor: encodePosition(page.cursor),
      };
    }),
  /**
   * The user's one live stream (WebSocket or SSE). Resumes after
   * `lastEventId`, which both links send back on every reconnect. The
   * server's transports attach the stream to their sockets (event-stream.ts);
   * anything else iterates it.
   */
  stream: authedProcedure
    // Its opening statement checks the session (`openLog`): see authedProcedure.
    .meta({ checksSession: true })
    .input(z.object({ lastEventId: z.string().max(64).nullish() }))
    .subscription(
      ({ ctx, input, signal }) =>
        new EventStream(
          ctx.deps,
          {
            userId: ctx.actor.user.id,
            sessionRef: ctx.actor.session.ref,
            uncheckedSessionId: ctx.actor.verified ? undefined : ctx.actor.session.id,
          },
          input.lastEventId,
          { id: ctx.actor.session.id, expiresAt: ctx.actor.session.expiresAt },
          signal,
        ),
    ),
});
