import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { Context } from './context';
import type { RateLimitName } from './domain/limits/rules';
import { DomainError, type DomainErrorKind } from './errors';
import { databaseUnavailable, isDatabaseUnavailable } from './unavailable';
import { wireTransformer } from './wire';

const codes: Record<DomainErrorKind, TRPCError['code']> = {
  invalid: 'BAD_REQUEST',
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  rate_limited: 'TOO_MANY_REQUESTS',
  unavailable: 'SERVICE_UNAVAILABLE',
};

export function toTRPCError(error: DomainError): TRPCError {
  return new TRPCError({ code: codes[error.kind], message: error.message, cause: error });
}

const t = initTRPC.context<Context>().create({
  // superjson on the wire; an event sent to many streams is serialised once (wire.ts).
  transformer: wireTransformer,
  sse: {
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 40_000 },
  },
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const zodIssue = cause instanceof ZodError ? cause.issues[0] : undefined;
    const field = cause instanceof DomainError ? cause.field : zodIssue?.path.join('.');
    const retryAfterSeconds = cause instanceof DomainError ? cause.retryAfterSeconds : undefined;
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    return {
      ...shape,
      message: zodIssue ? zodIssue.message : internal ? 'Something went wrong on the server.' : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        field: field || undefined,
        retryAfterSeconds,
      },
    };
  },
});

/** Domain errors become tRPC errors with the same message, a lost database a retryable one; nothing else leaks. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) throw toTRPCError(result.error.cause);
  if (!result.ok && isDatabaseUnavailable(result.error.cause)) throw toTRPCError(databaseUnavailable());
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(domainErrors);

/** Signed-in callers only; `ctx.auth` is non-null inside. */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  let auth = ctx.auth;
  // A WebSocket's context is built once, at the upgrade: re-check the session
  // for every call on it, so a signed-out session cannot keep using its socket.
  // Subscriptions too: a new stream on an old socket must not outlive its session.
  if (auth && ctx.meta.transport === 'ws') auth = await ctx.deps.sessions.validate(auth.session.id);
  if (!auth) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
  return next({ ctx: { ...ctx, auth } });
});

/**
 * Counts the call against the signed-in user's `name` limit (use after
 * `authedProcedure` and `.input()`, so malformed calls are not counted);
 * past it, TOO_MANY_REQUESTS with `retryAfterSeconds`.
 */
export const limit = (name: RateLimitName) =>
  t.middleware(async ({ ctx, next }) => {
    const key = ctx.auth?.user.id;
    if (!key) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
    // A refusal (DomainError rate_limited) becomes TOO_MANY_REQUESTS in domainErrors.
    await ctx.deps.limits.consume(name, key);
    return next();
  });
