/** A page of raw rows to search hits: the chat as the searcher sees it, the sender, the snippet. */
import { chatMembers, type Database, type Executor, users } from '@chat/db';
import { and, inArray, ne, type SQL } from 'drizzle-orm';
import { rowsOf } from '../../sql';
import { loadQuotes, type ReplyQuote } from '../messages/quote';
import { type AttachmentView, loadAttachments } from '../messages/view';
import type { SearchScope } from './scope';
import { type SnippetSegment, toSegments } from './snippets';

export interface SearchPerson {
  id: string;
  username: string;
  displayName: string;
}

export interface SearchChat {
  id: string;
  kind: 'direct' | 'group';
  /** Groups: the name. Direct chats: null (show the peer). */
  name: string | null;
  /** Direct chats: the other person. */
  peer: SearchPerson | null;
}

export interface SearchHit {
  messageId: string;
  /** The message's place in its chat (for the permalink and loading around it). */
  seq: number;
  chat: SearchChat;
  sender: SearchPerson;
  createdAt: Date;
  editedAt: Date | null;
  /** The message with the matching words marked; … where it was cut. */
  snippet: SnippetSegment[];
  /** A reply's quote of the message it answers, as it is now; null when the hit is not a reply. */
  replyTo: ReplyQuote | null;
  /** The message's images and files, as in its view (docs/media.md). */
  attachments: AttachmentView[];
}

export interface RawHit {
  id: string;
  chatId: string;
  senderId: string;
  seq: number;
  body: string;
  /** created_at as PostgreSQL's UTC text with microseconds (cursors use it). */
  at: string;
  editedAt: string | null;
  headline: string | null;
  rank: number | null;
}

const text = (v: unknown): string => {
  if (typeof v !== 'string') throw new Error('expected text from the database');
  return v;
};
const textOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : text(v));

export async function readHits(db: Executor, query: SQL): Promise<RawHit[]> {
  return rowsOf(await db.execute(query)).map((r) => ({
    id: text(r.id),
    chatId: text(r.chat_id),
    senderId: text(r.sender_id),
    seq: Number(r.seq),
    body: textOrNull(r.body) ?? '',
    at: text(r.at),
    editedAt: textOrNull(r.edited_at),
    headline: textOrNull(r.headline),
    rank: r.rank === null || r.rank === undefined ? null : Number(r.rank),
  }));
}

async function loadPeople(db: Database, ids: string[]): Promise<Map<string, SearchPerson>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, username: users.username, displayName: users.displayName })
    .from(users)
    .where(inArray(users.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}

/** The other member of each direct chat among `chatIds`. */
async function loadPeers(db: Database, actorId: string, chatIds: string[]): Promise<Map<string, string>> {
  if (chatIds.length === 0) return new Map();
  const rows = await db
    .select({ chatId: chatMembers.chatId, userId: chatMembers.userId })
    .from(chatMembers)
    .where(and(inArray(chatMembers.chatId, chatIds), ne(chatMembers.userId, actorId)));
  return new Map(rows.map((r) => [r.chatId, r.userId]));
}

export async function toHits(db: Database, actorId: string, scope: SearchScope, rows: RawHit[]): Promise<SearchHit[]> {
  const chats = new Map(scope.chats.map((c) => [c.id, c]));
  const directIds = [...new Set(rows.map((r) => r.chatId))].filter((id) => chats.get(id)?.kind === 'direct');
  const peers = await loadPeers(db, actorId, directIds);
  const people = await loadPeople(db, [...rows.map((r) => r.senderId), ...peers.values()]);
  const quotes = await loadQuotes(
    db,
    rows.map((r) => r.id),
  );
  const attachments = await loadAttachments(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const chat = chats.get(r.chatId);
    const sender = people.get(r.senderId);
    if (!chat || !sender) throw new Error('a hit outside the searched chats');
    const peerId = peers.get(r.chatId);
    return {
      messageId: r.id,
      seq: r.seq,
      chat: {
        id: chat.id,
        kind: chat.kind,
        name: chat.kind === 'group' ? chat.name : null,
        peer: peerId ? (people.get(peerId) ?? null) : null,
      },
      sender,
      createdAt: new Date(r.at),
      editedAt: r.editedAt ? new Date(r.editedAt) : null,
      snippet: toSegments(r.headline, r.body),
      replyTo: quotes.get(r.id) ?? null,
      attachments: attachments.get(r.id) ?? [],
    };
  });
}
