import { z } from 'zod';
import { blockUser, listBlocked, unblockUser } from '../domain/blocks/blocks';
import { authedProcedure, limit, router } from '../trpc';
import { id } from './inputs';

const other = z.object({ userId: id('user') });

/** Blocking (docs/blocking.md): the caller's own list; the blocked person is never told. */
export const blocksRouter = router({
  list: authedProcedure.query(({ ctx }) => listBlocked(ctx.deps, ctx.actor.user.id)),
  block: authedProcedure
    .input(other)
    .use(limit('block.change'))
    .mutation(({ ctx, input }) => blockUser(ctx.deps, ctx.actor.user.id, input.userId)),
  unblock: authedProcedure
    .input(other)
    .use(limit('block.change'))
    .mutation(({ ctx, input }) => unblockUser(ctx.deps, ctx.actor.user.id, input.userId)),
});
