/**
 * Every event a user's stream can carry, by type. Later issues add types here;
 * the stream, the hub and the client pick them up from this one map.
 */
import type { ChatSummary } from '../chats/view';
import type { MessageView } from '../messages/view';
import type { UserStatus } from '../presence/state';
import type { Profile } from '../profiles/summary';

export interface EventPayloads {
  /** A session of this user was ended (signed out, or revoked from settings). */
  'session.ended': { sessionRef: string; reason: 'logout' | 'revoked' | 'password_changed' };

  /** Someone asked to become this user's contact. */
  'contact.request_received': { from: Profile };
  /** This user asked someone (their other devices learn of it). */
  'contact.request_sent': { to: Profile };
  /** A pending request between this user and `userId` is gone. */
  'contact.request_closed': { userId: string; reason: 'accepted' | 'declined' | 'cancelled' };
  'contact.added': { contact: Profile };
  'contact.removed': { userId: string };
  'profile.updated': { profile: Profile };
  /** This user blocked (`blocked`) or unblocked `userId`: their other devices follow. Never sent to `userId`. */
  'block.changed': { userId: string; blocked: boolean };

  /** This user can now see the chat (created, added to a group). */
  'chat.joined': { chat: ChatSummary };
  /** This user can no longer see the chat. */
  'chat.left': { chatId: string; reason: 'removed' | 'left' | 'deleted' };
  'chat.renamed': { chatId: string; name: string };
  'chat.member_added': { chatId: string; member: Profile };
  'chat.member_removed': { chatId: string; userId: string; reason: 'removed' | 'left' };
  'chat.owner_changed': { chatId: string; ownerId: string };
  /** This user muted or unmuted the chat (their other devices follow). */
  'chat.muted': { chatId: string; muted: boolean };

  'message.created': { message: MessageView };
  'message.edited': { message: MessageView };
  /** The message keeps its place, with `body: null`. */
  'message.deleted': { message: MessageView };
  /**
   * A member's clients received (`deliveredSeq`) or viewed (`readSeq`) the
   * chat up to that seq. `unreadCount` is that member's own unread count now
   * (capped at 100), so their other devices stay right.
   */
  /** `userId` added (`on`) or took away an emoji on a message. */
  'reaction.updated': { chatId: string; messageId: string; emoji: string; userId: string; on: boolean };
  'receipt.updated': {
    chatId: string;
    userId: string;
    deliveredSeq: number;
    readSeq: number;
    unreadCount: number;
    mentionCount: number;
  };
}

export type EventType = keyof EventPayloads;

export type ChatEvent = {
  [K in EventType]: {
    id: number;
    type: K;
    chatId: string | null;
    payload: EventPayloads[K];
    at: Date;
  };
}[EventType];

/** What the stream yields: stored events, plus its own control items. */
export type StreamItem =
  | ChatEvent
  /** The stream is live; its tracked id is the cursor to resume from. */
  | { type: 'stream.ready' }
  /** The cursor is older than the events kept: reload state, then go on from here. */
  | { type: 'stream.resync' }
  | EphemeralItem;

/** Not stored, not replayed: presence and typing travel by NOTIFY only. */
export type EphemeralItem =
  /** `status`: the one shown (domain/presence/state.ts). */
  | { type: 'presence'; userId: string; online: boolean; lastSeenAt: Date | null; status: UserStatus }
  | { type: 'typing'; chatId: string; userId: string }
  /**
   * The server lost (`available: false`) or got back its database. While it is
   * away nothing new arrives and sends fail with SERVICE_UNAVAILABLE; the
   * stream stays open and catches up when it returns.
   */
  | { type: 'server.database'; available: boolean };
