import type { Executor, Message } from '@chat/db';
import { messages, reactions, uploads } from '@chat/db';
import { asc, inArray } from 'drizzle-orm';
import { type AttachmentView, toAttachmentView } from '../media/uploads';

export interface ReactionView {
  emoji: string;
  /** Who reacted, first first. */
  userIds: string[];
}

/** A message as members see it. A deleted one keeps its place with `body: null` and no images. */
export interface MessageView {
  id: string;
  chatId: string;
  senderId: string;
  /** Position in the chat: 1, 2, 3… with no gaps, in send order. */
  seq: number;
  /** As typed (markdown marks included); "" for an image-only message. */
  body: string | null;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  attachments: AttachmentView[];
  reactions: ReactionView[];
}

export const messageColumns = {
  id: messages.id,
  chatId: messages.chatId,
  senderId: messages.senderId,
  seq: messages.seq,
  body: messages.body,
  createdAt: messages.createdAt,
  editedAt: messages.editedAt,
  deletedAt: messages.deletedAt,
} as const;

type Row = Pick<Message, keyof typeof messageColumns>;

export function toMessageView(
  m: Row,
  attachments: AttachmentView[] = [],
  reactionList: ReactionView[] = [],
): MessageView {
  return {
    id: m.id,
    chatId: m.chatId,
    senderId: m.senderId,
    seq: m.seq,
    body: m.body,
    createdAt: m.createdAt,
    editedAt: m.editedAt,
    deletedAt: m.deletedAt,
    attachments,
    reactions: reactionList,
  };
}

/** Reactions per message, each emoji with its people, in the order they were first used. */
export async function loadReactions(db: Executor, messageIds: string[]): Promise<Map<string, ReactionView[]>> {
  const out = new Map<string, ReactionView[]>();
  if (messageIds.length === 0) return out;
  const rows = await db
    .select({ messageId: reactions.messageId, emoji: reactions.emoji, userId: reactions.userId })
    .from(reactions)
    .where(inArray(reactions.messageId, messageIds))
    .orderBy(asc(reactions.createdAt), asc(reactions.userId));
  for (const r of rows) {
    const list = out.get(r.messageId) ?? [];
    const entry = list.find((e) => e.emoji === r.emoji);
    if (entry) entry.userIds.push(r.userId);
    else list.push({ emoji: r.emoji, userIds: [r.userId] });
    out.set(r.messageId, list);
  }
  return out;
}

/** Full views of stored messages: their images and reactions, two queries for any number. */
export async function loadMessageViews(db: Executor, rows: Row[]): Promise<MessageView[]> {
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return [];
  const attached = await db
    .select()
    .from(uploads)
    .where(inArray(uploads.messageId, ids))
    .orderBy(asc(uploads.position));
  const byMessage = new Map<string, AttachmentView[]>();
  for (const u of attached) {
    if (!u.messageId) continue;
    byMessage.set(u.messageId, [...(byMessage.get(u.messageId) ?? []), toAttachmentView(u)]);
  }
  const reacted = await loadReactions(db, ids);
  return rows.map((r) => toMessageView(r, byMessage.get(r.id) ?? [], reacted.get(r.id) ?? []));
}

export async function loadMessageView(db: Executor, row: Row): Promise<MessageView> {
  const [view] = await loadMessageViews(db, [row]);
  if (!view) throw new Error('unreachable: one message in, one view out');
  return view;
}
