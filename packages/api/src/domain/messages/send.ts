/**
 * Sending messages (DESIGN.md invariants 1–2), text and images alike: one
 * path, `sendMessages(deps, sender, inputs)`, a single send being a list of
 * one (as Zulip's `do_send_messages` and Mattermost's `SaveMultiple`). Each
 * message, its chat's next seq, the sender's receipt, its images and its
 * `message.created` event commit in one statement (send-statement.ts); only
 * then is the sender answered and the hub handed the event. Sends that arrive
 * while a statement is in flight go together in the next one (group commit,
 * `Batcher`). The id comes from the client, so a retry after a lost answer,
 * or two concurrent sends of one id, store one message. docs/send-path.md.
 */
import { type Message, messages } from '@chat/db';
import { eq } from 'drizzle-orm';
import { Batcher } from '../../batcher';
import type { Deps } from '../../deps';
import { conflict, DomainError, forbidden, invalid, notFound, unauthorized } from '../../errors';
import { errorCodes } from '../../unavailable';
import { CHAT_NOT_FOUND } from '../access/chats';
import { NOT_CONTACTS } from '../access/writing';
import { EMPTY_MESSAGE, LINE_IS_NOBODYS, MAX_ATTACHMENTS } from './rules';
import { runSendStatement, type SendRow, type SendVerdict } from './send-statement';
import { loadMessageView, type MessageView } from './view';

export { NOT_CONTACTS };

export interface SendInput {
  id: string;
  chatId: string;
  body: string;
  /** Uploads (images) of the sender's in this chat, in display order. */
  attachmentIds?: string[];
  /** The message this one replies to: a message of the same chat. */
  replyToId?: string | null | undefined;
}

/**
 * Who sends. `uncheckedSessionId`: the sender's session, when the caller did
 * not look it up in this call (`ctx.actor.verified` false: trpc.ts): nothing
 * is stored or counted unless it still exists, checked by the statement.
 */
export interface Sender {
  userId: string;
  uncheckedSessionId?: string | undefined;
}

const IMAGES_UNUSABLE = 'One of these images or files cannot be attached: upload it again in this chat.';
/** The same answer whether the original is in another chat, one the sender is not in, or nowhere. */
export const REPLY_NOT_IN_CHAT = 'The message you are replying to is not in this chat.';

/** What a send must be before it reaches the database; null when it may go. */
function malformed(input: SendInput): DomainError | null {
  const images = input.attachmentIds ?? [];
  if (input.body.trim().length === 0 && images.length === 0) return invalid(EMPTY_MESSAGE, 'body');
  if (new Set(images).size !== images.length)
    return invalid('The same image or file is attached twice.', 'attachmentIds');
  if (images.length > MAX_ATTACHMENTS) {
    return invalid(`A message can have at most ${MAX_ATTACHMENTS} images and files.`, 'attachmentIds');
  }
  return null;
}

/**
 * Sends each input: its stored message, or the error that says why not
 * (nothing of that send written). One send's refusal never affects another.
 */
export function sendMessages(
  deps: Deps,
  sender: Sender,
  inputs: readonly SendInput[],
): Promise<(MessageView | DomainError)[]> {
  return Promise.all(inputs.map((input) => sendOne(deps, sender, input)));
}

/** `sendMessages` for one message: its view, or its refusal thrown. */
export async function sendMessage(deps: Deps, sender: Sender, input: SendInput): Promise<MessageView> {
  const outcome = await sendOne(deps, sender, input);
  if (outcome instanceof DomainError) throw outcome;
  return outcome;
}

/** One input of `sendMessages`, in the batch of whatever else arrives meanwhile. */
async function sendOne(deps: Deps, sender: Sender, input: SendInput): Promise<MessageView | DomainError> {
  const bad = malformed(input);
  if (bad) return bad;
  const row: SendRow = {
    ord: 0,
    id: input.id,
    chat_id: input.chatId,
    actor: sender.userId,
    body: input.body,
    limit_key: deps.limits.limitKey('message.send', sender.userId),
    session: sender.uncheckedSessionId ?? null,
    images: input.attachmentIds ?? [],
    reply_to: input.replyToId ?? null,
  };
  return judge(deps, sender, input, await queueOf(deps).submit(row));
}

