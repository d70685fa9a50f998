import { USER_STATUSES } from '@chat/db';
import { z } from 'zod';
import { listPresence, signalTyping } from '../domain/presence/presence';
import { getMyStatus, reportIdle, setStatus } from '../domain/presence/status';
import { authedProcedure, limit, router } from '../trpc';
import { id, tabIdInput } from './inputs';

export const presenceRouter = router({
  /** Online / last seen / status of every contact and co-member; changes then arrive as `presence` stream items. */
  list: authedProcedure.query(({ ctx }) => listPresence(ctx.deps, ctx.actor.user.id)),
  /** Call while the user types (the server passes on at most one every two seconds). */
  typing: authedProcedure
    .input(z.object({ chatId: id('chat') }))
    .mutation(({ ctx, input }) => signalTyping(ctx.deps, ctx.actor.user.id, input.chatId)),
  /** The user's own chosen status, and how long a tab waits without input before it reports itself idle. */
  mine: authedProcedure.query(({ ctx }) => getMyStatus(ctx.deps, ctx.actor.user.id)),
  /** Chooses the status (Available, Away, Do not disturb) on every device of the user. */
  setStatus: authedProcedure
    .use(limit('presence.change'))
    .input(
      z.object({
        status: z.enum(USER_STATUSES, { error: 'The status must be available, away or dnd.' }),
      }),
    )
    .mutation(({ ctx, input }) => setStatus(ctx.deps, ctx.actor.user.id, input.status)),
  /**
   * This tab (as named in its `events.stream` input) had no input for a
   * while, or has again. The user shows away only when all their streams are idle.
   */
  setIdle: authedProcedure
    .use(limit('presence.change'))
    .input(z.object({ tabId: tabIdInput, idle: z.boolean('idle must be true or false.') }))
    .mutation(({ ctx, input }) => reportIdle(ctx.deps, ctx.actor.user.id, input.tabId, input.idle)),
});
