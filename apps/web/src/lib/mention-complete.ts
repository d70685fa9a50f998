/**
 * Completing a mention in the composer, pure: the `@name` being typed just
 * before the caret, the members it may mean, and the text with one chosen.
 */
import { MENTION_ALL } from '@chat/api/client/mentions';

/** Someone a mention may name. */
export interface Mentionable {
  id: string;
  username: string;
  displayName: string;
}

/** The `@…` being typed: where its `@` is, and what follows it up to the caret. */
export interface MentionQuery {
  start: number;
  query: string;
}

/** Suggestions shown at most. */
export const MAX_SUGGESTIONS = 6;

/** The mention being typed just before `caret`, or null (an `@` inside a word or address is none). */
export function mentionQuery(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const match = /(?:^|[^A-Za-z0-9._@-])@([A-Za-z0-9._-]{0,32})$/.exec(before);
  if (!match) return null;
  const query = match[1] ?? '';
  return { start: caret - query.length - 1, query };
}

/**
 * Members the query may mean, best first: those whose username starts with
 * it, then those with a word of their name starting with it; never the
 * writer. `@all` is offered in a group when it matches.
 */
export function mentionSuggestions(
  members: readonly Mentionable[],
  query: string,
  myId: string | undefined,
  offerAll: boolean,
): Mentionable[] {
  const q = query.toLowerCase();
  const others = members.filter((m) => m.id !== myId);
  const byUsername = others.filter((m) => m.username.toLowerCase().startsWith(q));
  const byName = others.filter(
    (m) =>
      !byUsername.includes(m) &&
      m.displayName
        .toLowerCase()
        .split(/\s+/)
        .some((word) => word.startsWith(q)),
  );
  const all: Mentionable[] =
    offerAll && MENTION_ALL.startsWith(q)
      ? [{ id: MENTION_ALL, username: MENTION_ALL, displayName: 'Everyone here' }]
      : [];
  const sort = (list: Mentionable[]) => [...list].sort((a, b) => a.username.localeCompare(b.username));
  return [...sort(byUsername), ...sort(byName), ...all].slice(0, MAX_SUGGESTIONS);
}

/** `text` with the query at `at` replaced by `@username ` and where the caret goes after it. */
export function completeMention(
  text: string,
  caret: number,
  at: MentionQuery,
  username: string,
): { text: string; caret: number } {
  const inserted = `@${username} `;
  const rest = text.slice(caret).replace(/^ /, '');
  return { text: text.slice(0, at.start) + inserted + rest, caret: at.start + inserted.length };
}
