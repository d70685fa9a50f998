import { z } from 'zod';
import { forbidden } from '../../errors';

export const MESSAGE_MAX_LENGTH = 4000;

/** Images one message may carry. */
export const MAX_ATTACHMENTS = 10;

export const EMPTY_MESSAGE = 'Write something first: a message cannot be empty.';

/** The text of a message, kept as typed. May be empty only when images are attached (checked by the domain). */
export const messageText = z
  .string()
  .max(MESSAGE_MAX_LENGTH, `A message can be at most ${MESSAGE_MAX_LENGTH.toLocaleString('en')} characters.`);

/** Text that must say something (an edit). */
export const messageBody = messageText.refine((s) => s.trim().length > 0, EMPTY_MESSAGE);

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** One emoji (one grapheme: skin tones, ZWJ sequences, flags and keycaps included). */
export function isOneEmoji(s: string): boolean {
  if ([...graphemes.segment(s)].length !== 1) return false;
  return /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u.test(s);
}

export const emoji = z
  .string()
  .min(1, 'Pick an emoji.')
  .max(32, 'Pick one emoji.')
  .refine(isOneEmoji, 'Pick one emoji.');

/**
 * A line about the group (chats/system-lines.ts) is the group's record, not
 * anyone's words: nobody edits, deletes, reacts to or replies to it, its
 * sender (who caused it) included.
 */
export function checkWrittenByPerson(message: { system: unknown }): void {
  if (message.system !== null && message.system !== undefined) throw forbidden(LINE_IS_NOBODYS);
}

export const LINE_IS_NOBODYS =
  'This line records a change to the group: it cannot be edited, deleted, reacted to or replied to.';
