/**
 * How a chat-list entry follows messages and read receipts, pure. Each change
 * may be applied twice (a list load in flight replays the events it may have
 * missed, see synced.ts), so each is idempotent: a message already counted in
 * `lastSeq` is not counted again.
 */
import type { ChatReadState, ChatSummary, MessageView } from '@chat/api';
import { attachmentsLabel } from './file-label';
import { plainText } from './markdown';
import { mentionsViewer } from './mentions';
import { systemLineText } from './system-line';
import { newerVersion } from './timeline';

/** The server stops counting here; the badge shows "99+". */
export const UNREAD_CAP = 100;

/** Who is looking: their id, and their username (for mentions). */
export interface Viewer {
  id: string;
  username: string;
}

/** A new message in the chat, the viewer's own or someone else's. */
export function withNewMessage(chat: ChatSummary, message: MessageView, me: Viewer | undefined): ChatSummary {
  if (message.seq <= chat.lastSeq) return withChangedMessage(chat, message);
  const own = message.senderId === me?.id;
  const { readState } = chat;
  const counts = !own && message.seq > readState.readSeq && !message.deletedAt;
  const unreadCount = own ? 0 : counts ? Math.min(UNREAD_CAP, readState.unreadCount + 1) : readState.unreadCount;
  // A reply to one of yours counts as a mention of you, as the server counts it (receipts.ts).
  const mentioned = counts && me !== undefined && mentionsViewer(message, me);
  const mentionCount = own ? 0 : mentioned ? Math.min(UNREAD_CAP, readState.mentionCount + 1) : readState.mentionCount;
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
          mentionCount,
        }
      : { ...readState, unreadCount, mentionCount },
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
  const newer = state.readSeq >= current.readSeq;
  let unreadCount = newer ? state.unreadCount : current.unreadCount;
  let mentionCount = newer ? state.mentionCount : current.mentionCount;
  if (readSeq >= chat.lastSeq) {
    unreadCount = 0;
    mentionCount = 0;
  }
  return { ...chat, readState: { deliveredSeq, readSeq, unreadCount, mentionCount } };
}

/** This device shows the chat read up to `seq` (the server is told; its answer follows by the stream). */
export function withReadLocally(chat: ChatSummary, seq: number): ChatSummary {
  const current = chat.readState;
  if (seq <= current.readSeq) return chat;
  const all = seq >= chat.lastSeq;
  return {
    ...chat,
    readState: {
      deliveredSeq: Math.max(current.deliveredSeq, seq),
      readSeq: seq,
      unreadCount: all ? 0 : current.unreadCount,
      mentionCount: all ? 0 : current.mentionCount,
    },
  };
}

/** "3", or "99+" at the server's cap. */
export function unreadBadge(count: number): string {
  return count >= UNREAD_CAP ? '99+' : String(count);
}

/** "Image", "3 images": what an image-only message says in the list. */
/** What the list says under a chat's name: the last message as one line of plain text, marks dropped. */
export function previewText(message: MessageView | null, myId: string | undefined): string {
  if (!message) return '';
  // A line about the group says who did what itself ("Ana added Ben", "You renamed the group…").
  if (message.system) return systemLineText(message.system, myId);
  const text =
    message.deletedAt || message.body === null
      ? 'Message deleted'
      : plainText(message.body) || attachmentsLabel(message.attachments); // no text: images or files only
  return message.senderId === myId ? `You: ${text}` : text;
}
