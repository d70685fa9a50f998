/** Presence and typing, behind the same checks as everything else (DESIGN.md invariant 6). */
import type { Deps } from '../../deps';
import { accessChat } from '../access/chats';
import { listProfileViewers } from '../access/profiles';
import { checkMaySend } from '../access/writing';
import type { PresenceState } from './state';

/** Online state of everyone the actor may see (contacts and co-members). */
export async function listPresence(deps: Deps, actorId: string): Promise<PresenceState[]> {
  // Seeing is symmetric (contacts are mutual; sharing a chat is shared), so the
  // people who may see the actor are exactly the people the actor may see.
  const visible = await listProfileViewers(deps.db, actorId);
  return deps.presence.states(visible);
}

/** Tells the chat's other members that the actor is typing in it. */
export async function signalTyping(deps: Deps, actorId: string, chatId: string): Promise<void> {
  const chat = await accessChat(deps.db, actorId, chatId);
  await checkMaySend(deps.db, chat, actorId);
  await deps.presence.typing(actorId, chatId);
}
