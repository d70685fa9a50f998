import type { Deps } from './deps';
import type { ValidatedSession } from './domain/auth/sessions';
import { toTRPCError } from './trpc';
import { databaseUnavailable, isDatabaseUnavailable } from './unavailable';

export interface RequestMeta {
  ipAddress: string;
  userAgent: string;
  /** `ws`: the context was built once, at the WebSocket upgrade, and lives as long as the socket. */
  transport: 'http' | 'ws';
  /** Over WebSocket: the socket, for streams to watch what it has not sent yet. */
  connection?: StreamConnection;
  /** Closes the WebSocket this call came on (its session ended); absent over HTTP. */
  endConnection?: () => void;
}

/** What a live stream may ask of its socket. */
export interface StreamConnection {
  /** Bytes queued on the socket, not yet handed to the network. */
  bufferedBytes(): number;
  /** Past this, the client is not reading: the stream is cut and resumes later from its cursor. */
  readonly limitBytes: number;
  /** Closes the socket at once, dropping what it holds. */
  drop(): void;
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
  try {
    return await deps.sessions.validate(id);
  } catch (error) {
    // Thrown from createContext: a TRPCError keeps its code (503), anything else would be a 500.
    throw isDatabaseUnavailable(error) ? toTRPCError(databaseUnavailable()) : error;
  }
}
