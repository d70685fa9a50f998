/**
 * "Seen by" for one message: which members have read it, which have received
 * it without reading it yet, and which have not received it, by name. Read
 * from the members' read markers (receipts.ts: one row per member and chat,
 * a message is read when its seq is at or below theirs), not from rows per
 * message: a 300-member group would otherwise write 300 rows per message.
 *
 * Groups send no event when only delivery moves (receipts.ts), so the client
 * asks here when the view opens for the delivered state as it is now; read
 * changes then reach it as `receipt.updated` events.
 */
import { chatMembers, chatReceipts, users } from '@chat/db';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { accessMessage } from '../access/messages';

export interface Reader {
  id: string;
  username: string;
  displayName: string;
}

export interface SeenBy {
  messageId: string;
  chatId: string;
  seq: number;
  /** Read it (their read marker is at or past it). */
  read: Reader[];
  /** Their clients have it; not read yet. */
  delivered: Reader[];
  /** Not on any of their devices yet. */
  waiting: Reader[];
}

/** Who of the chat's current members (other than its sender) has seen message `messageId`. Members only. */
export async function getSeenBy(deps: Pick<Deps, 'db'>, actorId: string, messageId: string): Promise<SeenBy> {
  const { chat, message } = await accessMessage(deps.db, actorId, messageId);
  const rows = await deps.db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      deliveredSeq: sql<number>`coalesce(${chatReceipts.deliveredSeq}, 0)`.mapWith(Number),
      readSeq: sql<number>`coalesce(${chatReceipts.readSeq}, 0)`.mapWith(Number),
    })
    .from(chatMembers)
    .innerJoin(users, eq(users.id, chatMembers.userId))
    .leftJoin(chatReceipts, and(eq(chatReceipts.chatId, chatMembers.chatId), eq(chatReceipts.userId, users.id)))
    .where(and(eq(chatMembers.chatId, chat.id), ne(chatMembers.userId, message.senderId)))
    .orderBy(asc(sql`lower(${users.displayName})`), asc(users.username));
  const out: SeenBy = { messageId, chatId: chat.id, seq: message.seq, read: [], delivered: [], waiting: [] };
  for (const { deliveredSeq, readSeq, ...reader } of rows) {
    if (readSeq >= message.seq) out.read.push(reader);
    else if (deliveredSeq >= message.seq) out.delivered.push(reader);
    else out.waiting.push(reader);
  }
  return out;
}
