/**
 * The chat list: the signed-in user's one-to-one chats and groups, most
 * recent activity first. Kept current by events: `chat.joined` adds,
 * `chat.left` removes, renames, owners and peers' profiles update an entry in
 * place, and messages and the user's own receipts move its preview, unread
 * count and place (lib/chat-summary.ts).
 */
import type { ChatSummary, MessageView, Profile } from '@chat/api';
import { createMemo, createRoot } from 'solid-js';
import { withChangedMessage, withNewMessage, withReadLocally, withReadState } from '../lib/chat-summary';
import { type Change, createSynced } from '../lib/synced';
import { api } from '../lib/trpc';
import { onEvents } from './events';
import { currentUser } from './session';
import { keepStoreInSync } from './sync';

const list = createSynced<ChatSummary[]>([], () => api.chats.list.query());
keepStoreInSync(list);

export const chatList = list.value;
export const chatListStatus = list.status;
export const reloadChatList = list.reload;

const newestFirst = (a: ChatSummary, b: ChatSummary) =>
  b.lastActivityAt.getTime() - a.lastActivityAt.getTime() || b.createdAt.getTime() - a.createdAt.getTime();

// --- Changes (each idempotent) ----------------------------------------------

const withChat =
  (chat: ChatSummary): Change<ChatSummary[]> =>
  (chats) =>
    [...chats.filter((c) => c.id !== chat.id), chat].sort(newestFirst);

const withoutChat =
  (chatId: string): Change<ChatSummary[]> =>
  (chats) =>
    chats.filter((c) => c.id !== chatId);

/**
 * One chat changed in the list; the same list when nothing changed (the chat is
 * not in it, or the edit kept it), so nothing that reads the list runs again.
 * A new list each time looped: a page still open on a group the user was just
 * removed from marked its messages read, which edited the list, which re-ran
 * the marking (stack overflow, before the page could say "You are no longer in
 * this group").
 */
const editChat =
  (chatId: string, edit: (chat: ChatSummary) => ChatSummary): Change<ChatSummary[]> =>
  (chats) => {
    let changed = false;
    const next = chats.map((c) => {
      if (c.id !== chatId) return c;
      const edited = edit(c);
      if (edited !== c) changed = true;
      return edited;
    });
    return changed ? next : chats;
  };

const withPeer =
  (profile: Profile): Change<ChatSummary[]> =>
  (chats) =>
    chats.map((c) => (c.peer?.id === profile.id ? { ...c, peer: profile } : c));

const withMessage =
  (message: MessageView): Change<ChatSummary[]> =>
  (chats) =>
    chats
      .map((c) => (c.id === message.chatId ? withNewMessage(c, message, currentUser() ?? undefined) : c))
      .sort(newestFirst);

const withEditedMessage =
  (message: MessageView): Change<ChatSummary[]> =>
  (chats) =>
    chats.map((c) => (c.id === message.chatId ? withChangedMessage(c, message) : c));

onEvents({
  'chat.joined': (e) => list.update(withChat(e.payload.chat)),
  'chat.left': (e) => list.update(withoutChat(e.payload.chatId)),
  'chat.renamed': (e) => renameInList(e.payload.chatId, e.payload.name),
  'chat.owner_changed': (e) => list.update(editChat(e.payload.chatId, (c) => ({ ...c, ownerId: e.payload.ownerId }))),
  'chat.muted': (e) => list.update(editChat(e.payload.chatId, (c) => ({ ...c, muted: e.payload.muted }))),
  'profile.updated': (e) => list.update(withPeer(e.payload.profile)),
  'message.created': (e) => list.update(withMessage(e.payload.message)),
  'message.edited': (e) => list.update(withEditedMessage(e.payload.message)),
  'message.deleted': (e) => list.update(withEditedMessage(e.payload.message)),
  'receipt.updated': ({ payload: { chatId, userId, ...state } }) => {
    if (userId === currentUser()?.id) list.update(editChat(chatId, (c) => withReadState(c, state)));
  },
});

/** Unread messages over all chats (each counted up to the server's cap), for the tab title. */
export const unreadTotal = createRoot(() =>
  createMemo(() => chatList().reduce((sum, c) => sum + c.readState.unreadCount, 0)),
);

// --- Reads and actions -------------------------------------------------------

export function findChat(chatId: string): ChatSummary | undefined {
  return chatList().find((c) => c.id === chatId);
}

/** Takes a chat the server just returned into the list (its `chat.joined` may follow). */
export function rememberChat(chat: ChatSummary): void {
  list.update(withChat(chat));
}

/** A message the server just stored for this user (its `message.created` follows). */
export function noteSentMessage(message: MessageView): void {
  list.update(withMessage(message));
}

/** The open chat is on screen up to `seq`: its badge goes at once, before the server answers. */
export function markReadInList(chatId: string, seq: number): void {
  list.update(editChat(chatId, (c) => withReadLocally(c, seq)));
}

export function renameInList(chatId: string, name: string): void {
  list.update(editChat(chatId, (c) => ({ ...c, name })));
}

/**
 * Mutes or unmutes a chat for this user: shown at once, put back if the
 * server refuses (its `chat.muted` tells the user's other devices).
 */
export async function setChatMuted(chatId: string, muted: boolean): Promise<void> {
  const before = findChat(chatId)?.muted;
  list.update(editChat(chatId, (c) => ({ ...c, muted })));
  try {
    await api.chats.setMuted.mutate({ chatId, muted });
  } catch (error) {
    if (before !== undefined) list.update(editChat(chatId, (c) => ({ ...c, muted: before })));
    throw error;
  }
}

/** Drops a chat the user has just left or deleted (its `chat.left` follows). */
export function forgetChat(chatId: string): void {
  list.update(withoutChat(chatId));
}

/** The one-to-one chat with `username` (created on first open between contacts). */
export async function openDirectChat(username: string): Promise<ChatSummary> {
  const chat = await api.chats.direct.mutate({ username });
  // Only add it when new to the list: the list's copy is kept current, the answer may be older.
  if (!findChat(chat.id)) rememberChat(chat);
  return chat;
}

/** The chat a message is in, as this user sees it (message links open there). */
export function locateMessage(messageId: string): Promise<ChatSummary> {
  return api.message.locate.query({ messageId });
}

export async function createGroup(name: string, userIds: string[]): Promise<ChatSummary> {
  const chat = await api.groups.create.mutate({ name, userIds });
  rememberChat(chat);
  return chat;
}

/** What a chat is called in the list and its header. */
export function chatTitle(chat: Pick<ChatSummary, 'kind' | 'name' | 'peer'>): string {
  if (chat.kind === 'group') return chat.name ?? 'Unnamed group';
  return chat.peer?.displayName ?? 'Unknown user';
}

/** Where a chat lives: `/chats/@alice` or `/groups/<id>`. */
export function chatPath(chat: Pick<ChatSummary, 'id' | 'kind' | 'peer'>): string {
  if (chat.kind === 'direct' && chat.peer) return `/chats/@${chat.peer.username}`;
  return `/groups/${chat.id}`;
}