/** The answer to one send, from what the statement found; a retry's is its stored message. */
async function judge(
  deps: Deps,
  sender: Sender,
  input: SendInput,
  verdict: SendVerdict,
): Promise<MessageView | DomainError> {
  switch (verdict.kind) {
    case 'created':
      return verdict.view;
    case 'signed_out':
      return unauthorized();
    case 'limited':
      return deps.limits.refusal('message.send', verdict.expire);
    case 'earlier': {
      // The same id stored before: this very send repeated, or a clash.
      const same =
        verdict.senderId === sender.userId &&
        verdict.chatId === input.chatId &&
        (verdict.body === null || verdict.body === input.body) &&
        verdict.replyToId === (input.replyToId ?? null);
      if (!same) return conflict('This message id was already used for a different message.', 'id');
      return loadMessageView(deps.db, await findMessage(deps, input.id));
    }
    case 'not_member':
      return notFound(CHAT_NOT_FOUND);
    case 'not_contacts':
      return forbidden(NOT_CONTACTS);
    case 'images':
      return invalid(IMAGES_UNUSABLE, 'attachmentIds');
    case 'reply_to':
      return invalid(REPLY_NOT_IN_CHAT, 'replyToId');
    case 'reply_to_line':
      return forbidden(LINE_IS_NOBODYS);
  }
}

async function findMessage(deps: Deps, id: string): Promise<Message> {
  const [row] = await deps.db.select().from(messages).where(eq(messages.id, id));
  if (!row) throw new Error('a stored message was not found again');
  return row;
}

/** At most this many sends share a statement. */
const MAX_BATCH = 256;
/** Statements of one process in flight at once: a slow one does not hold up every send. */
const MAX_IN_FLIGHT = 2;
/** PostgreSQL's unique_violation: the same id committed by another process while the statement ran. */
const UNIQUE_VIOLATION = '23505';

/**
 * Runs a batch as one statement. If it fails as a whole, nothing of it was
 * written (or, had the connection failed after its commit, every message is
 * stored, and a send alone finds its message), and each send is stored again
 * alone, in arrival order, so one bad send fails only itself and a sender's
 * messages keep their order. A lone send that met a concurrent send of its
 * id in another process runs once more, and finds that message.
 */
async function storeBatch(deps: Deps, batch: readonly SendRow[]): Promise<SendVerdict[]> {
  const numbered = batch.map((row, ord) => ({ ...row, ord }));
  let verdicts: SendVerdict[];
  try {
    verdicts = await runSendStatement(deps, numbered);
  } catch (error) {
    const [only] = numbered;
    if (only && numbered.length === 1) {
      if (!errorCodes(error).includes(UNIQUE_VIOLATION)) throw error;
      verdicts = await runSendStatement(deps, numbered);
    } else {
      verdicts = [];
      for (const row of numbered) verdicts.push(...(await storeBatch(deps, [row])));
      return verdicts;
    }
  }
  // Events in commit order, as one run: the hub routes them without reading them back.
  const events = verdicts.flatMap((v) => (v.kind === 'created' ? [v.event] : []));
  if (events.length > 0) deps.hub.announce(events);
  return verdicts;
}

/** One batcher per server process's deps (several deps on one database are several: correct, only fewer batches). */
const queues = new WeakMap<Deps, Batcher<SendRow, SendVerdict>>();

function queueOf(deps: Deps): Batcher<SendRow, SendVerdict> {
  let queue = queues.get(deps);
  if (!queue) {
    queue = new Batcher<SendRow, SendVerdict>({
      run: (batch) => storeBatch(deps, batch),
      // A repeat of an id in flight waits for it, then finds it stored; an
      // image goes with one send at a time; a chat's sends are in one
      // statement at a time, so they are numbered in the order they arrived.
      keys: (row) => ({ exclusive: [`id:${row.id}`, ...row.images.map((u) => `upload:${u}`)], serial: [row.chat_id] }),
      maxBatch: MAX_BATCH,
      maxInFlight: MAX_IN_FLIGHT,
    });
    queues.set(deps, queue);
  }
  return queue;
}
