import { sql } from 'drizzle-orm';
import { bigserial, customType, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

/** PostgreSQL's 64-bit transaction id; carried as a decimal string. */
const xid8 = customType<{ data: string; driverData: string }>({
  dataType: () => 'xid8',
});

/**
 * The event log every live stream reads (DESIGN.md invariants 2-4).
 *
 * An event is addressed either to one user (`user_id`) or to every current
 * member of a chat (`chat_id`). Ids are handed out in commit order (writers
 * hold one lock until commit), so readers order by `id` alone; see
 * packages/api/src/domain/events/cursor.ts. `xid` is left from an earlier
 * scheme and is no longer read.
 */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    xid: xid8('xid').notNull().default(sql`pg_current_xact_id()`),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    chatId: uuid('chat_id'),
    /** For message events: the message, so deleting it can scrub its text from the log too. */
    messageId: uuid('message_id'),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull().$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('events_xid_id_idx').on(t.xid, t.id),
    index('events_user_xid_id_idx').on(t.userId, t.xid, t.id).where(sql`${t.userId} is not null`),
    index('events_chat_xid_id_idx').on(t.chatId, t.xid, t.id).where(sql`${t.chatId} is not null`),
    index('events_message_idx').on(t.messageId).where(sql`${t.messageId} is not null`),
    index('events_created_idx').on(t.createdAt),
  ],
);

export type EventRow = typeof events.$inferSelect;
