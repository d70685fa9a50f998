import { chatMembers, chats, users } from '@chat/db';
import { eq, sql } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { notFound } from '../../errors';
import { areContacts } from '../contacts/pair';
import { insertUserEvent } from '../events/store';
import { summariseChat } from './summary';
import type { ChatSummary } from './view';

export const NO_DIRECT_CHAT = 'No chat with that user. You can chat with your contacts.';

export function directKey(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

/**
 * The one-to-one chat with `username`: the existing one (kept after the
 * contact is removed, for its history), or a new one if they are contacts.
 */
export async function openDirectChat(deps: Deps, actorId: string, username: string): Promise<ChatSummary> {
  const [peer] = await deps.db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username.trim()})`);
  if (!peer || peer.id === actorId) throw notFound(NO_DIRECT_CHAT);
  const key = directKey(actorId, peer.id);

  const [existing] = await deps.db.select().from(chats).where(eq(chats.directKey, key));
  if (existing) return summariseChat(deps.db, actorId, existing);
  if (!(await areContacts(deps.db, actorId, peer.id))) throw notFound(NO_DIRECT_CHAT);

  const created = await deps.db.transaction(async (tx) => {
    const [chat] = await tx
      .insert(chats)
      .values({ kind: 'direct', directKey: key, memberCount: 2 })
      .onConflictDoNothing()
      .returning();
    if (!chat) return undefined; // created concurrently by the other side: use theirs
    await tx.insert(chatMembers).values([
      { chatId: chat.id, userId: actorId },
      { chatId: chat.id, userId: peer.id },
    ]);
    for (const viewer of [actorId, peer.id]) {
      await insertUserEvent(tx, viewer, 'chat.joined', { chat: await summariseChat(tx, viewer, chat) });
    }
    return chat;
  });
  if (created) {
    deps.hub.announce();
    return summariseChat(deps.db, actorId, created);
  }
  const [raced] = await deps.db.select().from(chats).where(eq(chats.directKey, key));
  if (!raced) throw notFound(NO_DIRECT_CHAT);
  return summariseChat(deps.db, actorId, raced);
}
