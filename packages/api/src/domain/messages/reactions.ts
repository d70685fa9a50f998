/** Emoji reactions: set or cleared explicitly, so a repeated or concurrent request changes nothing twice. */
import { reactions } from '@chat/db';
import { and, countDistinct, eq } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { invalid } from '../../errors';
import { accessMessage } from '../access/messages';
import { checkMaySend } from '../access/writing';
import { insertChatEvent } from '../events/store';
import { checkWrittenByPerson } from './rules';
import { loadReactions, type ReactionView } from './view';

/** Distinct emoji one person may put on one message. */
export const MAX_REACTIONS_PER_PERSON = 20;

export interface ReactInput {
  messageId: string;
  emoji: string;
  /** true: add this emoji (no-op if there); false: take it away (no-op if not). */
  on: boolean;
}

/** Returns the message's reactions after the change. */
export async function setReaction(deps: Deps, actorId: string, input: ReactInput): Promise<ReactionView[]> {
  const outcome = await deps.db.transaction(async (tx) => {
    const { chat, message } = await accessMessage(tx, actorId, input.messageId);
    checkWrittenByPerson(message);
    if (message.deletedAt) throw invalid('This message was deleted.');
    // Adding one is writing (access/writing.ts); taking your own away stays allowed.
    if (input.on) await checkMaySend(tx, chat, actorId);
    const mine = and(eq(reactions.messageId, message.id), eq(reactions.userId, actorId));
    let changed: boolean;
    if (input.on) {
      const [count] = await tx
        .select({ n: countDistinct(reactions.emoji) })
        .from(reactions)
        .where(mine);
      if ((count?.n ?? 0) >= MAX_REACTIONS_PER_PERSON) {
        throw invalid(`You can add at most ${MAX_REACTIONS_PER_PERSON} different reactions to one message.`, 'emoji');
      }
      const added = await tx
        .insert(reactions)
        .values({ messageId: message.id, userId: actorId, emoji: input.emoji, chatId: message.chatId })
        .onConflictDoNothing()
        .returning({ emoji: reactions.emoji });
      changed = added.length > 0;
    } else {
      const removed = await tx
        .delete(reactions)
        .where(and(mine, eq(reactions.emoji, input.emoji)))
        .returning({ emoji: reactions.emoji });
      changed = removed.length > 0;
    }
    if (changed) {
      await insertChatEvent(
        tx,
        message.chatId,
        'reaction.updated',
        { chatId: message.chatId, messageId: message.id, emoji: input.emoji, userId: actorId, on: input.on },
        message.id,
      );
    }
    return { changed, list: (await loadReactions(tx, [message.id])).get(message.id) ?? [] };
  });
  if (outcome.changed) deps.hub.announce();
  return outcome.list;
}
