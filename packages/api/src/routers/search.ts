import { z } from 'zod';
import { searchMessages } from '../domain/search';
import { authedProcedure, limit, router } from '../trpc';

export const SEARCH_MAX_LENGTH = 500;
export const SEARCH_PAGE_MAX = 50;

export const searchRouter = router({
  /** Messages in the caller's chats matching `q` (see domain/search/parse.ts for the language), paged. */
  messages: authedProcedure
    .input(
      z.object({
        q: z.string().max(SEARCH_MAX_LENGTH, `A search can be at most ${SEARCH_MAX_LENGTH} characters.`),
        order: z.enum(['recent', 'relevant']).default('recent'),
        cursor: z.string().max(1000, 'This search cursor is not valid: start the search again.').nullish(),
        limit: z.number().int().min(1).max(SEARCH_PAGE_MAX).default(20),
        /** The searcher's clock minus UTC in minutes (-new Date().getTimezoneOffset()), for before:/after:. */
        utcOffsetMinutes: z.number().int().min(-840).max(840).default(0),
      }),
    )
    .use(limit('search'))
    .query(({ ctx, input }) => searchMessages(ctx.deps, ctx.actor.user.id, input)),
});
