/**
 * What the quick switcher (Ctrl/⌘+K) lists for what was typed: the user's
 * chats (one-to-one by the other person's name or username, groups by name)
 * and contacts they have no chat with yet. Pure; the dialog is
 * components/keyboard/quick-switcher.tsx.
 */
import type { ChatSummary, Profile } from '@chat/api';

export interface SwitcherItem {
  /** Unique in the list: the chat's id, or `contact:<userId>`. */
  key: string;
  kind: 'direct' | 'group' | 'contact';
  title: string;
  /** The other person's id (one-to-one chats and contacts), for their avatar and presence. */
  userId: string | null;
  username: string | null;
  unread: number;
  /** Where choosing it goes; `/chats/@name` creates the chat with a contact on first open. */
  path: string;
}

export interface SwitcherSource {
  /** The chat list, in its order (most recent first). */
  chats: readonly ChatSummary[];
  /** The address book's contacts (alphabetical). */
  contacts: readonly Profile[];
  titleOf(chat: ChatSummary): string;
  pathOf(chat: ChatSummary): string;
}

/** More than this is not a list one reads; typing narrows it. */
export const SWITCHER_LIMIT = 50;

function fromChat(chat: ChatSummary, source: SwitcherSource): SwitcherItem {
  return {
    key: chat.id,
    kind: chat.kind,
    title: source.titleOf(chat),
    userId: chat.peer?.id ?? null,
    username: chat.peer?.username ?? null,
    unread: chat.readState.unreadCount,
    path: source.pathOf(chat),
  };
}

function fromContact(contact: Profile): SwitcherItem {
  return {
    key: `contact:${contact.id}`,
    kind: 'contact',
    title: contact.displayName,
    userId: contact.id,
    username: contact.username,
    unread: 0,
    path: `/chats/@${contact.username}`,
  };
}

/** Case and accents do not count: "jose" finds "José". */
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

/**
 * How well `query` (folded) matches: 0 a name starts with it, 1 a word in a
 * name does, 2 a name contains it; null no match. "@bo" looks at usernames only.
 */
export function matchRank(item: Pick<SwitcherItem, 'title' | 'username'>, query: string): number | null {
  const byUsername = query.startsWith('@');
  const q = byUsername ? query.slice(1) : query;
  const names = (byUsername ? [item.username] : [item.title, item.username]).filter((n): n is string => Boolean(n));
  let best: number | null = null;
  for (const name of names.map(fold)) {
    const rank = name.startsWith(q)
      ? 0
      : name.split(/[\s._-]+/).some((w) => w.startsWith(q))
        ? 1
        : name.includes(q)
          ? 2
          : null;
    if (rank !== null && (best === null || rank < best)) best = rank;
  }
  return best;
}

/**
 * Nothing typed: unread chats first, then the other chats, each in the list's
 * order, then contacts without a chat. Something typed: best matches first,
 * chats before contacts among equals, otherwise in that same order.
 */
export function switcherItems(source: SwitcherSource, query: string): SwitcherItem[] {
  const withChat = new Set(source.chats.map((c) => c.peer?.id).filter(Boolean));
  const chats = source.chats.map((c) => fromChat(c, source));
  const contacts = source.contacts.filter((c) => !withChat.has(c.id)).map(fromContact);
  const q = fold(query.trim());
  if (!q) {
    const unread = chats.filter((c) => c.unread > 0);
    const read = chats.filter((c) => c.unread === 0);
    return [...unread, ...read, ...contacts].slice(0, SWITCHER_LIMIT);
  }
  return [...chats, ...contacts]
    .map((item, order) => ({ item, order, rank: matchRank(item, q) }))
    .filter((m): m is { item: SwitcherItem; order: number; rank: number } => m.rank !== null)
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .slice(0, SWITCHER_LIMIT)
    .map((m) => m.item);
}
