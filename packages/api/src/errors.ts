/**
 * Errors the domain throws. Routers never build tRPC errors themselves: the
 * formatter in trpc.ts maps these to tRPC codes, keeping the message.
 */
export type DomainErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'too_large'
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** For `invalid`: which input field is wrong, so a form can show it there. */
    readonly field?: string,
    /** For `rate_limited`: seconds until the caller may try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (message: string, field?: string) => new DomainError('invalid', message, field);
export const unauthorized = (message = 'Please sign in.') => new DomainError('unauthorized', message);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const notFound = (message: string) => new DomainError('not_found', message);
export const conflict = (message: string, field?: string) => new DomainError('conflict', message, field);
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new DomainError('rate_limited', message, undefined, Math.max(1, Math.ceil(retryAfterSeconds)));
/** An upload past its size limit (HTTP 413, tRPC PAYLOAD_TOO_LARGE). */
export const tooLarge = (message: string, field?: string) => new DomainError('too_large', message, field);
/** Past a cap on what is held open at once: no wait helps until one of them closes, so no retry-after. */
export const tooMany = (message: string) => new DomainError('rate_limited', message);
