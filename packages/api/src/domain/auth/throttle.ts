import type { Database } from '@chat/db';
import { rateLimits } from '@chat/db';
import { RateLimiterDrizzle, type RateLimiterRes } from 'rate-limiter-flexible';
import { rateLimited } from '../../errors';

/**
 * Failed-login throttling per account and per address. The counters live in
 * PostgreSQL, so every server process sees the same ones.
 */
export interface LoginThrottle {
  /** Throws `rate_limited` when either counter is exhausted. */
  check(username: string, ipAddress: string): Promise<void>;
  recordFailure(username: string, ipAddress: string): Promise<void>;
  recordSuccess(username: string): Promise<void>;
}

export interface LoginThrottleOptions {
  perAccount?: number;
  perAddress?: number;
  windowSeconds?: number;
}

export function createLoginThrottle(db: Database, options: LoginThrottleOptions = {}): LoginThrottle {
  const duration = options.windowSeconds ?? 15 * 60;
  const common = { storeClient: db, schema: rateLimits, duration, clearExpiredByTimeout: false } as const;
  const account = new RateLimiterDrizzle({ ...common, keyPrefix: 'login_account', points: options.perAccount ?? 10 });
  const address = new RateLimiterDrizzle({ ...common, keyPrefix: 'login_address', points: options.perAddress ?? 50 });
  const accountKey = (username: string) => username.trim().toLowerCase();

  const refuse = (res: RateLimiterRes) =>
    rateLimited('Too many failed sign-in attempts. Try again later.', res.msBeforeNext / 1000);

  return {
    async check(username, ipAddress) {
      const [a, b] = await Promise.all([account.get(accountKey(username)), address.get(ipAddress)]);
      if (a && a.consumedPoints >= account.points) throw refuse(a);
      if (b && b.consumedPoints >= address.points) throw refuse(b);
    },
    async recordFailure(username, ipAddress) {
      // `penalty` adds points without rejecting once the limit is passed.
      await Promise.all([account.penalty(accountKey(username)), address.penalty(ipAddress)]);
    },
    async recordSuccess(username) {
      await account.delete(accountKey(username));
    },
  };
}
