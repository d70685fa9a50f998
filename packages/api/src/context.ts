import type { Deps } from './deps';
import type { ValidatedSession } from './domain/auth/sessions';

export interface RequestMeta {
  ipAddress: string;
  userAgent: string;
  /** `ws`: the context was built once, at the WebSocket upgrade, and lives as long as the socket. */
  transport: 'http' | 'ws';
  /** Closes the WebSocket this call came on (its session ended); absent over HTTP. */
  endConnection?: () => void;
}

/**
 * The tRPC context: the "inner" part tests can build directly. The server's
 * adapters (apps/server) read the request and fill it in.
 */
// A type alias, not an interface: @hono/trpc-server wants a Record-compatible context.
export type Context = {
  deps: Deps;
  auth: ValidatedSession | null;
  meta: RequestMeta;
  /** Adds a Set-Cookie header to the HTTP response; a no-op over WebSocket. */
  setCookie: (value: string) => void;
};

/** Reads the session cookie and validates it; the one place every transport authenticates. */
export async function authenticate(
  deps: Deps,
  cookieHeader: string | null | undefined,
): Promise<ValidatedSession | null> {
  const id = deps.sessions.readCookie(cookieHeader);
  if (!id) return null;
  return deps.sessions.validate(id);
}
