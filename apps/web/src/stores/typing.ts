/**
 * "alice is typing…": `typing` stream items, each shown for a few seconds
 * unless another renews it, and cleared when that person's message arrives.
 * The other way: `signalTyping` tells the server, at most once every 2 s per
 * chat (the server passes on no more than that either).
 */
import { createSignal } from 'solid-js';
import { api } from '../lib/trpc';
import { onEphemeral, onEvents } from './events';
import { currentUser } from './session';

const SHOWN_MS = 4_000;
const SIGNAL_EVERY_MS = 2_000;

/** chatId → userId → when the line goes. */
type Typing = ReadonlyMap<string, ReadonlyMap<string, number>>;

const [typing, setTyping] = createSignal<Typing>(new Map());
let sweepTimer: ReturnType<typeof setTimeout> | undefined;

function change(chatId: string, edit: (users: Map<string, number>) => void): void {
  setTyping((current) => {
    const users = new Map(current.get(chatId));
    edit(users);
    const next = new Map(current);
    if (users.size > 0) next.set(chatId, users);
    else next.delete(chatId);
    return next;
  });
}

/** Drops what has expired, and wakes up again when the next one does. */
function sweep(): void {
  clearTimeout(sweepTimer);
  const time = Date.now();
  let next = Number.POSITIVE_INFINITY;
  for (const [chatId, users] of typing()) {
    for (const [userId, until] of users) {
      if (until <= time) change(chatId, (u) => u.delete(userId));
      else next = Math.min(next, until);
    }
  }
  if (next !== Number.POSITIVE_INFINITY) sweepTimer = setTimeout(sweep, next - time + 10);
}

onEphemeral((item) => {
  if (item.type !== 'typing' || item.userId === currentUser()?.id) return;
  change(item.chatId, (users) => users.set(item.userId, Date.now() + SHOWN_MS));
  sweep();
});

onEvents({
  'message.created': ({ payload: { message } }) => {
    if (typing().get(message.chatId)?.has(message.senderId)) change(message.chatId, (u) => u.delete(message.senderId));
  },
});

/** Who is typing in the chat now, in the order they started. */
export function typersIn(chatId: string): string[] {
  return [...(typing().get(chatId)?.keys() ?? [])];
}

const lastSignal = new Map<string, number>();

/** The user typed in `chatId`: tell the others (throttled; failures do not matter). */
export function signalTyping(chatId: string): void {
  const time = Date.now();
  if (time - (lastSignal.get(chatId) ?? 0) < SIGNAL_EVERY_MS) return;
  lastSignal.set(chatId, time);
  api.presence.typing.mutate({ chatId }).catch(() => {});
}

/** The user sent their message: the next keystroke is a new bout of typing. */
export function stoppedTyping(chatId: string): void {
  lastSignal.delete(chatId);
}
