import type { Executor, Message, Upload } from '@chat/db';
import { messages, reactions, uploads } from '@chat/db';
import { asc, type Column, inArray, type SQL, sql } from 'drizzle-orm';
import type { SystemLine } from '../chats/line-view';
import { loadQuotes, type ReplyQuote, replyQuoteJsonSql } from './quote';

export type { ReplyQuote };

/**
 * An image or file of a message as members see it (its bytes are served by
 * media/uploads.ts). A file's sizes in pixels are 0; its `contentType` is
 * what its bytes were sniffed as (application/octet-stream if unknown).
 */
export interface AttachmentView {
  id: string;
  kind: 'image' | 'file';
  contentType: string;
  fileName: string;
  bytes: number;
  width: number;
  height: number;
  thumbWidth: number;
  thumbHeight: number;
}

export function toAttachmentView(u: Upload): AttachmentView {
  return {
    id: u.id,
    kind: u.kind,
    contentType: u.contentType,
    fileName: u.fileName,
    bytes: u.bytes,
    width: u.width,
    height: u.height,
    thumbWidth: u.thumbWidth,
    thumbHeight: u.thumbHeight,
  };
}

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
  /**
   * Set for a line about the group (chats/system-lines.ts): `body` is null,
   * the sender is who caused it, and nobody edits, deletes or reacts to it.
   */
  system: SystemLine | null;
  /** The message this one replies to (same chat), or null; `replyTo` is its quote, resolved when read. */
  replyToId: string | null;
  replyTo: ReplyQuote | null;
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
  system: messages.system,
  replyToId: messages.replyToId,
} as const;

type Row = Pick<Message, keyof typeof messageColumns>;

/** An attachment's view: the upload's columns under their view names (`toAttachmentView` in code). */
const attachmentColumns = {
  id: uploads.id,
  kind: uploads.kind,
  contentType: uploads.contentType,
  fileName: uploads.fileName,
  bytes: uploads.bytes,
  width: uploads.width,
  height: uploads.height,
  thumbWidth: uploads.thumbWidth,
  thumbHeight: uploads.thumbHeight,
} as const satisfies Record<keyof AttachmentView, Column>;

/** A JSON timestamp as a JavaScript Date holds it: UTC, cut to milliseconds. */
const isoMs = (value: SQL) => sql`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const jsonObject = (entries: [string, SQL][]) =>
  sql`jsonb_build_object(${sql.join(
    entries.map(([key, value]) => sql`${sql.raw(`'${key}'`)}, ${value}`),
    sql`, `,
  )})`;

/**
 * `superjson.serialize({ message: view })` of a message written by the same
 * statement, built by PostgreSQL from the very column lists the code reads
 * (`messageColumns`, `attachmentColumns`): the send statement stores a
 * message's event without a round trip back to us (docs/send-path.md). `m`
 * names a relation with the messages table's columns; `images`, one with the
 * uploads table's columns and `position`, holding this message's images.
 * Reactions are none yet; a reply's quote is read from its original
 * (`replyQuoteJsonSql`). A test compares it with superjson's own output.
 */
export function createdMessagePayloadSql(m: SQL, images: SQL): SQL {
  const column = (c: Column) => sql`${m}.${sql.identifier(c.name)}`;
  const message = Object.entries(messageColumns).map(([key, c]): [string, SQL] => [
    key,
    c.dataType === 'date' ? isoMs(column(c)) : column(c),
  ]);
  const image = Object.entries(attachmentColumns).map(([key, c]): [string, SQL] => [
    key,
    sql`i.${sql.identifier(c.name)}`,
  ]);
  const attachments = sql`coalesce((select jsonb_agg(${jsonObject(image)} order by i.position) from ${images} i), '[]'::jsonb)`;
  const dates = Object.entries(messageColumns).flatMap(([key, c]) =>
    c.dataType === 'date'
      ? [
          sql`case when ${column(c)} is null then '{}'::jsonb else jsonb_build_object(${sql.raw(`'message.${key}'`)}, jsonb_build_array('Date')) end`,
        ]
      : [],
  );
  return sql`jsonb_build_object(
    'json', jsonb_build_object('message', ${jsonObject(message)} || jsonb_build_object('attachments', ${attachments}, 'reactions', '[]'::jsonb,
      'replyTo', (select ${replyQuoteJsonSql(sql`o`)} from ${messages} o where o.id = ${column(messageColumns.replyToId)}))),
    'meta', jsonb_build_object('values', ${sql.join(dates, sql` || `)}, 'v', 1))`;
}

export function toMessageView(
  m: Row,
  attachments: AttachmentView[] = [],
  reactionList: ReactionView[] = [],
  replyTo: ReplyQuote | null = null,
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
    system: (m.system as SystemLine | null) ?? null,
    replyToId: m.replyToId,
    replyTo: m.replyToId === null ? null : replyTo,
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

/** The images and files of these messages, each message's in order (one query). */
export async function loadAttachments(db: Executor, messageIds: string[]): Promise<Map<string, AttachmentView[]>> {
  const byMessage = new Map<string, AttachmentView[]>();
  if (messageIds.length === 0) return byMessage;
  const attached = await db
    .select()
    .from(uploads)
    .where(inArray(uploads.messageId, messageIds))
    .orderBy(asc(uploads.position));
  for (const u of attached) {
    if (!u.messageId) continue;
    byMessage.set(u.messageId, [...(byMessage.get(u.messageId) ?? []), toAttachmentView(u)]);
  }
  return byMessage;
}

/** Full views of stored messages: their images, reactions and quotes, two or three queries for any number. */
export async function loadMessageViews(db: Executor, rows: Row[]): Promise<MessageView[]> {
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return [];
  const byMessage = await loadAttachments(db, ids);
  const reacted = await loadReactions(db, ids);
  const quotes = await loadQuotes(
    db,
    rows.filter((r) => r.replyToId !== null).map((r) => r.id),
  );
  return rows.map((r) =>
    toMessageView(r, byMessage.get(r.id) ?? [], reacted.get(r.id) ?? [], quotes.get(r.id) ?? null),
  );
}

export async function loadMessageView(db: Executor, row: Row): Promise<MessageView> {
  const [view] = await loadMessageViews(db, [row]);
  if (!view) throw new Error('unreachable: one message in, one view out');
  return view;
}
