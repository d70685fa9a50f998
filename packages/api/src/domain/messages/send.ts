/**
 * Sending (DESIGN.md invariants 1–2): the message, the chat's next seq and
 * the `message.created` event commit in one transaction; only then is the
 * sender answered and the hub woken. The id comes from the client, so a retry
 * after a lost reply, or two concurrent sends of one id, store one message.
 *
 * A text message (the common case) is stored by one statement, which is its
 * own transaction (text.ts, which also batches sends that arrive together):
 * one round trip to PostgreSQL instead of ten, and the event log's lock
 * (events/cursor.ts) is held only while PostgreSQL finishes that statement
 * and commits, never across a turn of our event loop (load/REPORT.md, fourth
 * session). A message with images takes the longer transaction below, which
 * also claims the uploads.
 */
import type { Chat, Executor, Message } from '@chat/db';
import { chatReceipts, chats, messages } from '@chat/db';
import { eq, sql } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { conflict, forbidden, invalid, notFound, unauthorized } from '../../errors';
import { accessChat, CHAT_NOT_FOUND } from '../access/chats';
import { areContacts } from '../contacts/pair';
import { insertChatEvent } from '../events/store';
import { attachUploads, toAttachmentView } from '../media/uploads';
import { EMPTY_MESSAGE } from './rules';
import { storeText } from './text';
import { loadMessageView, type MessageView, toMessageView } from './view';

export interface SendInput {
  id: string;
  chatId: string;
  body: string;
  /** Uploads (images) of the sender's in this chat, in display order. */
  attachmentIds?: string[];
}

export const NOT_CONTACTS =
  'You are no longer contacts, so you cannot send messages here. Add them as a contact again to continue.';

async function findMessage(db: Executor, id: string): Promise<Message | undefined> {
  const [row] = await db.select().from(messages).where(eq(messages.id, id));
  return row;
}

/** A stored message with this id must be this very send, repeated. */
async function checkSameSend(db: Executor, message: Message, actorId: string, input: SendInput): Promise<MessageView> {
  const same =
    message.senderId === actorId &&
    message.chatId === input.chatId &&
    (message.body === null || message.body === input.body);
  if (!same) throw conflict('This message id was already used for a different message.', 'id');
  return loadMessageView(db, message);
}

/** One-to-one chats need the two to be contacts still; groups need membership only. */
export async function checkMaySend(db: Executor, chat: Chat, actorId: string): Promise<void> {
  if (chat.kind !== 'direct' || !chat.directKey) return;
  const peerId = chat.directKey.split(':').find((id) => id !== actorId);
  if (!peerId || !(await areContacts(db, actorId, peerId))) throw forbidden(NOT_CONTACTS);
}

/**
 * `uncheckedSessionId`: the sender's session, when the caller did not look
 * it up (trpc.ts, `sendProcedure`): nothing is stored or counted unless it
 * still exists (a text send checks it in its statement).
 */
export async function sendMessage(
  deps: Deps,
  actorId: string,
  input: SendInput,
  uncheckedSessionId?: string,
): Promise<MessageView> {
  const attachmentIds = input.attachmentIds ?? [];
  if (input.body.trim().length === 0 && attachmentIds.length === 0) throw invalid(EMPTY_MESSAGE, 'body');
  if (attachmentIds.length > 0) {
    if (uncheckedSessionId && !(await deps.sessions.validate(uncheckedSessionId))) throw unauthorized();
    await deps.limits.consume('message.send', actorId);
    return sendInTransaction(deps, actorId, input, attachmentIds);
  }
  const stored = await storeText(deps, actorId, input, uncheckedSessionId);
  if (stored.kind === 'created') return stored.view;
  if (stored.kind === 'signed_out') throw unauthorized();
  if (stored.kind === 'limited') throw deps.limits.refusal('message.send', stored.expire);
  // Nothing written. A message with this id (a retry, or a concurrent send
  // of it) answers first, as in the transaction below; else the refusal.
  const earlier = await findMessage(deps.db, input.id);
  if (earlier) return checkSameSend(deps.db, earlier, actorId, input);
  if (!stored.member) throw notFound(CHAT_NOT_FOUND);
  if (!stored.mayWrite) throw forbidden(NOT_CONTACTS);
  throw new Error('a send wrote nothing, yet the chat was open to it and its id is free');
}

/** A send with images: the uploads are claimed in the same transaction. */
async function sendInTransaction(
  deps: Deps,
  actorId: string,
  input: SendInput,
  attachmentIds: string[],
): Promise<MessageView> {
  const earlier = await findMessage(deps.db, input.id);
  if (earlier) return checkSameSend(deps.db, earlier, actorId, input);

  const outcome = await deps.db.transaction(async (tx) => {
    // The chat row's lock orders sends in this chat: seq has no gaps or repeats.
    const chat = await accessChat(tx, actorId, input.chatId, { lock: true });
    await checkMaySend(tx, chat, actorId);
    const raced = await findMessage(tx, input.id); // the same id, committed while we waited for the lock
    if (raced) return { message: raced, created: false, view: undefined };

    const seq = chat.lastSeq + 1;
    const [row] = await tx
      .insert(messages)
      .values({
        id: input.id,
        chatId: chat.id,
        senderId: actorId,
        seq,
        body: input.body,
        // attachUploads below attaches every id or fails the send.
        hasImage: attachmentIds.length > 0,
        createdAt: sql`clock_timestamp()`,
      })
      .onConflictDoNothing({ target: messages.id })
      .returning();
    if (!row) {
      // The same id was committed meanwhile into another chat: nothing written here.
      const other = await findMessage(tx, input.id);
      if (!other) throw new Error('message id conflicted but no row was found');
      return { message: other, created: false, view: undefined };
    }
    const attached = await attachUploads(tx, actorId, chat.id, row.id, attachmentIds);
    await tx.update(chats).set({ lastSeq: seq, lastActivityAt: row.createdAt }).where(eq(chats.id, chat.id));
    // Your own message is read by you: it never counts as unread on your other devices.
    await tx
      .insert(chatReceipts)
      .values({ chatId: chat.id, userId: actorId, deliveredSeq: seq, readSeq: seq })
      .onConflictDoUpdate({
        target: [chatReceipts.chatId, chatReceipts.userId],
        set: { deliveredSeq: seq, readSeq: seq, updatedAt: sql`now()` },
      });
    const view = toMessageView(row, attached.map(toAttachmentView));
    await insertChatEvent(tx, chat.id, 'message.created', { message: view }, row.id);
    return { message: row, created: true, view };
  });
  if (outcome.created) deps.hub.announce();
  return outcome.view ?? checkSameSend(deps.db, outcome.message, actorId, input);
}
