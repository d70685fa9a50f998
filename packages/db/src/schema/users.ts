import { sql } from 'drizzle-orm';
import { check, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** The status a user chooses (docs/presence.md, "Status"); "away" is also shown on its own after idle time. */
export const USER_STATUSES = ['available', 'away', 'dnd'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** As typed at registration; uniqueness is case-insensitive (index below). */
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    about: text('about').notNull().default(''),
    passwordHash: text('password_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    /** Chosen by the user, kept across devices and restarts. */
    status: text('status').$type<UserStatus>().notNull().default('available'),
  },
  (t) => [
    uniqueIndex('users_username_lower_key').on(sql`lower(${t.username})`),
    check('users_status_check', sql`${t.status} in ('available', 'away', 'dnd')`),
  ],
);

export type User = typeof users.$inferSelect;
