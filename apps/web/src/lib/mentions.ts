/** Mentions in shown text, pure: where `@name`s are, and which are the viewer's (the rule: `@chat/api/client/mentions`). */
import type { MessageView } from '@chat/api';
import { findMentions, MENTION_ALL, mentions } from '@chat/api/client/mentions';

/**
 * Whether a message counts as a mention of the viewer: it names them (or
 * `@all`), or it replies to one of their messages, as the server counts it
 * (packages/api/src/domain/messages/receipts.ts).
 */
export function mentionsViewer(
  message: Pick<MessageView, 'body' | 'replyTo'>,
  me: { id: string; username: string },
): boolean {
  return mentions(message.body ?? '', me.username) || message.replyTo?.senderId === me.id;
}

export type Piece = { text: string; mention: false } | { text: string; mention: true; me: boolean };

/** Text with its `@name` mentions apart; one of the viewer (or `@all`) is marked `me`. */
export function mentionPieces(text: string, myUsername: string | undefined): Piece[] {
  const found = findMentions(text);
  if (found.length === 0) return [{ text, mention: false }];
  const mine = myUsername?.toLowerCase();
  const pieces: Piece[] = [];
  let at = 0;
  for (const m of found) {
    if (m.index > at) pieces.push({ text: text.slice(at, m.index), mention: false });
    const name = m.name.toLowerCase();
    pieces.push({
      text: text.slice(m.index, m.index + m.length),
      mention: true,
      me: name === mine || name === MENTION_ALL,
    });
    at = m.index + m.length;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), mention: false });
  return pieces;
}
