/** Editing and deleting your own messages. A deleted message keeps its place; its text is gone. */
import { messages, reactions } from '@chat/db';
import { eq, sql } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { forbidden, invalid } from '../../errors';
import { accessMessage } from '../access/messages';
import { checkMaySend } from '../access/writing';
import { insertChatEvent, rewriteMessageEvents, rewriteReplyQuotes } from '../events/store';
import { dropMessageUploads } from '../media/uploads';
import { checkWrittenByPerson, EMPTY_MESSAGE } from './rules';
import { loadMessageView, type MessageView } from './view';

const DELETED = 'This message was deleted.';

export async function editMessage(deps: Deps, actorId: string, messageId: string, body: string): Promise<MessageView> {
  const outcome = await deps.db.transaction(async (tx) => {
    const { chat, message } = await accessMessage(tx, actorId, messageId, { lock: true });
    checkWrittenByPerson(message);
    if (message.senderId !== actorId) throw forbidden('You can only edit your own messages.');
    // A read-only one-to-one chat takes no new words; deleting your own stays allowed.
    await checkMaySend(tx, chat, actorId);
    if (message.deletedAt) throw invalid(DELETED);
    const current = await loadMessageView(tx, message);
    if (body.trim().length === 0 && current.attachments.length === 0) throw invalid(EMPTY_MESSAGE, 'body');
    if (message.body === body) return { view: current, changed: false, blobs: [] };
    const [row] = await tx
      .update(messages)
      .set({ body, editedAt: sql`clock_timestamp()` })
      .where(eq(messages.id, messageId))
      .returning();
    if (!row) throw new Error('edited message vanished');
    const view = await loadMessageView(tx, row);
    await rewriteMessageEvents(tx, view);
    await rewriteReplyQuotes(tx, row.id);
    await insertChatEvent(tx, row.chatId, 'message.edited', { message: view }, row.id);
    return { view, changed: true };
  });
  if (outcome.changed) deps.hub.announce();
  return outcome.view;
}

export async function deleteMessage(deps: Deps, actorId: string, messageId: string): Promise<MessageView> {
  const outcome = await deps.db.transaction(async (tx) => {
    const { message } = await accessMessage(tx, actorId, messageId, { lock: true });
    checkWrittenByPerson(message);
    if (message.senderId !== actorId) throw forbidden('You can only delete your own messages.');
    if (message.deletedAt) return { view: await loadMessageView(tx, message), changed: false, blobs: [] };
    const blobs = await dropMessageUploads(tx, message.id);
    await tx.delete(reactions).where(eq(reactions.messageId, message.id));
    const [row] = await tx
      .update(messages)
      .set({ body: null, hasImage: false, deletedAt: sql`clock_timestamp()` })
      .where(eq(messages.id, messageId))
      .returning();
    if (!row) throw new Error('deleted message vanished');
    const view = await loadMessageView(tx, row);
    await rewriteMessageEvents(tx, view);
    await rewriteReplyQuotes(tx, row.id);
    await insertChatEvent(tx, row.chatId, 'message.deleted', { message: view }, row.id);
    return { view, changed: true, blobs };
  });
  if (outcome.changed) deps.hub.announce();
  // The images' bytes go once the delete has committed (a failure here leaves unreachable files, never broken messages).
  await deps.blobs
    .delete(outcome.blobs)
    .catch((error: unknown) => deps.log.warn({ err: error }, 'could not delete images'));
  return outcome.view;
}
