import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './users';

export const GROUP_MEMBER_LIMIT = 300;

/**
 * A conversation: `direct` (exactly two members, one chat per pair, found by
 * `direct_key`) or `group` (named, with an owner, up to 300 members).
 */
export const chats = pgTable(
  'chats',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['direct', 'group'] }).notNull(),
    name: text('name'),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    /** For direct chats: the two user ids, sorted and joined by ':'. */
    directKey: text('direct_key'),
    /** Kept in step with chat_members by the domain; the 300 limit is enforced on it atomically. */
    memberCount: integer('member_count').notNull().default(0),
    /** The newest message's seq; the next send takes lastSeq + 1 under this row's lock. */
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('chats_direct_key_key').on(t.directKey),
    check('chats_member_limit', sql`${t.memberCount} <= ${sql.raw(String(GROUP_MEMBER_LIMIT))}`),
    check('chats_kind_shape', sql`(${t.kind} = 'direct') = (${t.directKey} is not null)`),
  ],
);

export const chatMembers = pgTable(
  'chat_members',
  {
    chatId: uuid('chat_id')
      .notNull()
      .references(() => chats.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    /** The member muted the chat: no sound or notification for it, except a mention of them. */
    muted: boolean('muted').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.chatId, t.userId] }), index('chat_members_user_idx').on(t.userId, t.chatId)],
);

export type Chat = typeof chats.$inferSelect;
export type ChatMember = typeof chatMembers.$inferSelect;
