/**
 * Mentions: `@username` in a message's text, and `@all` for everyone in the
 * chat. A mention is `@` not following a character a username or an address
 * could hold, then a username (case ignored), not followed by more of one
 * (`@bob.` mentions bob; `@bob.smith` does not). One rule for the server's
 * counts (SQL in domain/messages/mentions.ts, from these parts) and the web
 * app's highlighting (`@chat/api/client/mentions`); docs/send-path.md, "Mentions".
 */

/** The word that mentions every member of the chat. */
export const MENTION_ALL = 'all';

/** Not after a character a username or an address holds (domain/auth/rules.ts). */
export const MENTION_BEFORE = '(?<![A-Za-z0-9._@-])';
/** Not followed by more of a username. */
export const MENTION_AFTER = '(?![A-Za-z0-9_-]|[.][A-Za-z0-9])';

/** A username as it may be written after `@` (rules.ts), for finding every mention. */
const ANY_NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';

/** Whether `text` mentions `username` (or everyone), case ignored. */
export function mentions(text: string, username: string): boolean {
  const name = username.replaceAll('.', '[.]');
  return new RegExp(`${MENTION_BEFORE}@(${name}|${MENTION_ALL})${MENTION_AFTER}`, 'i').test(text);
}

/** A mention found in text: where it starts (at the `@`), its length, and the name written (without `@`). */
export interface FoundMention {
  index: number;
  length: number;
  name: string;
}

/** Every mention-shaped `@name` in `text`, in order (whether such a user exists is the caller's to say). */
export function findMentions(text: string): FoundMention[] {
  const found: FoundMention[] = [];
  const pattern = new RegExp(`${MENTION_BEFORE}@(${ANY_NAME})${MENTION_AFTER}`, 'g');
  for (const match of text.matchAll(pattern)) {
    const name = match[1] ?? '';
    found.push({ index: match.index, length: name.length + 1, name });
  }
  return found;
}
