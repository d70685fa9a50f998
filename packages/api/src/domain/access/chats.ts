/**
 * Who may see a chat (DESIGN.md invariant 6): its current members, nobody
 * else. Every procedure that takes a chat id starts here. A chat the caller
 * is not in gets the same answer as one that does not exist.
 */
import type { Chat, Executor } from '@chat/db';
import { chatMembers, chats } from '@chat/db';
import { and, eq, sql } from 'drizzle-orm';
import { forbidden, notFound } from '../../errors';

export const CHAT_NOT_FOUND = 'This chat does not exist, or you are not in it.';

export async function isMember(db: Executor, userId: string, chatId: string): Promise<boolean> {
  const [row] = await db
    .select({ chatId: chatMembers.chatId })
    .from(chatMembers)
    .where(and(eq(chatMembers.chatId, chatId), eq(chatMembers.userId, userId)));
  return row !== undefined;
}

/**
 * Serialises writers of one chat, and makes their transaction ids follow
 * that order. A row lock alone does not: a transaction can be given its id
 * while it waits, before the holder's, and then its events would sort
 * before the holder's in the stream (cursor.ts orders by transaction id) even
 * though it sent later. An advisory lock takes no transaction id, so the id
 * is assigned only once the lock is ours: ids rise with the lock order.
 * Call first in the transaction, before anything writes.
 */
async function lockChat(tx: Executor, chatId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`chat:${chatId}`}, 0))`);
  await tx.execute(sql`select pg_current_xact_id()`);
}

/**
 * Loads a chat the user is a member of. With `lock`, the chat is locked for
 * the rest of the transaction (see lockChat), serialising sends and
 * membership changes.
 */
export async function accessChat(
  db: Executor,
  userId: string,
  chatId: string,
  options: { lock?: boolean } = {},
): Promise<Chat> {
  if (options.lock) await lockChat(db, chatId);
  const query = db
    .select({ chat: chats })
    .from(chats)
    .innerJoin(chatMembers, and(eq(chatMembers.chatId, chats.id), eq(chatMembers.userId, userId)))
    .where(eq(chats.id, chatId));
  const [row] = options.lock ? await query.for('update', { of: chats }) : await query;
  if (!row) throw notFound(CHAT_NOT_FOUND);
  return row.chat;
}

export async function accessGroup(
  db: Executor,
  userId: string,
  chatId: string,
  options: { lock?: boolean } = {},
): Promise<Chat> {
  const chat = await accessChat(db, userId, chatId, options);
  if (chat.kind !== 'group') throw notFound(CHAT_NOT_FOUND);
  return chat;
}

/** A group the user owns; members who are not the owner are told so. */
export async function accessOwnedGroup(db: Executor, userId: string, chatId: string): Promise<Chat> {
  const chat = await accessGroup(db, userId, chatId, { lock: true });
  if (chat.ownerId !== userId) throw forbidden("Only the group's owner can do that.");
  return chat;
}
