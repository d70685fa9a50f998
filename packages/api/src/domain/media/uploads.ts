/** Uploading images into a chat, serving them to its members, and binding them to a message. */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { type Executor, uploads } from '@chat/db';
import { and, eq, isNull, lt } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { accessChat } from '../access/chats';
import { accessUpload } from '../access/uploads';
import { checkMaySend } from '../access/writing';
import { type AttachmentView, toAttachmentView } from '../messages/view';
import { encodeImage } from './images';

export { MAX_ATTACHMENTS } from '../messages/rules';

const blobKeys = (id: string) => ({ full: `images/${id}`, thumb: `images/${id}.thumb.webp` });

/** A name for the download button: no folders, no control characters, not too long. */
export function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base
    .replace(/[\p{Cc}\p{Cf}"]/gu, '')
    .trim()
    .slice(0, 200);
  return clean || 'image';
}

export interface UploadInput {
  chatId: string;
  fileName?: string;
  data: Buffer;
}

export async function storeUpload(deps: Deps, actorId: string, input: UploadInput): Promise<AttachmentView> {
  const chat = await accessChat(deps.db, actorId, input.chatId);
  await checkMaySend(deps.db, chat, actorId);
  const image = await encodeImage(input.data);
  const id = randomUUID();
  const keys = blobKeys(id);
  await deps.blobs.put(keys.full, image.data, image.contentType);
  await deps.blobs.put(keys.thumb, image.thumb.data, 'image/webp');
  try {
    const [row] = await deps.db
      .insert(uploads)
      .values({
        id,
        uploaderId: actorId,
        chatId: chat.id,
        contentType: image.contentType,
        fileName: cleanFileName(input.fileName),
        bytes: image.data.length,
        width: image.width,
        height: image.height,
        thumbWidth: image.thumb.width,
        thumbHeight: image.thumb.height,
      })
      .returning();
    if (!row) throw new Error('upload insert returned nothing');
    return toAttachmentView(row);
  } catch (error) {
    await deps.blobs.delete([keys.full, keys.thumb]).catch(() => {});
    throw error;
  }
}

export interface OpenedImage {
  body: Readable;
  length: number;
  contentType: string;
  fileName: string;
}

/** The image's bytes for a member of its chat (the thumbnail is always WebP). */
export async function openImage(
  deps: Deps,
  actorId: string,
  uploadId: string,
  variant: 'full' | 'thumb',
): Promise<OpenedImage> {
  const upload = await accessUpload(deps.db, actorId, uploadId);
  const keys = blobKeys(upload.id);
  const blob = await deps.blobs.get(variant === 'full' ? keys.full : keys.thumb);
  if (!blob) throw new Error(`blob missing for upload ${upload.id}`);
  return {
    ...blob,
    contentType: variant === 'full' ? upload.contentType : 'image/webp',
    fileName: upload.fileName,
  };
}

/** Detaches and forgets a message's images (on delete); returns the blob keys to remove after commit. */
export async function dropMessageUploads(tx: Executor, messageId: string): Promise<string[]> {
  const gone = await tx.delete(uploads).where(eq(uploads.messageId, messageId)).returning({ id: uploads.id });
  return gone.flatMap((g) => Object.values(blobKeys(g.id)));
}

/** Removes uploads never attached to a message since `cutoff`, with their blobs. */
export async function removeUnattached(deps: Pick<Deps, 'db' | 'blobs'>, cutoff: Date): Promise<number> {
  const gone = await deps.db
    .delete(uploads)
    .where(and(isNull(uploads.messageId), lt(uploads.createdAt, cutoff)))
    .returning({ id: uploads.id });
  await deps.blobs.delete(gone.flatMap((g) => Object.values(blobKeys(g.id))));
  return gone.length;
}
