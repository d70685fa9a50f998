import type { Deps } from './deps';
import type { ValidatedSession } from './domain/auth/sessions';
import { databaseUnavailable, isDatabaseUnavailable } from './unavailable';

export interface RequestMeta {
  ipAddress: string;
  userAgent: string;
  /**
   * `ws`: the context was built once, at the WebSocket upgrade, and lives as
   * long as the socket. `sse`: built for one event stream's request (sse.ts).
   */
  transport: 'http' | 'ws' | 'sse';
}

/**
 * The tRPC context: the "inner" part tests can build directly. The server's
 * adapters (apps/server) read the request and fill it in.
 */
// A type alias, not an interface: @hono/trpc-server wants a Record-compatible context.
export type Context = {
  deps: Deps;
  auth: ValidatedSession | null;
  /**
   * True when `auth` was validated for this very request. False when it is a
   * WebSocket's (validated at the upgrade) or a validation this process made
   * within the last minute (`SessionService.recent`, for a request of one
   * send): `authedProcedure` validates it again before the call, and the
   * procedures that check the session in their own statement (the stream's
   * opening, the text send) do that instead.
   */
  sessionChecked: boolean;
  meta: RequestMeta;
  /** Adds a Set-Cookie header to the HTTP response; a no-op over WebSocket. */
  setCookie: (value: string) => void;
};

/**
 * Reads the session cookie and validates it; the one place every transport
 * authenticates. A lost database is the retryable `unavailable` error.
 */
export async function authenticate(
  deps: Deps,
  cookieHeader: string | null | undefined,
): Promise<ValidatedSession | null> {
  const id = deps.sessions.readCookie(cookieHeader);
  if (!id) return null;
  try {
    return await deps.sessions.validate(id);
  } catch (error) {
    throw isDatabaseUnavailable(error) ? databaseUnavailable() : error;
  }
}
