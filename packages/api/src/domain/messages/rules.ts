import { z } from 'zod';

export const MESSAGE_MAX_LENGTH = 4000;

/** The text of a message: kept as typed, but never blank and never longer than the limit. */
export const messageBody = z
  .string()
  .max(MESSAGE_MAX_LENGTH, `A message can be at most ${MESSAGE_MAX_LENGTH.toLocaleString('en')} characters.`)
  .refine((s) => s.trim().length > 0, 'Write something first: a message cannot be empty.');
