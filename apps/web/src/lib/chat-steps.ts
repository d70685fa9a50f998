/**
 * Alt+↑/↓: the chat above or below the open one in the chat list, in the
 * list's own order (most recent activity first). It stops at the ends rather
 * than wrapping: the list reorders as messages arrive, and jumping from the
 * newest chat to the oldest would lose one's place. With no chat open, ↓
 * opens the top chat and ↑ the bottom one.
 */
import type { ChatSummary } from '@chat/api';

type Listed = Pick<ChatSummary, 'id' | 'kind' | 'peer'>;

/** The chat a path shows (`/chats/@bob…`, `/groups/<id>…`), if it is in the list. */
export function chatAtPath(pathname: string, chats: readonly Listed[]): Listed | undefined {
  const direct = /^\/chats\/@([^/]+)/.exec(pathname);
  if (direct) {
    const username = decodeURIComponent(direct[1] ?? '');
    return chats.find((c) => c.kind === 'direct' && c.peer?.username === username);
  }
  const group = /^\/groups\/([^/]+)/.exec(pathname);
  if (group) return chats.find((c) => c.id === group[1]);
  return undefined;
}

/** The chat one step up (-1) or down (+1) from `current`; undefined at an end or with no chats. */
export function stepChat<T extends Listed>(
  chats: readonly T[],
  current: Listed | undefined,
  step: -1 | 1,
): T | undefined {
  if (!current) return step === 1 ? chats[0] : chats.at(-1);
  const at = chats.findIndex((c) => c.id === current.id);
  if (at < 0) return step === 1 ? chats[0] : chats.at(-1);
  return chats[at + step];
}
