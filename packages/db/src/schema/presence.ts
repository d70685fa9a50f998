import { boolean, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

/**
 * Live server processes, each refreshing its heartbeat. Presence rows of a
 * process whose heartbeat has gone stale (it crashed) are cleared by the others.
 */
export const serverProcesses = pgTable('server_processes', {
  id: text('id').primaryKey(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Who is online: one row per user per process holding at least one of their streams. */
export const presence = pgTable(
  'presence',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    processId: text('process_id')
      .notNull()
      .references(() => serverProcesses.id, { onDelete: 'cascade' }),
    connections: integer('connections').notNull().default(1),
    since: timestamp('since', { withTimezone: true }).notNull().defaultNow(),
    /** Every stream of the user on this process comes from a tab without input for a while (docs/presence.md, "Status"). */
    idle: boolean('idle').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.userId, t.processId] })],
);
