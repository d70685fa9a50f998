/**
 * Where a message link leads: the message's own chat, as the viewer sees it
 * (for a one-to-one chat, with the viewer's peer). The link's address names
 * a chat from whoever copied it (`/chats/@bob/…` is Alice's view of the chat
 * Bob calls `@alice`), so only the message can say which chat it is; access
 * is `accessMessage`'s, and a viewer outside the chat learns nothing.
 */
import type { Deps } from '../../deps';
import { accessMessage } from '../access/messages';
import { summariseChat } from '../chats/summary';
import type { ChatSummary } from '../chats/view';

export async function locateMessage(deps: Pick<Deps, 'db'>, actorId: string, messageId: string): Promise<ChatSummary> {
  const { chat } = await accessMessage(deps.db, actorId, messageId);
  return summariseChat(deps.db, actorId, chat);
}
