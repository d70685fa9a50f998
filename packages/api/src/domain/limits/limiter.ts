import type { Database } from '@chat/db';
import { rateLimits } from '@chat/db';
import { lt, type SQL, sql } from 'drizzle-orm';
import { RateLimiterDrizzle, RateLimiterRes } from 'rate-limiter-flexible';
import { type DomainError, rateLimited } from '../../errors';
import { RATE_LIMIT_MESSAGES, RATE_LIMIT_NAMES, type RateLimitName, type RateLimitRules } from './rules';

/**
 * Per-key rate limits, counted in PostgreSQL so every server process shares
 * them: rate-limiter-flexible's Drizzle store, one row per (limit, key) and
 * window, counted by one atomic `INSERT … ON CONFLICT DO UPDATE … RETURNING`.
 * A check is one primary-key upsert: a flood from one key costs the others
 * nothing but that row's writes.
 */
export interface RateLimits {
  readonly rules: RateLimitRules;
  /** Counts one action; throws `rate_limited` (with seconds to wait) past the limit. */
  consume(name: RateLimitName, key: string): Promise<void>;
  /** Throws `rate_limited` if the key is already at the limit, without counting. */
  check(name: RateLimitName, key: string): Promise<void>;
  /** Counts one action without refusing (e.g. a failed sign-in, already answered). */
  penalize(name: RateLimitName, key: string): Promise<void>;
  /** Forgets the key's count (e.g. after a successful sign-in). */
  reset(name: RateLimitName, key: string): Promise<void>;
  /** Deletes counters whose window ended before `before`; returns how many. */
  prune(before: Date): Promise<number>;
  /**
   * The very counter `consume` keeps (same rows, same arithmetic:
   * rate-limiter-flexible's fixed-window upsert), for a statement that
   * counts and acts at once, saving the action its own round trip and commit
   * (the send statement: docs/send-path.md). `keys` is a query of
   * `(key text, n int)` rows, one per key (`limitKey`), each counted `n`
   * times; rows are locked in key order, so two statements never deadlock.
   * Returns `key, points, expire`; the i-th of a key's `n` actions is within
   * the limit when `points - n + i <= limitPoints`. Its values are
   * placeholders (the statement is built once: `prepareStatement`), filled by
   * `counterValues`.
   */
  counters(keys: SQL): SQL;
  counterValues(name: RateLimitName): CounterValues;
  limitKey(name: RateLimitName, key: string): string;
  /** The error `consume` throws, for a counter that a statement found past its limit. */
  refusal(name: RateLimitName, expire: Date): DomainError;
}

/** The placeholders of `RateLimits.counter`. */
export interface CounterValues {
  limitNow: string;
  limitNext: string;
  limitPoints: number;
}

const placeholder = (name: keyof CounterValues) => sql.placeholder(name);

export function createRateLimits(db: Database, rules: RateLimitRules): RateLimits {
  const limiters = new Map(
    RATE_LIMIT_NAMES.map((name) => [
      name,
      new RateLimiterDrizzle({
        storeClient: db,
        schema: rateLimits,
        keyPrefix: name,
        points: rules[name].points,
        duration: rules[name].seconds,
        clearExpiredByTimeout: false,
      }),
    ]),
  );
  const limiter = (name: RateLimitName): RateLimiterDrizzle => {
    const l = limiters.get(name);
    if (!l) throw new Error(`no rate limit named ${name}`);
    return l;
  };
  const refuse = (name: RateLimitName, res: RateLimiterRes) =>
    rateLimited(RATE_LIMIT_MESSAGES[name], Math.max(res.msBeforeNext, 0) / 1000);

  return {
    rules,
    async consume(name, key) {
      try {
        await limiter(name).consume(key);
      } catch (error) {
        if (error instanceof RateLimiterRes) throw refuse(name, error);
        throw error;
      }
    },
    async check(name, key) {
      const res = await limiter(name).get(key);
      if (res && res.consumedPoints >= rules[name].points) throw refuse(name, res);
    },
    async penalize(name, key) {
      await limiter(name).penalty(key);
    },
    async reset(name, key) {
      await limiter(name).delete(key);
    },
    counters(keys) {
      const now = sql`${placeholder('limitNow')}::timestamptz`;
      const next = sql`${placeholder('limitNext')}::timestamptz`;
      return sql`insert into ${rateLimits} (key, points, expire)
        select k.key, k.n, ${next} from (${keys}) as k(key, n) order by k.key
        on conflict (key) do update set
          points = case when ${rateLimits.expire} <= ${now} then excluded.points else ${rateLimits.points} + excluded.points end,
          expire = case when ${rateLimits.expire} <= ${now} then ${next} else ${rateLimits.expire} end
        returning key, points, expire`;
    },
    limitKey(name, key) {
      return limiter(name).getKey(key);
    },
    counterValues(name) {
      // The library's own clock (real time), not deps.clock: the statement
      // and `consume` count in the same rows, so their windows must agree.
      const at = Date.now();
      return {
        limitNow: new Date(at).toISOString(),
        limitNext: new Date(at + rules[name].seconds * 1000).toISOString(),
        limitPoints: rules[name].points,
      };
    },
    refusal(name, expire) {
      return refuse(name, new RateLimiterRes(0, expire.getTime() - Date.now()));
    },
    async prune(before) {
      const rows = await db.delete(rateLimits).where(lt(rateLimits.expire, before)).returning({ key: rateLimits.key });
      return rows.length;
    },
  };
}
