/**
 * Who may see a chat (DESIGN.md invariant 6): its current members, nobody
 * else. Every procedure that takes a chat id starts here. A chat the caller
 * is not in gets the same answer as one that does not exist.
 */
import type { Chat, Executor } from '@chat/db';
import { chatMembers, chats } from '@chat/db';
import { and, eq, type Placeholder, type SQL, sql } from 'drizzle-orm';
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
 * The membership check itself: the user is a member of the chat. Every
 * chat access asks exactly this: `chatAccessQuery` below, and the send
 * statement (messages/send-statement.ts), which asks it of many (user, chat)
 * pairs at once, its arguments being columns there.
 */
export function isMemberCondition(userId: string | Placeholder | SQL, chatId: string | Placeholder | SQL): SQL {
  return sql`exists (select 1 from ${chatMembers} where ${chatMembers.chatId} = ${chatId} and ${chatMembers.userId} = ${userId})`;
}

/**
 * The membership check as a query: the chat's row if the user is a member.
 * `accessChat` runs it.
 */
export function chatAccessQuery(
  db: Executor,
  /** Values, or placeholders of a statement built once (the text send). */
  userId: string | Placeholder,
  chatId: string | Placeholder,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select({ chat: chats })
    .from(chats)
    .where(and(eq(chats.id, chatId), isMemberCondition(userId, chatId)));
  return options.lock ? query.for('update', { of: chats }) : query;
}

/**
 * Loads a chat the user is a member of. With `lock`, the chat row is locked
 * for the rest of the transaction, serialising sends (the seq) and
 * membership changes.
 */
export async function accessChat(
  db: Executor,
  userId: string,
  chatId: string,
  options: { lock?: boolean } = {},
): Promise<Chat> {
  const [row] = await chatAccessQuery(db, userId, chatId, options);
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

/** What search needs of a chat the user may read. */
export type ReadableChat = Pick<Chat, 'id' | 'kind' | 'name' | 'lastSeq'>;

/** Every chat the user may read now: their memberships (search reads across all of them). */
export async function listReadableChats(db: Executor, userId: string): Promise<ReadableChat[]> {
  return db
    .select({ id: chats.id, kind: chats.kind, name: chats.name, lastSeq: chats.lastSeq })
    .from(chats)
    .innerJoin(chatMembers, and(eq(chatMembers.chatId, chats.id), eq(chatMembers.userId, userId)));
}
