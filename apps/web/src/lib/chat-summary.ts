/**
 * How a chat-list entry follows messages and read receipts, pure. Each change
 * may be applied twice (a list load in flight replays the events it may have
 * missed, see synced.ts), so each is idempotent: a message already counted in
 * `lastSeq` is not counted again.
 */
import type { ChatReadState, ChatSummary, MessageView } from '@chat/api';
import { plainText } from './markdown';
import { newerVersion } from './timeline';

/** The server stops counting here; the badge shows "99+". */
export const UNREAD_CAP = 100;

/** A new message in the chat, `myId`'s own or someone else's. */
export function withNewMessage(chat: ChatSummary, message: MessageView, myId: string | undefined): ChatSummary {
  if (message.seq <= chat.lastSeq) return withChangedMessage(chat, message);
  const own = message.senderId === myId;
  const { readState } = chat;
  const unreadCount = own
    ? 0
    : message.seq > readState.readSeq && !message.deletedAt
      ? Math.min(UNREAD_CAP, readState.unreadCount + 1)
      : readState.unreadCount;
  return {
    ...chat,
    lastSeq: message.seq,
    lastMessage: message,
    lastActivityAt: new Date(Math.max(message.createdAt.getTime(), chat.lastActivityAt.getTime())),
    readState: own
      ? {
          deliveredSeq: Math.max(readState.deliveredSeq, message.seq),
          readSeq: Math.max(readState.readSeq, message.seq),
          unreadCount,
        }
      : { ...readState, unreadCount },
  };
}

/** An edit or delete: the preview follows when it is the last message. */
export function withChangedMessage(chat: ChatSummary, message: MessageView): ChatSummary {
  if (chat.lastMessage?.id !== message.id) return chat;
  const kept = newerVersion(chat.lastMessage, message);
  return kept === chat.lastMessage ? chat : { ...chat, lastMessage: kept };
}

/**
 * The user's own receipts changed (this device or another; from the stream,
 * in order, so the newest wins). Having read the last message means nothing
 * is unread.
 */
export function withReadState(chat: ChatSummary, state: ChatReadState): ChatSummary {
  const current = chat.readState;
  if (state.readSeq < current.readSeq && state.deliveredSeq <= current.deliveredSeq) return chat;
  const readSeq = Math.max(current.readSeq, state.readSeq);
  const deliveredSeq = Math.max(current.deliveredSeq, state.deliveredSeq, readSeq);
  let unreadCount = state.readSeq >= current.readSeq ? state.unreadCount : current.unreadCount;
  if (readSeq >= chat.lastSeq) unreadCount = 0;
  return { ...chat, readState: { deliveredSeq, readSeq, unreadCount } };
}

/** This device shows the chat read up to `seq` (the server is told; its answer follows by the stream). */
export function withReadLocally(chat: ChatSummary, seq: number): ChatSummary {
  const current = chat.readState;
  if (seq <= current.readSeq) return chat;
  const unreadCount = seq >= chat.lastSeq ? 0 : current.unreadCount;
  return {
    ...chat,
    readState: { deliveredSeq: Math.max(current.deliveredSeq, seq), readSeq: seq, unreadCount },
  };
}

/** "3", or "99+" at the server's cap. */
export function unreadBadge(count: number): string {
  return count >= UNREAD_CAP ? '99+' : String(count);
}

/** "Image", "3 images": what an image-only message says in the list. */
function imagesLabel(count: number): string {
  return count > 1 ? `${count} images` : 'Image';
}

/** What the list says under a chat's name: the last message as one line of plain text, marks dropped. */
export function previewText(message: MessageView | null, myId: string | undefined): string {
  if (!message) return '';
  const text =
    message.deletedAt || message.body === null
      ? 'Message deleted'
      : plainText(message.body) || imagesLabel(message.attachments.length); // no text: an image-only message
  return message.senderId === myId ? `You: ${text}` : text;
}
