/**
 * Who may see an image or a file (DESIGN.md invariant 6): the members of its
 * chat, once it is attached to a message; before that, only its uploader
 * (still a member). Anyone else gets the same answer as for one that does
 * not exist, and so does a request for an image by a file's id or back.
 */
import type { Executor, Upload } from '@chat/db';
import { uploads } from '@chat/db';
import { eq } from 'drizzle-orm';
import { notFound } from '../../errors';
import { isMember } from './chats';

export const IMAGE_NOT_FOUND = 'This image does not exist, or you cannot see it.';
export const FILE_NOT_FOUND = 'This file does not exist, or you cannot see it.';

export async function accessUpload(
  db: Executor,
  userId: string,
  uploadId: string,
  kind: Upload['kind'] = 'image',
): Promise<Upload> {
  const missing = kind === 'image' ? IMAGE_NOT_FOUND : FILE_NOT_FOUND;
  const [row] = await db.select().from(uploads).where(eq(uploads.id, uploadId));
  if (!row || row.kind !== kind) throw notFound(missing);
  if (!row.messageId && row.uploaderId !== userId) throw notFound(missing);
  if (!(await isMember(db, userId, row.chatId))) throw notFound(missing);
  return row;
}
