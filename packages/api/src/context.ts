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
 * transports (apps/server) read the request and fill it in.
 */
// A type alias, not an interface: @hono/trpc-server wants a Record-compatible context.
export type Context = {
  deps: Deps;
  /**
   * The session the caller presents (its cookie), not yet judged: the one
   * session rule, `authedProcedure` (trpc.ts), decides whether to look it
   * up for the call (docs/security.md, "Sessions").
   */
  session: PresentedSession | null;
  meta: RequestMeta;
  /** Adds a Set-Cookie header to the HTTP response; a no-op over WebSocket. */
  setCookie: (value: string) => void;
};

/**
 * A session id a caller presents, and its lookup for a call. A context made
 * for one request (HTTP, an SSE stream) looks it up once, whatever the
 * number of calls in it; a WebSocket's context lives as long as the socket,
 * so each call there looks it up again and a session ended meanwhile stops
 * working on sockets opened before.
 */
export class PresentedSession {
  private lookup: Promise<ValidatedSession | null> | undefined;

  constructor(
    private readonly deps: Pick<Deps, 'sessions'>,
    readonly id: string,
    private readonly scope: 'request' | 'socket',
  ) {}

  /** The session and its user, or null when it is unknown or has ended; a lost database is the retryable `unavailable`. */
  check(): Promise<ValidatedSession | null> {
    if (this.scope === 'socket') return validate(this.deps, this.id);
    this.lookup ??= validate(this.deps, this.id);
    return this.lookup;
  }
}

/** The session a Cookie header presents, or null when it carries none. */
export function presentSession(
  deps: Pick<Deps, 'sessions'>,
  cookieHeader: string | null | undefined,
  scope: 'request' | 'socket',
): PresentedSession | null {
  const id = deps.sessions.readCookie(cookieHeader);
  return id ? new PresentedSession(deps, id, scope) : null;
}

async function validate(deps: Pick<Deps, 'sessions'>, id: string): Promise<ValidatedSession | null> {
  try {
    return await deps.sessions.validate(id);
  } catch (error) {
    throw isDatabaseUnavailable(error) ? databaseUnavailable() : error;
  }
}

/**
 * Reads the session cookie and looks it up: what a WebSocket upgrade does
 * before it accepts a socket. A lost database is the retryable `unavailable`.
 */
export async function authenticate(
  deps: Deps,
  cookieHeader: string | null | undefined,
): Promise<ValidatedSession | null> {
  return (await presentSession(deps, cookieHeader, 'socket')?.check()) ?? null;
}
