/**
 * Who a chat event goes to: the chat's members, kept by the hub between
 * events so that routing a message does not read the chat's members again
 * (at scenario 1 that read was a round trip of about 1.4 ms at p50 between
 * the commit and the first delivery: docs/event-stream.md, "The hub").
 *
 * Kept right by the log itself. Every change of a chat's members writes an
 * event in the same transaction (`chat.joined`, `chat.member_added`,
 * `chat.member_removed`, `chat.left`), and every hub routes every event in
 * id order, which is commit order (domain/events/cursor.ts). The hub forgets a chat's
 * members when it routes such an event, before it routes the events after
 * it; the next event of that chat reads them again. So an event goes to the
 * members as of a read made after every membership change before it in the
 * log: what reading on every batch gave, with the same latitude (a read may
 * already see a change whose event comes later, as it did before).
 */
import type { Database } from '@chat/db';
import { readAudiences } from '../domain/events/store';
import type { ChatEvent } from '../domain/events/types';

/** Memberships kept at most (about 60 bytes each); the least recently routed chats go first. */
const MEMBERSHIPS_KEPT = 200_000;

/** The chat whose members an event says changed, if it says so. */
export function membershipChanged(event: ChatEvent): string | undefined {
  switch (event.type) {
    case 'chat.joined':
      return event.payload.chat.id;
    case 'chat.left':
    case 'chat.member_added':
    case 'chat.member_removed':
      return event.payload.chatId;
    default:
      return undefined;
  }
}

export class AudienceCache {
  /** In least-recently-used order (a Map keeps insertion order). */
  private readonly byChat = new Map<string, readonly string[]>();
  private kept = 0;

  constructor(private readonly limit = MEMBERSHIPS_KEPT) {}

  /** Drops what is known of the chat's members: the next event of it reads them. */
  forget(chatId: string): void {
    const members = this.byChat.get(chatId);
    if (!members) return;
    this.byChat.delete(chatId);
    this.kept -= members.length;
  }

  /** Chats' members, read from the database only for chats not known. */
  async read(db: Database, chatIds: readonly string[]): Promise<Map<string, readonly string[]>> {
    const out = new Map<string, readonly string[]>();
    const missing: string[] = [];
    for (const chatId of chatIds) {
      const members = this.byChat.get(chatId);
      if (!members) {
        missing.push(chatId);
        continue;
      }
      this.byChat.delete(chatId);
      this.byChat.set(chatId, members);
      out.set(chatId, members);
    }
    if (missing.length === 0) return out;
    const read = await readAudiences(db, missing);
    for (const chatId of missing) {
      const members = read.get(chatId) ?? [];
      out.set(chatId, members);
      this.keep(chatId, members);
    }
    return out;
  }

  /** Chats and memberships known (tests read them). */
  get size(): { chats: number; memberships: number } {
    return { chats: this.byChat.size, memberships: this.kept };
  }

  private keep(chatId: string, members: readonly string[]): void {
    this.forget(chatId);
    this.byChat.set(chatId, members);
    this.kept += members.length;
    for (const [oldest, list] of this.byChat) {
      if (this.kept <= this.limit || oldest === chatId) break;
      this.byChat.delete(oldest);
      this.kept -= list.length;
    }
  }
}
