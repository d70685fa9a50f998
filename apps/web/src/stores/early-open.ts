/**
 * A cold load of a group's address asks for the group and its newest messages
 * at once, in the same request as the session, instead of one round trip after
 * another (session, then the group, then its messages: docs/web-timeline.md,
 * "Where it opens"). The stores that ask for the same a moment later take these
 * answers (`answerEarly`); an answer not taken within a few seconds, or one that
 * failed (signed out, not a member), is dropped and the store asks itself.
 */
import { api } from '../lib/trpc';

/** The newest messages of a chat, the page a chat opens at. */
export const LATEST_PAGE = 50;
const FRESH_MS = 5_000;

const early = new Map<string, { at: number; answer: Promise<unknown> }>();

function askEarly(key: string, ask: () => Promise<unknown>): void {
  const answer = ask();
  answer.catch(() => {}); // a failure is the store's to meet, when it asks itself
  early.set(key, { at: performance.now(), answer });
}

/** The early answer for `key` when there is a fresh one that did not fail; otherwise `ask()`. Taken once. */
export async function answerEarly<T>(key: string, ask: () => Promise<T>): Promise<T> {
  return (await takeEarly(key, ask)).value;
}

/** `answerEarly`, saying whether the answer was the early one (read before the caller followed the stream). */
export async function takeEarly<T>(key: string, ask: () => Promise<T>): Promise<{ value: T; early: boolean }> {
  const found = early.get(key);
  early.delete(key);
  if (found && performance.now() - found.at < FRESH_MS) {
    try {
      return { value: (await found.answer) as T, early: true };
    } catch {
      // asked again below, now that the session is known
    }
  }
  return { value: await ask(), early: false };
}

export const groupKey = (chatId: string) => `chats.get ${chatId}`;
export const latestKey = (chatId: string) => `message.history ${chatId}`;

const GROUP_ADDRESS = /^\/groups\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;

/**
 * A group opened in the app: its newest page is asked for now, beside its
 * details, rather than once the details are there (the pane waits for them).
 * Not when a cold load asked already.
 */
export function askForGroupPage(chatId: string): void {
  if (early.has(latestKey(chatId))) return;
  askEarly(latestKey(chatId), () => api.message.history.query({ chatId, direction: 'older', limit: LATEST_PAGE }));
}

/** Called once at start with the address opened: a group's asks for its details and newest page now. */
export function askForAddress(path: string): void {
  const chatId = GROUP_ADDRESS.exec(path)?.[1];
  if (!chatId) return;
  askEarly(groupKey(chatId), () => api.chats.get.query({ chatId }));
  askEarly(latestKey(chatId), () => api.message.history.query({ chatId, direction: 'older', limit: LATEST_PAGE }));
}
