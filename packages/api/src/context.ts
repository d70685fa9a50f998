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
  /** Over WebSocket: the socket the call came on; over SSE, the stream's response; absent over HTTP. */
  connection?: StreamConnection;
}

/** What a live stream may ask of its socket. */
export interface StreamConnection {
  /** How `send` frames an item: a tRPC WebSocket message (the default), or an SSE event. */
  readonly framing?: 'ws' | 'sse';
  /** Bytes queued on the socket, not yet handed to the network. */
  bufferedBytes(): number;
  /** Past this, the client is not reading: the stream is cut and resumes later from its cursor. */
  readonly limitBytes: number;
  /** Writes one text frame (a tRPC message or an SSE event, already encoded) to the socket. */
  send(frame: string): void;
  /** Closes the socket at once, dropping what it holds (the client resumes from its cursor). */
  drop(): void;
  /** Closes the socket after what it holds is sent: its session ended, so the client must not retry with it. */
  end(): void;
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
