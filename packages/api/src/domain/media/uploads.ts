/**
 * Uploading images and files into a chat, serving them to its members, and
 * binding them to a message (docs/media.md). The bytes decide the kind: an
 * image we accept is re-encoded; anything else is kept as given, a file.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { type Executor, type Upload, uploads } from '@chat/db';
import { and, eq, isNull, lt } from 'drizzle-orm';
import type { Deps } from '../../deps';
import { accessChat } from '../access/chats';
import { accessUpload } from '../access/uploads';
import { checkMaySend } from '../access/writing';
import { type AttachmentView, toAttachmentView } from '../messages/view';
import { servedContentType, sniffUpload, UNKNOWN_TYPE } from './files';
import { encodeImage } from './images';

export { MAX_ATTACHMENTS } from '../messages/rules';

type Kind = Upload['kind'];

const imageKeys = (id: string) => ({ full: `images/${id}`, thumb: `images/${id}.thumb.webp` });
/** Every blob an upload has: an image's two, a file's one. */
const blobKeysOf = (u: { id: string; kind: Kind }): string[] =>
  u.kind === 'image' ? Object.values(imageKeys(u.id)) : [`files/${u.id}`];

/**
 * A name to show and to offer on download: its last path segment only, no
 * control or format characters (line breaks, bidi overrides), not only dots,
 * not too long. It never reaches a header or a path as it is: keys are ids,
 * and the route encodes it (content-disposition).
 */
export function cleanFileName(name: string | undefined, fallback = 'image'): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // Cut by code points: half an emoji (a lone surrogate) would break the header's encoding.
  const clean = [...base.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '').trim()].slice(0, 200).join('');
  return /^\.*$/.test(clean) ? fallback : clean;
}

export interface UploadInput {
  chatId: string;
  fileName?: string;
  data: Buffer;
}

export async function storeUpload(deps: Deps, actorId: string, input: UploadInput): Promise<AttachmentView> {
  const chat = await accessChat(deps.db, actorId, input.chatId);
  await checkMaySend(deps.db, chat, actorId);
  const sniffed = await sniffUpload(input.data);
  if (sniffed.kind === 'file') return storeFile(deps, actorId, chat.id, input, sniffed.contentType);
  const image = await encodeImage(input.data);
  const id = randomUUID();
  const keys = imageKeys(id);
  await deps.blobs.put(keys.full, image.data, image.contentType);
  await deps.blobs.put(keys.thumb, image.thumb.data, 'image/webp');
  try {
    const [row] = await deps.db
      .insert(uploads)
      .values({
        id,
        uploaderId: actorId,
        chatId: chat.id,
        kind: 'image',
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

/** A file's bytes as given, under `files/<id>`; sizes in pixels are 0. */
async function storeFile(
  deps: Deps,
  actorId: string,
  chatId: string,
  input: UploadInput,
  contentType: string,
): Promise<AttachmentView> {
  const id = randomUUID();
  const [key] = blobKeysOf({ id, kind: 'file' });
  if (!key) throw new Error('unreachable: a file has one blob');
  await deps.blobs.put(key, input.data, UNKNOWN_TYPE);
  try {
    const [row] = await deps.db
      .insert(uploads)
      .values({
        id,
        uploaderId: actorId,
        chatId,
        kind: 'file',
        contentType,
        fileName: cleanFileName(input.fileName, 'file'),
        bytes: input.data.length,
        width: 0,
        height: 0,
        thumbWidth: 0,
        thumbHeight: 0,
      })
      .returning();
    if (!row) throw new Error('upload insert returned nothing');
    return toAttachmentView(row);
  } catch (error) {
    await deps.blobs.delete([key]).catch(() => {});
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
  const upload = await accessUpload(deps.db, actorId, uploadId, 'image');
  const keys = imageKeys(upload.id);
  const blob = await deps.blobs.get(variant === 'full' ? keys.full : keys.thumb);
  if (!blob) throw new Error(`blob missing for upload ${upload.id}`);
  return {
    ...blob,
    contentType: variant === 'full' ? upload.contentType : 'image/webp',
    fileName: upload.fileName,
  };
}

export interface OpenedFile {
  body: Readable;
  length: number;
  /** What to send as Content-Type: the sniffed type if it is on the safe list, else application/octet-stream. */
  contentType: string;
  fileName: string;
}

/** A file's bytes, exactly as uploaded, for a member of its chat. */
export async function openFile(deps: Deps, actorId: string, uploadId: string): Promise<OpenedFile> {
  const upload = await accessUpload(deps.db, actorId, uploadId, 'file');
  const [key] = blobKeysOf(upload);
  const blob = key ? await deps.blobs.get(key) : null;
  if (!blob) throw new Error(`blob missing for upload ${upload.id}`);
  return { ...blob, contentType: servedContentType(upload.contentType), fileName: upload.fileName };
}

/** Detaches and forgets a message's images and files (on delete); returns the blob keys to remove after commit. */
export async function dropMessageUploads(tx: Executor, messageId: string): Promise<string[]> {
  const gone = await tx
    .delete(uploads)
    .where(eq(uploads.messageId, messageId))
    .returning({ id: uploads.id, kind: uploads.kind });
  return gone.flatMap(blobKeysOf);
}

/** Removes uploads never attached to a message since `cutoff`, with their blobs. */
export async function removeUnattached(deps: Pick<Deps, 'db' | 'blobs'>, cutoff: Date): Promise<number> {
  const gone = await deps.db
    .delete(uploads)
    .where(and(isNull(uploads.messageId), lt(uploads.createdAt, cutoff)))
    .returning({ id: uploads.id, kind: uploads.kind });
  await deps.blobs.delete(gone.flatMap(blobKeysOf));
  return gone.length;
}
