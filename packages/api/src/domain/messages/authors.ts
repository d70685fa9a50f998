/**
 * The names behind a chat's history: the people who wrote or reacted in it,
 * members now or not. Someone who left a group keeps their name and avatar
 * on what they wrote (issue 24): a name in the history is part of the
 * message, not of the author's profile, which stays under its own rule
 * (access/profiles.ts). So a member of the chat may ask for exactly the
 * people found in that chat's messages or reactions, and for no one else.
 */
import { type Executor, messages, reactions, users } from '@chat/db';
import { and, inArray, or, sql } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { accessChat } from '../access/chats';

export interface Author {
  id: string;
  username: string;
  displayName: string;
}

/** How many people one request may ask about (a page of history has at most 100 senders). */
export const AUTHORS_MAX = 100;

async function readAuthors(db: Executor, chatId: string, userIds: string[]): Promise<Author[]> {
  // Each person's own rows (messages_sender_idx carries chat_id), not the chat's whole history.
  const wrote = sql`exists (select 1 from ${messages} where ${messages.senderId} = ${users.id} and ${messages.chatId} = ${chatId})`;
  const reacted = sql`exists (select 1 from ${reactions} where ${reactions.userId} = ${users.id} and ${reactions.chatId} = ${chatId})`;
  return db
    .select({ id: users.id, username: users.username, displayName: users.displayName })
    .from(users)
    .where(and(inArray(users.id, userIds), or(wrote, reacted)));
}

/** Who `userIds` are, among the people in `chatId`'s history; the others are left out. Members only. */
export async function listAuthors(
  deps: Pick<Deps, 'db'>,
  actorId: string,
  chatId: string,
  userIds: string[],
): Promise<Author[]> {
  await accessChat(deps.db, actorId, chatId);
  const wanted = [...new Set(userIds)];
  if (wanted.length === 0) return [];
  return readAuthors(deps.db, chatId, wanted);
}
