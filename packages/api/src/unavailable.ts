/**
 * When PostgreSQL is gone (stopped, restarting, unreachable), a call fails
 * with a connection error rather than a bug: callers get SERVICE_UNAVAILABLE
 * with a retry-after, and the browser's outbox keeps what it could not send.
 */
import { DomainError } from './errors';

/** Node socket errors and postgres.js's own codes for a connection that failed or went away. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  // A call that waited out its deadline (@chat/db's deadline.ts): a stalled database.
  'DATABASE_DEADLINE',
]);

/**
 * SQLSTATEs that mean "the database, not the request": class 08 (connection
 * exception), 57P01–57P03 (shut down, crash, cannot connect now), 53300 (too
 * many connections), 57014 (a statement cancelled by the statement timeout)
 * and 25P03 (a transaction left idle past it, ended by the server).
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '25P03']);

function isUnavailableState(code: string): boolean {
  return code.startsWith('08') || UNAVAILABLE_STATES.has(code);
}

/** The `code`s of `error` and of what it wraps (drizzle wraps the driver's error as `cause`), outermost first. */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let e: unknown = error;
  for (let depth = 0; depth < 6 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    e = (e as { cause?: unknown }).cause;
  }
  return codes;
}

/** True when `error` (or what it wraps) is a lost database. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return errorCodes(error).some((code) => CONNECTION_CODES.has(code) || isUnavailableState(code));
}

export const DATABASE_RETRY_SECONDS = 2;

export function databaseUnavailable(): DomainError {
  return new DomainError(
    'unavailable',
    'The server cannot reach its database right now. Nothing was changed; try again in a moment.',
    undefined,
    DATABASE_RETRY_SECONDS,
  );
}
