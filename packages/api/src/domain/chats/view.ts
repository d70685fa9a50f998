/**
 * A chat as a member sees it in their list: what `chat.joined` carries and
 * `chat.list` returns. Types only, so the event types (events/types.ts) can
 * name it without importing how it is read (summary.ts).
 */
import type { MessageView } from '../messages/view';
import type { Profile } from '../profiles/summary';

/** The viewer's receipts in a chat, and their unread count in it (capped: messages/receipts.ts). */
export interface ChatReadState {
  deliveredSeq: number;
  readSeq: number;
  unreadCount: number;
  /** Of the unread messages, those that mention the viewer or everyone (messages/mentions.ts). */
  mentionCount: number;
}

/** A chat as one member sees it in their list. */
export interface ChatSummary {
  id: string;
  kind: 'direct' | 'group';
  /** Groups: the name. Direct chats: null (show the peer). */
  name: string | null;
  ownerId: string | null;
  memberCount: number;
  createdAt: Date;
  lastActivityAt: Date;
  /** Direct chats: the other person. */
  peer: Profile | null;
  /** The newest message's seq (0 when there is none). */
  lastSeq: number;
  lastMessage: MessageView | null;
  /** The viewer's receipts and unread count in this chat. */
  readState: ChatReadState;
  /** The viewer muted it: no sound or notification, except a mention of them (chats/mute.ts). */
  muted: boolean;
}
