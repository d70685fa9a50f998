import { login, logout, register } from '../domain/auth/accounts';
import { loginInput, registerInput } from '../domain/auth/rules';
import { authedProcedure, publicProcedure, router } from '../trpc';

export const authRouter = router({
  register: publicProcedure.input(registerInput).mutation(async ({ ctx, input }) => {
    const signedIn = await register(ctx.deps, input, ctx.meta);
    ctx.setCookie(signedIn.cookie);
    return signedIn.user;
  }),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const signedIn = await login(ctx.deps, input, ctx.meta);
    // The session the browser came with, if any, ends (and its streams): one cookie, one session.
    const earlier = await ctx.session?.check();
    if (earlier) await logout(ctx.deps, earlier.session);
    ctx.setCookie(signedIn.cookie);
    return signedIn.user;
  }),

  logout: authedProcedure.mutation(async ({ ctx }) => {
    await logout(ctx.deps, ctx.actor.session);
    ctx.setCookie(ctx.deps.sessions.blankCookie());
    return { ok: true as const };
  }),

  /** Who am I: the signed-in user, or null. */
  me: publicProcedure.query(async ({ ctx }) => (await ctx.session?.check())?.user ?? null),
});
