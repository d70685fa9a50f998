/**
 * Messages written here and not yet stored by the server (lib/outbox-queue.ts
 * has the rules). They show at once in their chat as pending; kept in
 * localStorage per user, so a reload or a lost connection loses nothing; sent
 * one at a time with the id they were written with, again after a reconnect
 * or a reload. When the server answers, the message leaves the outbox and its
 * stored copy takes its place (same id).
 */
import type { MessageView } from '@chat/api';
import { batch, createEffect, createRoot, createSignal, on } from 'solid-js';
import {
  type Attachment,
  classifyFailure,
  createEntry,
  markFailed,
  markSending,
  nextToSend,
  type OutboxEntry,
  parseOutbox,
  requeueOne,
  requeueUnsent,
  serializeOutbox,
  withEntry,
  withoutEntry,
} from '../lib/outbox-queue';
import type { ReplyQuote } from '../lib/reply-quote';
import { api, browserOnline, isApiError, isConnected, transportState } from '../lib/trpc';
import { newMessageId } from '../lib/uuid';
import { noteSentMessage } from './chats';
import { onEvents } from './events';
import { currentUser } from './session';

export type { Attachment, OutboxEntry } from '../lib/outbox-queue';

/** A send that failed for want of a connection is tried again after this, if nothing else woke the queue. */
const RETRY_AFTER_MS = 10_000;

const [entries, setEntries] = createSignal<OutboxEntry[]>([]);
/** chatId → the server's reason for refusing any message there (FORBIDDEN): the composer shows it. */
const [refusals, setRefusals] = createSignal<ReadonlyMap<string, string>>(new Map());
let ownerId: string | null = null;
let sending = false;
let retryTimer: ReturnType<typeof setTimeout> | undefined;

const storageKey = (userId: string) => `chat.outbox.${userId}`;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function save(next: OutboxEntry[]): void {
  setEntries(next);
  if (!ownerId) return;
  try {
    if (next.length === 0) storage()?.removeItem(storageKey(ownerId));
    else storage()?.setItem(storageKey(ownerId), serializeOutbox(next));
  } catch {
    // Full or disabled storage: kept for this page load only.
  }
}

function setRefusal(chatId: string, reason: string | null): void {
  setRefusals((current) => {
    const next = new Map(current);
    if (reason) next.set(chatId, reason);
    else next.delete(chatId);
    return next;
  });
}

const sentListeners = new Set<(message: MessageView) => void>();

/** Hears every message of this user's that the server has just stored. Returns the unsubscriber. */
export function onSent(listener: (message: MessageView) => void): () => void {
  sentListeners.add(listener);
  return () => sentListeners.delete(listener);
}

async function flush(): Promise<void> {
  if (sending) return;
  sending = true;
  try {
    for (;;) {
      const next = nextToSend(entries());
      if (!next || !ownerId || !browserOnline()) return;
      const owner = ownerId;
      save(markSending(entries(), next.id));
      try {
        const message = await api.message.send.mutate({
          id: next.id,
          chatId: next.chatId,
          body: next.body,
          attachmentIds: next.attachments.map((a) => a.id),
          replyToId: next.replyTo?.messageId ?? null,
        });
        if (ownerId !== owner) return;
        batch(() => {
          save(withoutEntry(entries(), next.id));
          if (refusals().has(next.chatId)) setRefusal(next.chatId, null);
          noteSentMessage(message);
          for (const listener of sentListeners) listener(message);
        });
      } catch (error) {
        if (ownerId !== owner) return;
        const data = isApiError(error) ? error.data : undefined;
        const failure = classifyFailure({ code: data?.code, message: data ? (error as Error).message : undefined });
        save(markFailed(entries(), next.id, failure));
        if (data?.code === 'FORBIDDEN') setRefusal(next.chatId, failure.message);
        if (!failure.refused) {
          clearTimeout(retryTimer);
          retryTimer = setTimeout(resendUnsent, RETRY_AFTER_MS);
        }
      }
    }
  } finally {
    sending = false;
  }
}

/** Everything that failed for want of a connection goes again, same ids. */
function resendUnsent(): void {
  save(requeueUnsent(entries()));
  void flush();
}

// The stream brought it: it is stored, whatever became of our request (an answer lost on the way).
onEvents({
  'message.created': ({ payload: { message } }) => {
    if (entries().some((e) => e.id === message.id)) {
      save(withoutEntry(entries(), message.id));
      void flush();
    }
  },
});

// --- Whose outbox, and when to send -------------------------------------------

function storageChanged(event: StorageEvent): void {
  // Another tab of the same user changed it: show and send what it holds (the ids make repeats harmless).
  if (ownerId && event.key === storageKey(ownerId)) {
    setEntries(parseOutbox(event.newValue));
    void flush();
  }
}

createRoot(() => {
  createEffect(
    on(
      () => currentUser()?.id,
      (userId) => {
        ownerId = userId ?? null;
        clearTimeout(retryTimer);
        setEntries(userId ? parseOutbox(storage()?.getItem(storageKey(userId)) ?? null) : []);
        setRefusals(new Map());
        if (userId) resendUnsent();
      },
    ),
  );
  // A reconnect (or the network coming back) sends what is waiting.
  createEffect(
    on(transportState, (state, previous) => {
      if (isConnected(state) && previous !== undefined && !isConnected(previous)) resendUnsent();
    }),
  );
  createEffect(
    on(browserOnline, (isOnline) => {
      if (isOnline) resendUnsent();
    }),
  );
});
if (typeof window !== 'undefined') window.addEventListener('storage', storageChanged);

// --- What the pages use -----------------------------------------------------------

/**
 * Writes a message into `chatId`, with images already uploaded there (and
 * as a reply to `replyTo`'s message, one of the same chat): it
 * shows at once and is sent as soon as possible. Returns its id.
 */
export function sendMessage(
  chatId: string,
  body: string,
  attachments: Attachment[] = [],
  replyTo: ReplyQuote | null = null,
): string {
  const id = newMessageId();
  save(withEntry(entries(), createEntry(id, chatId, body, attachments, new Date(), replyTo)));
  void flush();
  return id;
}

/** Sends a failed message again, with the same id. */
export function retryMessage(id: string): void {
  save(requeueOne(entries(), id));
  void flush();
}

/** Gives up on a message that was not sent. */
export function discardMessage(id: string): void {
  save(withoutEntry(entries(), id));
  void flush();
}

/** This chat's messages that the server has not stored yet, oldest first. */
export function unsentIn(chatId: string): OutboxEntry[] {
  return entries().filter((e) => e.chatId === chatId);
}

/** Why the server refuses to take messages in this chat (e.g. no longer contacts), if it said so. */
export function refusalIn(chatId: string): string | null {
  return refusals().get(chatId) ?? null;
}

/** Whatever made the server refuse has changed (contacts again): let the user try. */
export function clearRefusal(chatId: string): void {
  if (refusals().has(chatId)) setRefusal(chatId, null);
}
