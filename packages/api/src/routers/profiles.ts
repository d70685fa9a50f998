import { z } from 'zod';
import { getOwnProfile, getProfile, updateProfile } from '../domain/profiles/profiles';
import { authedProcedure, limit, router } from '../trpc';
import { usernameRef } from './inputs';

export const profilesRouter = router({
  me: authedProcedure.query(({ ctx }) => getOwnProfile(ctx.deps, ctx.actor.user.id)),
  /** A profile the caller may see (contact or co-member); otherwise NOT_FOUND, as for an unknown user. */
  get: authedProcedure
    .input(z.object({ username: usernameRef }))
    .query(({ ctx, input }) => getProfile(ctx.deps, ctx.actor.user.id, input.username)),
  update: authedProcedure
    .input(
      z
        .object({
          displayName: z
            .string()
            .trim()
            .min(1, 'Your display name cannot be empty.')
            .max(64, 'Display names are at most 64 characters.')
            .optional(),
          about: z.string().trim().max(200, 'The "about" line is at most 200 characters.').optional(),
        })
        .refine((v) => v.displayName !== undefined || v.about !== undefined, 'Nothing to change.'),
    )
    .use(limit('profile.update'))
    .mutation(({ ctx, input }) => updateProfile(ctx.deps, ctx.actor.user.id, input)),
});
