/**
 * The names of people in a chat's history who are not among its members any
 * more (they left, or were removed): asked of the server (`message.authors`)
 * the first time a page shows one, a chat's unknown ids in one request, and
 * kept for the tab's life. The members' own names come with the group.
 */
import type { Author } from '@chat/api';
import { createSignal } from 'solid-js';
import { api } from '../lib/trpc';

/** Per chat: each id's author, or null when the server does not name them there. */
const [known, setKnown] = createSignal<ReadonlyMap<string, ReadonlyMap<string, Author | null>>>(new Map());
const asked = new Map<string, Set<string>>();
const queued = new Map<string, Set<string>>();
let flushing = false;

/** The server's limit per request (domain/messages/authors.ts), copied as components/messages/limits.ts explains. */
const AUTHORS_MAX = 100;

function remember(chatId: string, ids: string[], authors: Author[]): void {
  setKnown((all) => {
    const chat = new Map(all.get(chatId) ?? []);
    for (const id of ids) chat.set(id, null);
    for (const a of authors) chat.set(a.id, a);
    return new Map(all).set(chatId, chat);
  });
}

async function ask(chatId: string, ids: string[]): Promise<void> {
  try {
    remember(chatId, ids, await api.message.authors.query({ chatId, userIds: ids }));
  } catch {
    // Asked again when next shown (offline now, or the chat is gone).
    for (const id of ids) asked.get(chatId)?.delete(id);
  }
}

function flush(): void {
  flushing = false;
  for (const [chatId, ids] of queued) {
    const list = [...ids];
    for (let i = 0; i < list.length; i += AUTHORS_MAX) void ask(chatId, list.slice(i, i + AUTHORS_MAX));
  }
  queued.clear();
}

/** Who `userId` was in `chatId`'s history: their name, undefined while asking, null if unknown there. */
export function authorIn(chatId: string, userId: string): Author | null | undefined {
  const found = known().get(chatId)?.get(userId);
  if (found !== undefined) return found;
  const mine = asked.get(chatId) ?? new Set<string>();
  asked.set(chatId, mine);
  if (!mine.has(userId)) {
    mine.add(userId);
    queued.set(chatId, (queued.get(chatId) ?? new Set()).add(userId));
    if (!flushing) {
      flushing = true;
      queueMicrotask(flush);
    }
  }
  return undefined;
}
