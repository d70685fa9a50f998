/**
 * Images and files being attached to the next message of a chat, per chat for as long
 * as the tab lives (like the composer's draft): each uploads at once, with
 * its progress, and can be cancelled; a refused one shows the server's reason.
 * The message takes the uploaded ones when it is sent.
 */
import { type Accessor, createEffect, createRoot, createSignal, on } from 'solid-js';
import type { Attachment } from '../lib/outbox-queue';
import { UploadCancelled, uploadFile } from '../lib/upload-request';
import { currentUser } from './session';

/** The server's limits (packages/api domain/media): copied, not imported (see components/messages/limits.ts). */
export const MAX_ATTACHMENTS = 10;
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
/** Types the server shows as images (and holds to 20 MB); any other file's limit is the server's FILE_MAX_MB, which it enforces. */
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

export type UploadStatus = 'uploading' | 'done' | 'failed';

export interface PendingUpload {
  key: string;
  name: string;
  bytes: number;
  status: UploadStatus;
  /** 0…1 while uploading. */
  progress: number;
  error: string | null;
  attachment: Attachment | null;
}

export interface UploadTray {
  items: Accessor<PendingUpload[]>;
  /** Starts uploading these files; past the limit, or too big, they show as refused without uploading. */
  add(files: readonly File[]): void;
  /** Stops an upload (or forgets a finished or refused one). */
  remove(key: string): void;
  /** Some are still uploading. */
  busy: Accessor<boolean>;
  /** What finished uploading, in the order added. */
  ready: Accessor<Attachment[]>;
  /** After sending: forgets everything (what was uploaded now belongs to the message). */
  clear(): void;
}

const trays = new Map<string, UploadTray>();
let counter = 0;

function createTray(chatId: string): UploadTray {
  const [items, setItems] = createSignal<PendingUpload[]>([]);
  const aborts = new Map<string, () => void>();
  const update = (key: string, patch: Partial<PendingUpload>) =>
    setItems((list) => list.map((u) => (u.key === key ? { ...u, ...patch } : u)));

  const start = (file: File, key: string) => {
    const request = uploadFile(chatId, file, (progress) => update(key, { progress }));
    aborts.set(key, request.abort);
    request.done.then(
      (attachment) => update(key, { status: 'done', progress: 1, attachment }),
      (error: unknown) => {
        if (error instanceof UploadCancelled) return;
        update(key, { status: 'failed', error: error instanceof Error ? error.message : String(error) });
      },
    );
    void request.done.finally(() => aborts.delete(key)).catch(() => {});
  };

  return {
    items,
    add(files) {
      const added: PendingUpload[] = [];
      const toStart: [File, string][] = [];
      let kept = items().filter((u) => u.status !== 'failed').length;
      for (const file of files) {
        counter += 1;
        const item: PendingUpload = {
          key: `u${counter}`,
          name: file.name || 'file',
          bytes: file.size,
          status: 'uploading',
          progress: 0,
          error: null,
          attachment: null,
        };
        if (kept >= MAX_ATTACHMENTS) {
          added.push({
            ...item,
            status: 'failed',
            error: `At most ${MAX_ATTACHMENTS} images and files in one message.`,
          });
        } else if (IMAGE_TYPES.has(file.type) && file.size > MAX_IMAGE_BYTES) {
          added.push({ ...item, status: 'failed', error: 'This image is larger than 20 MB.' });
        } else {
          kept += 1;
          added.push(item);
          toStart.push([file, item.key]);
        }
      }
      setItems((list) => [...list, ...added]);
      for (const [file, key] of toStart) start(file, key);
    },
    remove(key) {
      aborts.get(key)?.();
      setItems((list) => list.filter((u) => u.key !== key));
    },
    busy: () => items().some((u) => u.status === 'uploading'),
    ready: () => items().flatMap((u) => (u.status === 'done' && u.attachment ? [u.attachment] : [])),
    clear() {
      for (const abort of aborts.values()) abort();
      setItems([]);
    },
  };
}

// Another user signs in on this tab: nothing of the last one's stays.
createRoot(() => {
  createEffect(
    on(
      () => currentUser()?.id,
      () => {
        for (const tray of trays.values()) tray.clear();
        trays.clear();
      },
      { defer: true },
    ),
  );
});

/** The tray of `chatId` (one per chat for the life of the tab). */
export function uploadTray(chatId: string): UploadTray {
  let tray = trays.get(chatId);
  if (!tray) {
    tray = createRoot(() => createTray(chatId));
    trays.set(chatId, tray);
  }
  return tray;
}

/** The files pasted or dropped (the server judges whether each is an image or a file). */
export function filesOf(data: DataTransfer | null): File[] {
  if (!data) return [];
  return [...data.files];
}
