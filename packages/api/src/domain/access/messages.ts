/**
 * Who may see a message: whoever may see its chat (access/chats.ts). A
 * message in a chat the caller is not in gets the same answer as one that
 * does not exist.
 */
import type { Chat, Executor, Message } from '@chat/db';
import { messages } from '@chat/db';
import { eq } from 'drizzle-orm';
import { notFound } from '../../errors';
import { accessChat } from './chats';

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
  if (!options.lock) return { chat, message };
  // Re-read under the chat's lock: an edit or delete may have committed meanwhile.
  const [fresh] = await db.select().from(messages).where(eq(messages.id, messageId));
  if (!fresh) throw notFound(MESSAGE_NOT_FOUND);
  return { chat, message: fresh };
}
