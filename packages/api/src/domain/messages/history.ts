/** Reading a chat's messages: paged by seq either way, by date range, and around one message. */
import { type Executor, messages } from '@chat/db';
import { and, asc, desc, eq, gt, gte, lt, lte, type SQL } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { accessChat } from '../access/chats';
import { accessMessage, visibleLineCondition } from '../access/messages';
import { loadMessageView, loadMessageViews, type MessageView, messageColumns } from './view';

export interface HistoryInput {
  chatId: string;
  /** `older`: newest first, before `cursor`. `newer`: oldest first, after `cursor`. */
  direction: 'older' | 'newer';
  /** A seq, exclusive; omitted means from the newest (older) or the oldest (newer). */
  cursor?: number;
  /** Only messages sent at or after `from` and before `to`. */
  from?: Date;
  to?: Date;
  limit: number;
}

export interface HistoryPage {
  messages: MessageView[];
  /** Pass back as `cursor` for the next page; null when there is nothing more. */
  nextCursor: number | null;
}

async function readPage(db: Executor, viewerId: string, input: HistoryInput): Promise<HistoryPage> {
  const older = input.direction === 'older';
  const where: (SQL | undefined)[] = [eq(messages.chatId, input.chatId), visibleLineCondition(viewerId)];
  if (input.cursor !== undefined) where.push(older ? lt(messages.seq, input.cursor) : gt(messages.seq, input.cursor));
  if (input.from) where.push(gte(messages.createdAt, input.from));
  if (input.to) where.push(lte(messages.createdAt, input.to));
  const rows = await db
    .select(messageColumns)
    .from(messages)
    .where(and(...where))
    .orderBy(older ? desc(messages.seq) : asc(messages.seq))
    .limit(input.limit + 1);
  const more = rows.length > input.limit;
  const page = await loadMessageViews(db, rows.slice(0, input.limit));
  return { messages: page, nextCursor: more ? (page.at(-1)?.seq ?? null) : null };
}

export async function listHistory(deps: Deps, actorId: string, input: HistoryInput): Promise<HistoryPage> {
  await accessChat(deps.db, actorId, input.chatId);
  return readPage(deps.db, actorId, input);
}

export interface AroundPage {
  chatId: string;
  /** Oldest first, the target among them. */
  messages: MessageView[];
  target: MessageView;
  /** Cursors to page on from the edges, or null at the chat's start / end. */
  olderCursor: number | null;
  newerCursor: number | null;
}

/** For permalinks: the message and up to `limit` on each side of it. */
export async function listAround(deps: Deps, actorId: string, messageId: string, limit: number): Promise<AroundPage> {
  const { message } = await accessMessage(deps.db, actorId, messageId);
  const base = { chatId: message.chatId, cursor: message.seq, limit };
  const before = await readPage(deps.db, actorId, { ...base, direction: 'older' });
  const after = await readPage(deps.db, actorId, { ...base, direction: 'newer' });
  const target = await loadMessageView(deps.db, message);
  return {
    chatId: message.chatId,
    messages: [...before.messages.reverse(), target, ...after.messages],
    target,
    olderCursor: before.nextCursor,
    newerCursor: after.nextCursor,
  };
}
