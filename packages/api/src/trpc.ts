import { initTRPC, type ProcedureType, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError } from 'zod';
import type { Context } from './context';
import type { ValidatedSession } from './domain/auth/sessions';
import type { RateLimitName } from './domain/limits/rules';
import type { Sender } from './domain/messages/send';
import { DomainError, type DomainErrorKind } from './errors';
import { databaseUnavailable, isDatabaseUnavailable } from './unavailable';

const codes: Record<DomainErrorKind, TRPCError['code']> = {
  invalid: 'BAD_REQUEST',
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  rate_limited: 'TOO_MANY_REQUESTS',
  too_large: 'PAYLOAD_TOO_LARGE',
  unavailable: 'SERVICE_UNAVAILABLE',
};

export function toTRPCError(error: DomainError): TRPCError {
  return new TRPCError({ code: codes[error.kind], message: error.message, cause: error });
}

/** What a procedure says of itself to the middleware. */
export interface ProcedureMeta {
  /** Its own statement checks that the caller's session still exists (`authedProcedure`). */
  checksSession?: boolean;
  /**
   * It may wait on purpose (a long poll held until there are events): the
   * database's deadline is not put around the whole call, which would cut the
   * wait as a stalled database; the session lookup and the procedure's own
   * reads are each within it (docs/event-stream.md, "Long-polling").
   */
  holds?: boolean;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
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

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
/** True when a string anywhere in `value` holds U+0000 (arrays and objects walked, 8 levels at most). */
function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth >= 8 || typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, v]) => key.includes('\u0000') || holdsNul(v, depth + 1));
}

/** What the guard reads of a call. */
interface Guarded {
  ctx: Context;
  type: ProcedureType;
  meta: ProcedureMeta | undefined;
  getRawInput: () => Promise<unknown>;
}

/** A middleware's result: the rest of the chain, settled. */
type ChainResult = { ok: true } | { ok: false; error: TRPCError };

/** A domain error or a lost database as the tRPC error the caller gets; anything else as it is. */
function asCallError(cause: unknown): unknown {
  if (cause instanceof DomainError) return toTRPCError(cause);
  if (isDatabaseUnavailable(cause)) return toTRPCError(databaseUnavailable());
  return cause;
}

/**
 * Every procedure's guard, run as the first and only middleware of
 * `publicProcedure` and, with the session rule inside it, of
 * `authedProcedure` (each level of tRPC's middleware chain copies the call's
 * options and context again: docs/send-path.md, step 1):
 *
 * - PostgreSQL's text cannot hold U+0000: a NUL anywhere in an input would
 *   fail deep in a query as a 500, so it is refused here, before anything
 *   reads the input (found by the fuzzing suite).
 * - A query or mutation waits for the database at most its deadline, then
 *   answers SERVICE_UNAVAILABLE as for a cut, even when the database holds
 *   its packets instead of refusing them. A send past it may still commit;
 *   its retry with the same id finds it (docs/database-faults.md).
 * - Domain errors become tRPC errors with the same message, a lost database
 *   a retryable one; nothing else leaks.
 */
async function guard<R extends ChainResult>(call: Guarded, rest: () => Promise<R>): Promise<R> {
  if (holdsNul(await call.getRawInput())) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'Text cannot contain the NUL character (U+0000).' });
  }
  let result: R;
  try {
    result =
      call.type === 'subscription' || call.meta?.holds ? await rest() : await call.ctx.deps.withinDeadline(rest());
  } catch (error) {
    // The session rule's refusal or lookup failure, or the deadline passed (the chain itself settles as a result).
    throw asCallError(error);
  }
  if (!result.ok) {
    const mapped = asCallError(result.error.cause);
    if (mapped !== result.error.cause) throw mapped;
  }
  return result;
}

export const publicProcedure = t.procedure.use((opts) => guard(opts, () => opts.next()));

const pleaseSignIn = () => new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });

/** Who is calling, as the session rule found them (`authedProcedure`). */
export type Actor = ValidatedSession & {
  /**
   * True when the session was looked up for this call. False only for a
   * procedure with `meta.checksSession`, given a lookup this process made
   * within the last five minutes: its own statement must check that the session
   * still exists (`senderOf`, and the stream's opening).
   */
  verified: boolean;
};

/**
 * Signed-in callers only, `ctx.actor` inside: the one session rule. The
 * caller's session is looked up for the call (once per HTTP request; on
 * every call over a WebSocket, whose context outlives it), except by a
 * procedure whose own statement checks it (`meta.checksSession`: a send, a
 * stream's start), which takes a lookup this process made within the last
 * five minutes (`SessionService.recent`) and saves a round trip
 * (docs/security.md, "Sessions"; docs/send-path.md).
 */
export const authedProcedure = t.procedure.use((opts) =>
  guard(opts, async () => {
    const { ctx, meta } = opts;
    const presented = ctx.session;
    if (!presented) throw pleaseSignIn();
    const recent = meta?.checksSession ? ctx.deps.sessions.recent(presented.id) : null;
    // Outside the deadline (`meta.holds`), the lookup is put within it here.
    const found = recent ?? (await (meta?.holds ? ctx.deps.withinDeadline(presented.check()) : presented.check()));
    if (!found) throw pleaseSignIn();
    const actor: Actor = { ...found, verified: recent === null };
    // tRPC merges it into the context.
    return opts.next({ ctx: { actor } });
  }),
);

/** The sender of a send by `actor`: a session not looked up in this call is checked by the send's statement. */
export const senderOf = (actor: Actor): Sender => ({
  userId: actor.user.id,
  uncheckedSessionId: actor.verified ? undefined : actor.session.id,
});

/**
 * Counts the call against the signed-in user's `name` limit (use after
 * `authedProcedure` and `.input()`, so malformed calls are not counted);
 * past it, TOO_MANY_REQUESTS with `retryAfterSeconds`.
 */
export const limit = (name: RateLimitName) =>
  t.middleware(async ({ ctx, next }) => {
    const key = 'actor' in ctx ? (ctx.actor as Actor).user.id : undefined;
    if (!key) throw pleaseSignIn();
    // A refusal (DomainError rate_limited) becomes TOO_MANY_REQUESTS in the guard.
    await ctx.deps.limits.consume(name, key);
    return next();
  });
