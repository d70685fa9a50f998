/**
 * Telling the server how far this user has received and read each chat
 * (`message.markRead`). Delivered: whatever the chat list shows has reached
 * this client, marked at most once a second per chat. Read: the open chat page
 * calls `markRead` while the chat is on screen at its newest message. Other
 * members see the change as `receipt.updated`; so do this user's devices.
 */
import { createEffect, createRoot } from 'solid-js';
import { api, isConnected, transportState } from '../lib/trpc';
import { chatList, markReadInList } from './chats';
import { currentUser } from './session';

const DELIVERED_DELAY_MS = 1_000;
const READ_DELAY_MS = 400;

interface Marks {
  delivered: number;
  read: number;
}

/** What each chat should be marked at, and what the server was last told. */
const wanted = new Map<string, Marks>();
const told = new Map<string, Marks>();
const timers = new Map<string, ReturnType<typeof setTimeout>>();

function want(chatId: string, change: Partial<Marks>, delayMs: number): void {
  const current = wanted.get(chatId) ?? { delivered: 0, read: 0 };
  const next = {
    delivered: Math.max(current.delivered, change.delivered ?? 0),
    read: Math.max(current.read, change.read ?? 0),
  };
  wanted.set(chatId, next);
  const sent = told.get(chatId);
  if (sent && sent.delivered >= next.delivered && sent.read >= next.read) return;
  if (timers.has(chatId)) return; // already on its way; this joins it
  timers.set(
    chatId,
    setTimeout(() => void flush(chatId), delayMs),
  );
}

async function flush(chatId: string): Promise<void> {
  timers.delete(chatId);
  const marks = wanted.get(chatId);
  const sent = told.get(chatId) ?? { delivered: 0, read: 0 };
  if (!marks || !currentUser()) return;
  const deliveredSeq = marks.delivered > sent.delivered ? marks.delivered : undefined;
  const readSeq = marks.read > sent.read ? marks.read : undefined;
  if (deliveredSeq === undefined && readSeq === undefined) return;
  told.set(chatId, { delivered: Math.max(sent.delivered, marks.delivered), read: Math.max(sent.read, marks.read) });
  try {
    await api.message.markRead.mutate({ chatId, deliveredSeq, readSeq });
  } catch {
    // Not told after all (offline, or no longer in the chat): the next reconnect tries again.
    told.set(chatId, sent);
  }
}

/** The open chat is on screen up to `seq`. */
export function markRead(chatId: string, seq: number): void {
  if (seq <= 0) return;
  markReadInList(chatId, seq);
  want(chatId, { read: seq, delivered: seq }, READ_DELAY_MS);
}

// Everything in the chat list has been received here; again after a reconnect, for what failed.
createRoot(() => {
  createEffect(() => {
    if (!isConnected(transportState())) return;
    for (const c of chatList()) {
      if (c.lastSeq > c.readState.deliveredSeq) want(c.id, { delivered: c.lastSeq }, DELIVERED_DELAY_MS);
    }
  });
  createEffect(() => {
    if (currentUser()) return;
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
    wanted.clear();
    told.clear();
  });
});
