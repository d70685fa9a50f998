/**
 * Who may see an image (DESIGN.md invariant 6): the members of its chat, once
 * it is attached to a message; before that, only its uploader (still a
 * member). Anyone else gets the same answer as for an image that does not exist.
 */
import type { Executor, Upload } from '@chat/db';
import { uploads } from '@chat/db';
import { eq } from 'drizzle-orm';
import { notFound } from '../../errors';
import { isMember } from './chats';

export const IMAGE_NOT_FOUND = 'This image does not exist, or you cannot see it.';

export async function accessUpload(db: Executor, userId: string, uploadId: string): Promise<Upload> {
  const [row] = await db.select().from(uploads).where(eq(uploads.id, uploadId));
  if (!row) throw notFound(IMAGE_NOT_FOUND);
  if (!row.messageId && row.uploaderId !== userId) throw notFound(IMAGE_NOT_FOUND);
  if (!(await isMember(db, userId, row.chatId))) throw notFound(IMAGE_NOT_FOUND);
  return row;
}
