import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError } from 'zod';
import type { Context } from './context';
import type { RateLimitName } from './domain/limits/rules';
import { DomainError, type DomainErrorKind } from './errors';
import { databaseUnavailable, isDatabaseUnavailable } from './unavailable';

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
  // superjson on the wire; a stream's items are serialised once by our transports (wire.ts).
  transformer: superjson,
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
/** True when a string anywhere in `value` holds U+0000 (arrays and objects walked, 8 levels at most). */
function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth >= 8 || typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, v]) => key.includes('\u0000') || holdsNul(v, depth + 1));
}

/**
 * PostgreSQL's text cannot hold U+0000: a NUL anywhere in an input would fail
 * deep in a query as a 500. Refused here, for every procedure, before
 * anything reads the input (found by the fuzzing suite).
 */
const noNul = t.middleware(async ({ getRawInput, next }) => {
  if (holdsNul(await getRawInput())) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'Text cannot contain the NUL character (U+0000).' });
  }
  return next();
});

/**
 * A query or mutation waits for the database at most its deadline, then
 * answers SERVICE_UNAVAILABLE as for a cut (domainErrors), even when the
 * database holds its packets instead of refusing them. A send past it may
 * still commit; its retry with the same id finds it (docs/database-faults.md).
 */
const deadline = t.middleware(({ ctx, type, next }) =>
  type === 'subscription' ? next() : ctx.deps.withinDeadline(next()),
);

export const publicProcedure = t.procedure.use(domainErrors).use(noNul).use(deadline);

const pleaseSignIn = () => new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });

/** Signed-in callers only; `ctx.auth` is non-null inside. */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  let auth = ctx.auth;
  // A WebSocket's context is built once, at the upgrade: re-check the session
  // for every call on it, so a signed-out session cannot keep using its socket.
  // Subscriptions too: a new stream on an old socket must not outlive its session.
  if (auth && !ctx.sessionChecked) auth = await ctx.deps.sessions.validate(auth.session.id);
  if (!auth) throw pleaseSignIn();
  return next({ ctx: { ...ctx, auth } });
});

/**
 * `authedProcedure` for `message.send`: a session this process validated
 * within the last minute (`SessionService.recent`: a socket's sends, or an
 * HTTP request of one send) is not looked up again; its id goes to the send
 * (`uncheckedSessionId`), whose statement stores nothing, and counts nothing,
 * unless the session still exists, in the snapshot it writes in. One
 * statement per send instead of two (load/REPORT.md, eleventh session).
 */
export const sendProcedure = publicProcedure.use(async ({ ctx, next }) => {
  let auth = ctx.auth;
  let uncheckedSessionId: string | undefined;
  if (auth && !ctx.sessionChecked) {
    const recent = ctx.deps.sessions.recent(auth.session.id);
    if (recent) {
      auth = recent;
      uncheckedSessionId = recent.session.id;
    } else auth = await ctx.deps.sessions.validate(auth.session.id);
  }
  if (!auth) throw pleaseSignIn();
  return next({ ctx: { ...ctx, auth, uncheckedSessionId } });
});

/**
 * `authedProcedure` for the event stream. Over WebSocket, a session the
 * upgrade validated and whose end has not come is not looked up again here:
 * the stream's opening statement checks that it still exists, in the snapshot
 * the stream starts from (`openLog`), which is what a second lookup would
 * have told, one statement fewer per stream start (a reconnect storm is
 * thousands). Past its end it is validated as `authedProcedure` does.
 */
export const streamProcedure = publicProcedure.use(async ({ ctx, next }) => {
  let auth = ctx.auth;
  let uncheckedSessionId: string | undefined;
  if (auth && !ctx.sessionChecked) {
    if (auth.session.expiresAt.getTime() > ctx.deps.clock.now().getTime()) uncheckedSessionId = auth.session.id;
    else auth = await ctx.deps.sessions.validate(auth.session.id);
  }
  if (!auth) throw pleaseSignIn();
  return next({ ctx: { ...ctx, auth, uncheckedSessionId } });
});

/**
 * Counts the call against the signed-in user's `name` limit (use after
 * `authedProcedure` and `.input()`, so malformed calls are not counted);
 * past it, TOO_MANY_REQUESTS with `retryAfterSeconds`.
 */
export const limit = (name: RateLimitName) =>
  t.middleware(async ({ ctx, next }) => {
    const key = ctx.auth?.user.id;
    if (!key) throw pleaseSignIn();
    // A refusal (DomainError rate_limited) becomes TOO_MANY_REQUESTS in domainErrors.
    await ctx.deps.limits.consume(name, key);
    return next();
  });
