import type { RateLimits } from '../limits/limiter';

/**
 * Failed-login throttling per account and per address, on the shared rate
 * limits (counted in PostgreSQL, so every server process sees the same ones).
 * Only failures count; a success clears the account's count.
 */
export interface LoginThrottle {
  /** Throws `rate_limited` when either counter is exhausted. */
  check(username: string, ipAddress: string): Promise<void>;
  recordFailure(username: string, ipAddress: string): Promise<void>;
  recordSuccess(username: string): Promise<void>;
}

const accountKey = (username: string) => username.trim().toLowerCase();

export function createLoginThrottle(limits: RateLimits): LoginThrottle {
  return {
    async check(username, ipAddress) {
      await limits.check('login.account', accountKey(username));
      await limits.check('login.address', ipAddress);
    },
    async recordFailure(username, ipAddress) {
      await Promise.all([
        limits.penalize('login.account', accountKey(username)),
        limits.penalize('login.address', ipAddress),
      ]);
    },
    async recordSuccess(username) {
      await limits.reset('login.account', accountKey(username));
    },
  };
}
