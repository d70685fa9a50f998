import { bigint, boolean, customType, pgTable } from 'drizzle-orm/pg-core';

const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/**
 * One row: the newest position removed from the event log by retention. A
 * stream resuming from before it gets a "resync" instead of a silent gap.
 */
export const eventLogFloor = pgTable('event_log_floor', {
  singleton: boolean('singleton').primaryKey().default(true),
  xid: xid8('xid').notNull(),
  id: bigint('id', { mode: 'number' }).notNull(),
});
