import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { chats } from './chats';
import { messages } from './messages';
import { users } from './users';

/**
 * An image or any other file uploaded into a chat, bound to its uploader and
 * chat. It is attached to at most one message; one never attached is removed
 * after a while (with its blobs). An image is re-encoded (blobs
 * `images/<id>` and a thumbnail); a file keeps its bytes as given
 * (`files/<id>`) and is only ever served as a download (docs/media.md).
 */
export const uploads = pgTable(
  'uploads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    uploaderId: uuid('uploader_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    chatId: uuid('chat_id')
      .notNull()
      .references(() => chats.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'cascade' }),
    /** Order within its message. */
    position: integer('position').notNull().default(0),
    /** `image` (re-encoded, shown inline) or `file` (bytes as given, download only). */
    kind: text('kind', { enum: ['image', 'file'] })
      .notNull()
      .default('image'),
    /**
     * An image: its re-encoded type (image/jpeg, image/png, image/gif or
     * image/webp). A file: the type its bytes were sniffed as (shown, never
     * sent as the served Content-Type unless on the safe list), else
     * application/octet-stream.
     */
    contentType: text('content_type').notNull(),
    /** The name the user gave it, cleaned (shown and offered on download), not trusted for anything else. */
    fileName: text('file_name').notNull(),
    bytes: integer('bytes').notNull(),
    /** An image's size in pixels and its thumbnail's; 0 for a file. */
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    thumbWidth: integer('thumb_width').notNull(),
    thumbHeight: integer('thumb_height').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('uploads_message_idx').on(t.messageId, t.position).where(sql`${t.messageId} is not null`),
    index('uploads_unattached_idx').on(t.createdAt).where(sql`${t.messageId} is null`),
    check('uploads_kind_check', sql`${t.kind} in ('image', 'file')`),
  ],
);

/** One emoji from one member on one message; the same again removes it. */
export const reactions = pgTable(
  'reactions',
  {
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    emoji: text('emoji').notNull(),
    /** Kept with the chat's other rows (DESIGN.md, scaling out). */
    chatId: uuid('chat_id')
      .notNull()
      .references(() => chats.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.userId, t.emoji] })],
);

export type Upload = typeof uploads.$inferSelect;
export type Reaction = typeof reactions.$inferSelect;
