/**
 * What a reply shows of the message it answers: its author, the first line
 * of its text (or that it is an image), and whether it was deleted. Resolved
 * whenever a message is read (history, a message in context, search, the
 * retry's answer), so an edited original shows its new text and a deleted
 * one shows as deleted. The `message.created` event carries the quote as it
 * was at send time; when the original changes, its replies' stored events
 * get the new quote (`rewriteReplyQuotes`, events/store.ts: a deleted text
 * leaves the log), and a live client updates the quotes it holds from the
 * original's `message.edited` / `message.deleted` event (docs/send-path.md,
 * "Replies").
 */
import { type Executor, messages, uploads } from '@chat/db';
import { eq, inArray, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';

export interface ReplyQuote {
  /** The original's id: where the quote leads. */
  messageId: string;
  senderId: string;
  /**
   * The first non-blank line of the original's text as it is now (at most
   * `QUOTE_MAX` characters, markdown marks as typed); "" for images only;
   * null once deleted.
   */
  text: string | null;
  /** The original has images (false once deleted). */
  hasImage: boolean;
  deleted: boolean;
  /** The name of the original's first file, for a quote of files without text (null without files, or once deleted). */
  fileName: string | null;
}

export const QUOTE_MAX = 200;

/** The quote's line, written once for the send statement and for reads: first non-blank line, cut. */
export function quoteTextSql(body: SQL): SQL {
  const blanks = sql`chr(32) || chr(9) || chr(13) || chr(10)`;
  return sql`left(rtrim(split_part(btrim(${body}, ${blanks}), chr(10), 1), chr(13)), ${sql.raw(String(QUOTE_MAX))})`;
}

/** The name of the first file of the message `o` (by its attachments' index), or null. */
function firstFileNameSql(o: SQL): SQL {
  return sql`(case when ${o}.deleted_at is null then (select u.file_name from ${uploads} u
    where u.message_id = ${o}.id and u.kind = 'file' order by u.position limit 1) end)`;
}

/** The quote as JSON (a `ReplyQuote`), from `o`, a relation with the messages table's columns. */
export function replyQuoteJsonSql(o: SQL): SQL {
  return sql`jsonb_build_object('messageId', ${o}.id, 'senderId', ${o}.sender_id,
    'text', ${quoteTextSql(sql`${o}.body`)}, 'hasImage', ${o}.has_image, 'deleted', ${o}.deleted_at is not null,
    'fileName', ${firstFileNameSql(o)})`;
}

const original = alias(messages, 'original');

/** The quotes of the replies among `messageIds`, by reply id: one query for any number. */
export async function loadQuotes(db: Executor, messageIds: string[]): Promise<Map<string, ReplyQuote>> {
  if (messageIds.length === 0) return new Map();
  const rows = await db
    .select({
      replyId: messages.id,
      messageId: original.id,
      senderId: original.senderId,
      text: sql<string | null>`${quoteTextSql(sql`${original.body}`)}`,
      hasImage: original.hasImage,
      deleted: sql<boolean>`${original.deletedAt} is not null`,
      fileName: sql<string | null>`${firstFileNameSql(sql`${original}`)}`,
    })
    .from(messages)
    .innerJoin(original, eq(original.id, messages.replyToId))
    .where(inArray(messages.id, messageIds));
  return new Map(rows.map(({ replyId, ...quote }) => [replyId, { ...quote, deleted: Boolean(quote.deleted) }]));
}
