/**
 * Sending (DESIGN.md invariants 1–2): the message, the chat's next seq and
 * the `message.created` event commit in one transaction; only then is the
 * sender answered and the hub woken. The id comes from the client, so a retry
 * after a lost reply, or two concurrent sends of one id, store one message.
 *
 * A text message (the common case) is stored by one statement, which is its
 * own transaction: one round trip to PostgreSQL instead of ten, and the event
 * log's lock (events/cursor.ts) is held only while PostgreSQL finishes that
 * statement and commits, never across a turn of our event loop
 * (load/REPORT.md, fourth session). A message with images takes the longer
 * transaction below, which also claims the uploads.
 */
import type { Chat, Executor, Message } from '@chat/db';
import { chatReceipts, chats, contacts, messages } from '@chat/db';
import { eq, sql } from 'drizzle-orm';
import superjson, { type SuperJSONResult } from 'superjson';
import type { Deps } from '../../deps';
import { conflict, forbidden, invalid, notFound } from '../../errors';
import { jsonOf, prepareStatement } from '../../sql';
import { accessChat, CHAT_NOT_FOUND, chatAccessQuery } from '../access/chats';
import { areContacts } from '../contacts/pair';
import { asDate, EVENT_LOG_LOCK, insertChatEvent, type StoredEvent, storedChatEvent } from '../events/store';
import { attachUploads, toAttachmentView } from '../media/uploads';
import { EMPTY_MESSAGE } from './rules';
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
 * The `message.created` payload of a new text message, built by PostgreSQL in
 * superjson's form (what `insertChatEvent` stores): the same JSON that
 * `superjson.serialize({ message: view })` gives, which a test checks.
 * `created_at` is cut to milliseconds, as a JavaScript Date holds it.
 */
const createdPayload = sql`jsonb_build_object(
  'json', jsonb_build_object('message', jsonb_build_object(
    'id', ins.id, 'chatId', ins.chat_id, 'senderId', ins.sender_id, 'seq', ins.seq, 'body', ins.body,
    'createdAt', to_char(ins.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'editedAt', null, 'deletedAt', null, 'attachments', '[]'::jsonb, 'reactions', '[]'::jsonb)),
  'meta', jsonb_build_object('values', jsonb_build_object('message.createdAt', jsonb_build_array('Date')), 'v', 1))`;

type TextSend =
  /** Stored, with the event that announces it (for the hub: it need not read it back). */
  | { kind: 'created'; view: MessageView; event: StoredEvent }
  /** Past the sender's `message.send` limit: counted, nothing else written. */
  | { kind: 'limited'; expire: Date }
  /** Not a member (or no such chat), not contacts, or the id is taken: nothing was written. */
  | { kind: 'refused'; member: boolean; mayWrite: boolean };

/** The values of the text send statement's placeholders (besides the counter's). */
const P = {
  actor: sql.placeholder('actor'),
  chat: sql.placeholder('chat'),
  id: sql.placeholder('id'),
  body: sql.placeholder('body'),
};

/** The statement, built once per database (`prepareStatement`): drizzle's building cost as much as the round trip. */
const textSends = new WeakMap<Deps['db'], ReturnType<typeof prepareStatement>>();

