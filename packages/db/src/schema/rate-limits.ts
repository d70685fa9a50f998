import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Counters shared by every server process, in rate-limiter-flexible's RateLimiterDrizzle layout. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  points: integer('points').notNull().default(0),
  expire: timestamp('expire', { withTimezone: true, mode: 'date' }),
});
