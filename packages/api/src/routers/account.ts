import { z } from 'zod';
import { changePassword } from '../domain/account/change-password';
import { endSessions, listSessions, signOutSession } from '../domain/account/sign-out';
import { changePasswordInput } from '../domain/auth/rules';
import { authedProcedure, router } from '../trpc';

export const accountRouter = router({
  /** Checks the current password, sets the new one and signs out every other session. */
  changePassword: authedProcedure
    .input(changePasswordInput)
    .mutation(({ ctx, input }) => changePassword(ctx.deps, ctx.actor, input, ctx.meta)),
  /** The caller's active sessions (device, address, created, last active, which is this one). */
  sessions: authedProcedure.query(({ ctx }) => listSessions(ctx.deps, ctx.actor.user.id, ctx.actor.session.ref)),
  /** Signs out one session (by the `id` from `sessions`); signing out this one also clears the cookie. */
  signOut: authedProcedure
    .input(z.object({ sessionId: z.string().min(1, 'Say which session.').max(64, 'That is not a session id.') }))
    .mutation(async ({ ctx, input }) => {
      await signOutSession(ctx.deps, ctx.actor.user.id, input.sessionId);
      if (input.sessionId === ctx.actor.session.ref) ctx.setCookie(ctx.deps.sessions.blankCookie());
      return { ok: true as const };
    }),
  /** Signs out every session but this one. */
  signOutOthers: authedProcedure.mutation(async ({ ctx }) => {
    const ended = await endSessions(ctx.deps, ctx.actor.user.id, { allExcept: ctx.actor.session.id }, 'revoked');
    return { endedSessions: ended.length };
  }),
});