function textSend(deps: Deps): ReturnType<typeof prepareStatement> {
  const built = textSends.get(deps.db);
  if (built) return built;
  const chat = chatAccessQuery(deps.db, P.actor, P.chat, { lock: true });
  const statement = prepareStatement(
    deps.db,
    sql`with counted as materialized (${deps.limits.counter()}),
  chat as materialized (${chat}),
  contact as materialized (
    select 1 from ${contacts} k, chat
    where chat.kind = 'direct' and k.user_id = ${P.actor}::uuid
      and k.contact_id = (case when split_part(chat.direct_key, ':', 1) = ${P.actor}::text
        then split_part(chat.direct_key, ':', 2) else split_part(chat.direct_key, ':', 1) end)::uuid
    for share of k),
  allowed as materialized (
    select chat.* from chat
    where (chat.kind <> 'direct' or exists (select 1 from contact))
      and (select points from counted) <= ${sql.placeholder('limitPoints')}::int),
  ins as (
    insert into ${messages} (id, chat_id, sender_id, seq, body, has_image, created_at)
    select ${P.id}::uuid, allowed.id, ${P.actor}::uuid, allowed.last_seq + 1, ${P.body}::text, false, clock_timestamp()
    from allowed
    on conflict (id) do nothing
    returning id, chat_id, sender_id, seq, body, created_at),
  upd as (
    update ${chats} set last_seq = ins.seq, last_activity_at = ins.created_at from ins where ${chats.id} = ins.chat_id
    returning 1),
  receipt as (
    insert into ${chatReceipts} (chat_id, user_id, delivered_seq, read_seq) select ins.chat_id, ins.sender_id, ins.seq, ins.seq from ins
    on conflict (chat_id, user_id) do update
      set delivered_seq = excluded.delivered_seq, read_seq = excluded.read_seq, updated_at = now()
    returning 1),
  log_lock as materialized (select pg_advisory_xact_lock(${EVENT_LOG_LOCK}) from ins),
  ev as (
    insert into events (user_id, chat_id, message_id, type, payload)
    select null, ins.chat_id, ins.id, 'message.created', ${createdPayload} from log_lock cross join ins
    returning id, created_at, payload)
select (select count(*) from chat)::int as member, (select count(*) from allowed)::int as may_write,
  (select points from counted) as points, (select expire from counted) as expire,
  ev.id as event_id, ev.created_at as event_at, ev.payload as payload
from (select 1) as one left join ev on true`,
  );
  textSends.set(deps.db, statement);
  return statement;
}

/**
 * Everything the send procedure does for a message without images, as one
 * statement: the sender's `message.send` rate limit (counted in the limiter's
 * own row, `RateLimits.counter`), the membership check (`chatAccessQuery`, locking the chat row),
 * the contact check of a one-to-one chat (locking the contact row, so a
 * removal committed while we waited is seen), the insert (nothing if the id
 * exists), the chat's seq, the sender's receipt, and the event, whose id is
 * drawn under the log's lock after the message row exists.
 */
async function storeText(deps: Deps, actorId: string, input: SendInput): Promise<TextSend> {
  const limit = deps.limits.counterValues('message.send', actorId);
  const [row] = await textSend(deps)({
    ...limit,
    actor: actorId,
    chat: input.chatId,
    id: input.id,
    body: input.body,
  });
  if (!row) throw new Error('the send statement returned no row');
  if (row.payload) {
    const payload = superjson.deserialize<{ message: MessageView }>(jsonOf(row.payload) as SuperJSONResult);
    const event = storedChatEvent(
      Number(row.event_id),
      row.event_at,
      payload.message.chatId,
      'message.created',
      payload,
    );
    return { kind: 'created', view: payload.message, event };
  }
  if (Number(row.points) > limit.limitPoints) return { kind: 'limited', expire: asDate(row.expire) };
  return { kind: 'refused', member: Number(row.member) > 0, mayWrite: Number(row.may_write) > 0 };
}

export async function sendMessage(deps: Deps, actorId: string, input: SendInput): Promise<MessageView> {
  const attachmentIds = input.attachmentIds ?? [];
  if (input.body.trim().length === 0 && attachmentIds.length === 0) throw invalid(EMPTY_MESSAGE, 'body');
  if (attachmentIds.length > 0) {
    await deps.limits.consume('message.send', actorId);
    return sendInTransaction(deps, actorId, input, attachmentIds);
  }
  const stored = await storeText(deps, actorId, input);
  if (stored.kind === 'created') {
    deps.hub.announce(stored.event);
    return stored.view;
  }
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
