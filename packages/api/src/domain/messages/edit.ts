/** Editing and deleting your own messages. A deleted message keeps its place; its text is gone. */
import { messages } from '@chat/db';
import { eq, sql } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { forbidden, invalid } from '../../errors';
import { accessMessage } from '../access/messages';
import { insertChatEvent, rewriteMessageEvents } from '../events/store';
import { type MessageView, toMessageView } from './view';

const DELETED = 'This message was deleted.';

export async function editMessage(deps: Deps, actorId: string, messageId: string, body: string): Promise<MessageView> {
  const outcome = await deps.db.transaction(async (tx) => {
    const { message } = await accessMessage(tx, actorId, messageId, { lock: true });
    if (message.senderId !== actorId) throw forbidden('You can only edit your own messages.');
    if (message.deletedAt) throw invalid(DELETED);
    if (message.body === body) return { message, changed: false };
    const [row] = await tx
      .update(messages)
      .set({ body, editedAt: sql`clock_timestamp()` })
      .where(eq(messages.id, messageId))
      .returning();
    if (!row) throw new Error('edited message vanished');
    const view = toMessageView(row);
    await rewriteMessageEvents(tx, view);
    await insertChatEvent(tx, row.chatId, 'message.edited', { message: view }, row.id);
    return { message: row, changed: true };
  });
  if (outcome.changed) deps.hub.announce();
  return toMessageView(outcome.message);
}

export async function deleteMessage(deps: Deps, actorId: string, messageId: string): Promise<MessageView> {
  const outcome = await deps.db.transaction(async (tx) => {
    const { message } = await accessMessage(tx, actorId, messageId, { lock: true });
    if (message.senderId !== actorId) throw forbidden('You can only delete your own messages.');
    if (message.deletedAt) return { message, changed: false };
    const [row] = await tx
      .update(messages)
      .set({ body: null, deletedAt: sql`clock_timestamp()` })
      .where(eq(messages.id, messageId))
      .returning();
    if (!row) throw new Error('deleted message vanished');
    const view = toMessageView(row);
    await rewriteMessageEvents(tx, view);
    await insertChatEvent(tx, row.chatId, 'message.deleted', { message: view }, row.id);
    return { message: row, changed: true };
  });
  if (outcome.changed) deps.hub.announce();
  return toMessageView(outcome.message);
}
