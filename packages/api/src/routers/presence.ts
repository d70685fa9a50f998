import { z } from 'zod';
import { listPresence, signalTyping } from '../domain/presence/presence';
import { authedProcedure, router } from '../trpc';
import { id } from './inputs';

export const presenceRouter = router({
  /** Online / last seen of every contact and co-member; changes then arrive as `presence` stream items. */
  list: authedProcedure.query(({ ctx }) => listPresence(ctx.deps, ctx.actor.user.id)),
  /** Call while the user types (the server passes on at most one every two seconds). */
  typing: authedProcedure
    .input(z.object({ chatId: id('chat') }))
    .mutation(({ ctx, input }) => signalTyping(ctx.deps, ctx.actor.user.id, input.chatId)),
});
