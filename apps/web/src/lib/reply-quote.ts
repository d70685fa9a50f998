/**
 * Replies, pure: the quote a reply shows of the message it answers, made here
 * for a reply still in the outbox and for an original edited or deleted while
 * its replies are on screen (the server resolves it on every read:
 * packages/api/src/domain/messages/quote.ts, whose first-line rule this mirrors).
 */
import type { MessageView } from '@chat/api';
import { plainText } from './markdown';

export type ReplyQuote = NonNullable<MessageView['replyTo']>;

const QUOTE_MAX = 200;

/** The first non-blank line of a text, cut at `QUOTE_MAX` characters (as the server cuts it). */
export function firstLine(body: string): string {
  const line = body.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '').split('\n')[0] ?? '';
  return [...line.replace(/\r+$/, '')].slice(0, QUOTE_MAX).join('');
}

/** The quote of `message` as it is now. */
export function quoteOf(
  message: Pick<MessageView, 'id' | 'senderId' | 'body' | 'deletedAt' | 'attachments'>,
): ReplyQuote {
  const deleted = Boolean(message.deletedAt) || message.body === null;
  return {
    messageId: message.id,
    senderId: message.senderId,
    text: deleted ? null : firstLine(message.body ?? ''),
    // Files are not images (the server's has_image, send-statement.ts).
    hasImage: !deleted && message.attachments.some((a) => a.kind === 'image'),
    deleted,
    fileName: deleted ? null : (message.attachments.find((a) => a.kind === 'file')?.fileName ?? null),
  };
}

const same = (a: ReplyQuote, b: ReplyQuote) =>
  a.messageId === b.messageId &&
  a.senderId === b.senderId &&
  a.text === b.text &&
  a.hasImage === b.hasImage &&
  a.deleted === b.deleted &&
  a.fileName === b.fileName;

/**
 * `list` with the quotes of `original` brought up to date (it was edited or
 * deleted); replies that already show it keep their identity, and so does a
 * list with none.
 */
export function withOriginal(list: readonly MessageView[], original: MessageView): MessageView[] {
  const quote = quoteOf(original);
  let changed = false;
  const next = list.map((m) => {
    if (m.replyToId !== original.id || (m.replyTo && same(m.replyTo, quote))) return m;
    changed = true;
    return { ...m, replyTo: quote };
  });
  return changed ? next : (list as MessageView[]);
}

/** What the quote says of the original: its first line without marks, "Image", its file's name, or "Deleted message". */
export function quoteText(quote: ReplyQuote): string {
  if (quote.deleted) return 'Deleted message';
  const text = quote.text ? plainText(quote.text) : '';
  if (text) return text;
  if (quote.hasImage) return 'Image';
  return quote.fileName ?? '';
}
