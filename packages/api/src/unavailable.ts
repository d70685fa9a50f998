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
]);

/**
 * SQLSTATEs that mean "the database, not the request": class 08 (connection
 * exception), 57P01–57P03 (shut down, crash, cannot connect now), 53300 (too
 * many connections).
 */
function isUnavailableState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

/** True when `error` (or what it wraps: drizzle wraps the driver's error as `cause`) is a lost database. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 6 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || isUnavailableState(code))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
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
