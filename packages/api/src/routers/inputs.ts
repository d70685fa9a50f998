import { z } from 'zod';
import { USERNAME_MAX } from '../domain/auth/rules';

/** Input pieces shared by several routers. */
export const id = (what: string) => z.uuid(`That is not a valid ${what} id.`);
export const usernameRef = z
  .string()
  .max(USERNAME_MAX * 4, 'That username is too long.')
  .trim()
  .transform((v) => v.replace(/^@/, ''))
  .pipe(z.string().min(1, 'Enter a username.').max(USERNAME_MAX, 'That username is too long.'));
export const groupName = z
  .string()
  .trim()
  .min(1, 'Give the group a name.')
  .max(100, 'Group names are at most 100 characters.');
/** A client's name for one of its tabs (a UUID it makes): its stream and its idle reports carry it. */
export const tabIdInput = z.uuid('tabId must be a UUID the client made for its tab.');
