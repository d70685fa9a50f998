/**
 * Who may write in a chat: its members (chats.ts), and in a one-to-one chat
 * only while the two are still contacts. "Write" is a message, an edit, a
 * reaction added or a typing signal: a one-to-one chat with a former contact
 * (or with someone who blocked you, which looks the same: docs/blocking.md)
 * is read-only, and all of them get the one answer below. The send statement
 * asks this of many senders at once in SQL (`peerSql`, `mayWriteSql`);
 * uploads, edits, reactions and typing ask it in code (`checkMaySend`).
 * Both read the peer out of the chat's `direct_key` ("<lower id>:<higher
 * id>") the same way: docs/send-path.md.
 */
import type { Chat, Executor } from '@chat/db';
import { type SQL, sql } from 'drizzle-orm';
import { forbidden } from '../../errors';
import { areContacts } from '../contacts/pair';

export const NOT_CONTACTS =
  'This chat is not available: you are no longer contacts, so you cannot write or react here. Add them as a contact again to continue.';

/** The other person of a one-to-one chat's `directKey`, seen by `userId`. */
export function peerOf(directKey: string, userId: string): string | undefined {
  const [a, b] = directKey.split(':');
  return a === userId ? b : a;
}

/** `peerOf` in SQL: the other person of `directKey` seen by `userId` (both SQL expressions). */
export function peerSql(directKey: SQL, userId: SQL): SQL {
  return sql`(case when split_part(${directKey}, ':', 1) = ${userId}::text
    then split_part(${directKey}, ':', 2) else split_part(${directKey}, ':', 1) end)::uuid`;
}

/**
 * The contact rule in SQL, for a sender already known to be a member: true
 * for a group; for a one-to-one chat, true while `userId` has the peer as a
 * contact. `contact` names a relation of locked contact rows (`user_id,
 * contact_id`), so a removal committed while the statement waited is seen.
 */
export function mayWriteSql(kind: SQL, directKey: SQL, userId: SQL, contact: SQL): SQL {
  return sql`(${kind} <> 'direct' or (${userId}, ${peerSql(directKey, userId)}) in (select user_id, contact_id from ${contact}))`;
}

/** `mayWriteSql` in code, for a chat the caller already passed `accessChat` for (uploads, edits, reactions, typing). */
export async function checkMaySend(db: Executor, chat: Chat, actorId: string): Promise<void> {
  if (chat.kind !== 'direct' || !chat.directKey) return;
  const peerId = peerOf(chat.directKey, actorId);
  if (!peerId || !(await areContacts(db, actorId, peerId))) throw forbidden(NOT_CONTACTS);
}
