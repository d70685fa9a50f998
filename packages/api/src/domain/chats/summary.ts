import type { Chat, Executor } from '@chat/db';
import { chatMembers, chats, messages } from '@chat/db';
import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import { readStates } from '../messages/receipts';
import { loadMessageViews, type MessageView, messageColumns } from '../messages/view';
import { loadProfiles, type Profile } from '../profiles/summary';
import type { ChatReadState, ChatSummary } from './view';

const NOTHING_READ: ChatReadState = { deliveredSeq: 0, readSeq: 0, unreadCount: 0, mentionCount: 0 };

function summarise(
  chat: Chat,
  peer: Profile | null,
  lastMessage: MessageView | null,
  readState: ChatReadState,
  muted: boolean,
): ChatSummary {
  return {
    id: chat.id,
    kind: chat.kind,
    name: chat.name,
    ownerId: chat.ownerId,
    memberCount: chat.memberCount,
    createdAt: chat.createdAt,
    lastActivityAt: chat.lastActivityAt,
    peer,
    lastSeq: chat.lastSeq,
    lastMessage,
    readState,
    muted,
  };
}

async function loadLastMessages(db: Executor, list: Chat[]): Promise<Map<string, MessageView>> {
  const withMessages = list.filter((c) => c.lastSeq > 0).map((c) => c.id);
  if (withMessages.length === 0) return new Map();
  const rows = await db
    .select(messageColumns)
    .from(messages)
    .innerJoin(chats, and(eq(messages.chatId, chats.id), eq(messages.seq, chats.lastSeq)))
    .where(inArray(chats.id, withMessages));
  const views = await loadMessageViews(db, rows);
  return new Map(views.map((v) => [v.chatId, v]));
}

/** Summaries of the given chats as `viewerId` sees them (peers resolved for direct chats). */
export async function summariseChats(db: Executor, viewerId: string, list: Chat[]): Promise<ChatSummary[]> {
  const direct = list.filter((c) => c.kind === 'direct').map((c) => c.id);
  const peers = new Map<string, string>();
  if (direct.length > 0) {
    const rows = await db
      .select({ chatId: chatMembers.chatId, userId: chatMembers.userId })
      .from(chatMembers)
      .where(and(inArray(chatMembers.chatId, direct), ne(chatMembers.userId, viewerId)));
    for (const r of rows) peers.set(r.chatId, r.userId);
  }
  const profiles = await loadProfiles(db, [...peers.values()]);
  const last = await loadLastMessages(db, list);
  const ids = list.map((c) => c.id);
  const states = await readStates(db, viewerId, ids);
  const muted = new Set(
    ids.length === 0
      ? []
      : (
          await db
            .select({ chatId: chatMembers.chatId })
            .from(chatMembers)
            .where(and(eq(chatMembers.userId, viewerId), inArray(chatMembers.chatId, ids), eq(chatMembers.muted, true)))
        ).map((r) => r.chatId),
  );
  return list.map((c) => {
    const peerId = peers.get(c.id);
    const peer = peerId ? (profiles.get(peerId) ?? null) : null;
    return summarise(c, peer, last.get(c.id) ?? null, states.get(c.id) ?? NOTHING_READ, muted.has(c.id));
  });
}

export async function summariseChat(db: Executor, viewerId: string, chat: Chat): Promise<ChatSummary> {
  const [summary] = await summariseChats(db, viewerId, [chat]);
  if (!summary) throw new Error('unreachable: one chat in, one summary out');
  return summary;
}

/** The user's chats and groups, most recent activity first. */
export async function listChats(db: Executor, userId: string): Promise<ChatSummary[]> {
  const rows = await db
    .select({ chat: chats })
    .from(chats)
    .innerJoin(chatMembers, and(eq(chatMembers.chatId, chats.id), eq(chatMembers.userId, userId)))
    .orderBy(desc(chats.lastActivityAt), desc(chats.createdAt))
    .limit(1000);
  return summariseChats(
    db,
    userId,
    rows.map((r) => r.chat),
  );
}
