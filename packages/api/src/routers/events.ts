import { z } from 'zod';
import { encodePosition } from '../domain/events/cursor';
import { pollEvents } from '../domain/events/poll';
import { EventStream } from '../event-stream';
import { authedProcedure, router } from '../trpc';
import { tabIdInput } from './inputs';

const POLL_LIMIT = 500;
/**
 * The longest a poll is held: well under the idle limits of common proxies
 * and load balancers (30 to 60 s), so none cuts a held poll as a dead
 * connection (docs/event-stream.md, "Long-polling").
 */
export const POLL_WAIT_MAX_MS = 25_000;

export const eventsRouter = router({
  /**
   * The same events as `stream`, for clients that cannot stream (strict
   * proxies), after `lastEventId`. With `waitMs`, held until there is
   * something for the user or that long has passed (then no items and the
   * same cursor): call again at once with the returned `cursor`. Without it,
   * answered at once; call again every few seconds.
   */
  poll: authedProcedure
    // Its log reads check the session in their statement, and a held poll is
    // answered from memory only for a session such a read found (long-poll.ts):
    // see authedProcedure. It waits on purpose: the deadline is its reads'.
    .meta({ checksSession: true, holds: true })
    .input(
      z.object({
        lastEventId: z.string().max(64).nullish(),
        limit: z.number().int().min(1).max(POLL_LIMIT).default(POLL_LIMIT),
        waitMs: z
          .number('waitMs must be a number of milliseconds.')
          .int('waitMs must be a whole number of milliseconds.')
          .min(0, 'waitMs cannot be negative.')
          .max(POLL_WAIT_MAX_MS, `A poll can wait at most ${POLL_WAIT_MAX_MS} ms (waitMs).`)
          .default(0),
      }),
    )
    .query(async ({ ctx, input, signal }) => {
      const { user, session, verified } = ctx.actor;
      const actor = { userId: user.id, sessionRef: session.ref };
      const page =
        input.waitMs > 0
          ? await ctx.deps.longPolls.poll({
              actor,
              session: { id: session.id, expiresAt: session.expiresAt },
              lastEventId: input.lastEventId,
              limit: input.limit,
              waitMs: input.waitMs,
              signal,
            })
          : await ctx.deps.withinDeadline(
              pollEvents(
                ctx.deps.db,
                { ...actor, uncheckedSessionId: verified ? undefined : session.id },
                input.lastEventId,
                input.limit,
              ),
            );
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
    .input(z.object({ lastEventId: z.string().max(64).nullish(), tabId: tabIdInput.optional() }))
    .subscription(
      ({ ctx, input, signal }) =>
        new EventStream(
          ctx.deps,
          {
            userId: ctx.actor.user.id,
            ...(input.tabId ? { tabId: input.tabId } : {}),
            sessionRef: ctx.actor.session.ref,
            uncheckedSessionId: ctx.actor.verified ? undefined : ctx.actor.session.id,
          },
          input.lastEventId,
          { id: ctx.actor.session.id, expiresAt: ctx.actor.session.expiresAt },
          signal,
        ),
    ),
});
