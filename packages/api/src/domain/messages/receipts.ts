/**
 * Receipts and unread counts. Each member has one row per chat: how far their
 * clients have received (`deliveredSeq`) and viewed (`readSeq`) it. A message
 * is delivered / read for a member when its seq is at or below theirs.
 */
import { chatMembers, chatReceipts, type Executor, users } from '@chat/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { accessChat } from '../access/chats';
import type { ChatReadState } from '../chats/view';
import { insertChatEvent } from '../events/store';
import { mentionPatternSql } from './mentions';

/** Unread counts stop here; the UI shows "99+". */
export const UNREAD_CAP = 100;

/**
 * The viewer's receipts, unread count (others' messages after `readSeq`,
 * capped) and how many of those mention them (mentions.ts) or reply to
 * one of theirs, per chat.
 */
export async function readStates(db: Executor, userId: string, chatIds: string[]): Promise<Map<string, ChatReadState>> {
  if (chatIds.length === 0) return new Map();
  const readSeq = sql<number>`coalesce(${chatReceipts.readSeq}, 0)`;
  const rows = await db
    .select({
      chatId: chatMembers.chatId,
      deliveredSeq: sql<number>`coalesce(${chatReceipts.deliveredSeq}, 0)`.mapWith(Number),
      readSeq: readSeq.mapWith(Number),
      unreadCount: sql<number>`(select count(*) from (
          select 1 from messages m
          where m.chat_id = ${chatMembers.chatId} and m.seq > ${readSeq}
            and m.sender_id <> ${userId} and m.deleted_at is null
            -- A group's line from before the viewer joined is not theirs to read (access/messages.ts).
            and (m.system is null or m.created_at >= ${chatMembers.joinedAt})
          limit ${UNREAD_CAP}) u)`.mapWith(Number),
      mentionCount: sql<number>`(select count(*) from (
          select 1 from messages m
          where m.chat_id = ${chatMembers.chatId} and m.seq > ${readSeq}
            and m.sender_id <> ${userId} and m.deleted_at is null
            and (m.body ~* ${mentionPatternSql(sql`${users.username}`)}
              -- A reply to one of yours counts as a mention of you (docs/send-path.md, "Replies").
              or (m.reply_to_id is not null
                and exists (select 1 from messages o where o.id = m.reply_to_id and o.sender_id = ${userId})))
          limit ${UNREAD_CAP}) u)`.mapWith(Number),
    })
    .from(chatMembers)
    .innerJoin(users, eq(users.id, chatMembers.userId))
    .leftJoin(
      chatReceipts,
      and(eq(chatReceipts.chatId, chatMembers.chatId), eq(chatReceipts.userId, chatMembers.userId)),
    )
    .where(and(eq(chatMembers.userId, userId), inArray(chatMembers.chatId, chatIds)));
  return new Map(rows.map(({ chatId, ...state }) => [chatId, state]));
}

export interface MemberReceipt {
  userId: string;
  deliveredSeq: number;
  readSeq: number;
}

/** Every current member's receipts in a chat the actor is in. */
export async function listReceipts(deps: Deps, actorId: string, chatId: string): Promise<MemberReceipt[]> {
  await accessChat(deps.db, actorId, chatId);
  const rows = await deps.db
    .select({
      userId: chatMembers.userId,
      deliveredSeq: sql<number>`coalesce(${chatReceipts.deliveredSeq}, 0)`.mapWith(Number),
      readSeq: sql<number>`coalesce(${chatReceipts.readSeq}, 0)`.mapWith(Number),
    })
    .from(chatMembers)
    .leftJoin(
      chatReceipts,
      and(eq(chatReceipts.chatId, chatMembers.chatId), eq(chatReceipts.userId, chatMembers.userId)),
    )
    .where(eq(chatMembers.chatId, chatId));
  return rows;
}

export interface MarkInput {
  chatId: string;
  deliveredSeq?: number;
  readSeq?: number;
}

/**
 * Moves the actor's receipts forward (never back, never past the chat's
 * newest message). Read implies delivered. An event goes out when something
 * others show changed: any change in a one-to-one chat, a read change in a
 * group (groups show read counts only, which spares a 300-member group
 * 300 × 300 delivery events per message).
 */
export async function markReceipts(deps: Deps, actorId: string, input: MarkInput): Promise<ChatReadState> {
  const outcome = await deps.db.transaction(async (tx) => {
    const chat = await accessChat(tx, actorId, input.chatId);
    const read = Math.min(input.readSeq ?? 0, chat.lastSeq);
    const delivered = Math.min(Math.max(input.deliveredSeq ?? 0, read), chat.lastSeq);
    const [before] = await tx
      .select({ deliveredSeq: chatReceipts.deliveredSeq, readSeq: chatReceipts.readSeq })
      .from(chatReceipts)
      .where(and(eq(chatReceipts.chatId, chat.id), eq(chatReceipts.userId, actorId)))
      .for('update');
    const next = {
      deliveredSeq: Math.max(before?.deliveredSeq ?? 0, delivered),
      readSeq: Math.max(before?.readSeq ?? 0, read),
    };
    const readMoved = next.readSeq !== (before?.readSeq ?? 0);
    const deliveredMoved = next.deliveredSeq !== (before?.deliveredSeq ?? 0);
    if (readMoved || deliveredMoved) {
      await tx
        .insert(chatReceipts)
        .values({ chatId: chat.id, userId: actorId, ...next })
        .onConflictDoUpdate({
          target: [chatReceipts.chatId, chatReceipts.userId],
          set: { ...next, updatedAt: sql`now()` },
        });
    }
    const state = (await readStates(tx, actorId, [chat.id])).get(chat.id) ?? {
      ...next,
      unreadCount: 0,
      mentionCount: 0,
    };
    const announce = readMoved || (deliveredMoved && chat.kind === 'direct');
    if (announce) {
      await insertChatEvent(tx, chat.id, 'receipt.updated', { chatId: chat.id, userId: actorId, ...state });
    }
    return { state, announce };
  });
  if (outcome.announce) deps.hub.announce();
  return outcome.state;
}
