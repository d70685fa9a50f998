/**
 * Who may see a message: whoever may see its chat (access/chats.ts). A
 * message in a chat the caller is not in gets the same answer as one that
 * does not exist. A group's line (a message with `system` set) is seen only
 * by those who were members when it was written: not by someone who joined
 * after it (docs/group-lines.md, "Who reads a line").
 */
import type { Chat, Executor, Message } from '@chat/db';
import { chatMembers, messages } from '@chat/db';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { notFound } from '../../errors';
import { accessChat } from './chats';

/**
 * The line rule as a condition on a row of `messages`: a person's message, or
 * a line written at or after the viewer joined (a line and the membership
 * change it describes share their transaction's time, so whoever is added
 * reads the line about their adding).
 */
export function visibleLineCondition(viewerId: string | SQL): SQL {
  return sql`(${messages.system} is null or ${messages.createdAt} >= (select ${chatMembers.joinedAt} from ${chatMembers}
    where ${chatMembers.chatId} = ${messages.chatId} and ${chatMembers.userId} = ${viewerId}))`;
}

async function joinedAt(db: Executor, userId: string, chatId: string): Promise<Date | undefined> {
  const [row] = await db
    .select({ joinedAt: chatMembers.joinedAt })
    .from(chatMembers)
    .where(and(eq(chatMembers.chatId, chatId), eq(chatMembers.userId, userId)));
  return row?.joinedAt;
}

export const MESSAGE_NOT_FOUND = 'This message does not exist, or you cannot see it.';

export async function accessMessage(
  db: Executor,
  userId: string,
  messageId: string,
  options: { lock?: boolean } = {},
): Promise<{ chat: Chat; message: Message }> {
  const [message] = await db.select().from(messages).where(eq(messages.id, messageId));
  if (!message) throw notFound(MESSAGE_NOT_FOUND);
  const chat = await accessChat(db, userId, message.chatId, options).catch(() => {
    throw notFound(MESSAGE_NOT_FOUND);
  });
  if (message.system !== null) {
    const joined = await joinedAt(db, userId, message.chatId);
    if (!joined || message.createdAt < joined) throw notFound(MESSAGE_NOT_FOUND);
  }
  if (!options.lock) return { chat, message };
  // Re-read under the chat's lock: an edit or delete may have committed meanwhile.
  const [fresh] = await db.select().from(messages).where(eq(messages.id, messageId));
  if (!fresh) throw notFound(MESSAGE_NOT_FOUND);
  return { chat, message: fresh };
}
