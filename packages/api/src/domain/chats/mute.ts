/**
 * Muting a chat: the member's own setting, kept with their membership. A
 * muted chat makes no sound or desktop notification on their devices, except
 * a message that mentions them; its unread count still shows, in grey. Their
 * other devices learn of it by `chat.muted`.
 */
import { chatMembers } from '@chat/db';
import { and, eq } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { accessChat } from '../access/chats';
import { insertUserEvent } from '../events/store';

export async function setChatMuted(
  deps: Deps,
  actorId: string,
  chatId: string,
  muted: boolean,
): Promise<{ chatId: string; muted: boolean }> {
  await deps.db.transaction(async (tx) => {
    // The one membership check: a stranger learns nothing, changes nothing.
    await accessChat(tx, actorId, chatId);
    const [before] = await tx
      .select({ muted: chatMembers.muted })
      .from(chatMembers)
      .where(and(eq(chatMembers.chatId, chatId), eq(chatMembers.userId, actorId)))
      .for('update');
    if (before?.muted === muted) return;
    await tx
      .update(chatMembers)
      .set({ muted })
      .where(and(eq(chatMembers.chatId, chatId), eq(chatMembers.userId, actorId)));
    await insertUserEvent(tx, actorId, 'chat.muted', { chatId, muted });
  });
  deps.hub.announce();
  return { chatId, muted };
}
