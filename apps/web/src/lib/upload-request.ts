/**
 * Uploading one image or file into a chat: `POST /api/uploads?chatId=…&name=…` with
 * the file as the body (apps/server/src/routes/media.ts). XMLHttpRequest,
 * because fetch cannot report upload progress. The server judges the file
 * by its bytes; its refusal comes back as `{ error: { message } }` and is
 * shown as it is.
 */
import type { Attachment } from './outbox-queue';

export class UploadError extends Error {}

/** The upload was cancelled: not an error to show. */
export class UploadCancelled extends Error {
  constructor() {
    super('Upload cancelled.');
  }
}

export interface UploadRequest {
  done: Promise<Attachment>;
  abort(): void;
}

function isAttachment(value: unknown): value is Attachment {
  if (typeof value !== 'object' || value === null) return false;
  const a = value as Record<string, unknown>;
  return (
    typeof a.id === 'string' &&
    (a.kind === 'image' || a.kind === 'file') &&
    typeof a.bytes === 'number' &&
    typeof a.thumbWidth === 'number'
  );
}

/** The server's words for a refusal, or a plain one from the status. */
export function refusalMessage(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
  } catch {
    // not JSON: say what the status means
  }
  if (status === 0) return 'Could not upload: no connection to the server.';
  if (status === 413) return 'This file is larger than the server takes.';
  if (status === 401) return 'Please sign in again to upload files.';
  return `Could not upload (the server answered ${status}).`;
}

/** Uploads `file` (an image or any other file: the server tells which by its bytes). */
export function uploadFile(chatId: string, file: File, onProgress: (fraction: number) => void): UploadRequest {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Attachment>((resolve, reject) => {
    const query = new URLSearchParams({ chatId, name: file.name });
    xhr.open('POST', `/api/uploads?${query}`);
    // Never the file's own type: the server reads the bytes, and refuses a form's types (text/plain…) as cross-site posts.
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.responseType = 'text';
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => {
      if (xhr.status === 201) {
        try {
          const answer: unknown = JSON.parse(xhr.responseText);
          if (isAttachment(answer)) return resolve(answer);
        } catch {
          // fall through
        }
        return reject(new UploadError('The server answered the upload with something unexpected.'));
      }
      reject(new UploadError(refusalMessage(xhr.status, xhr.responseText)));
    });
    xhr.addEventListener('error', () => reject(new UploadError(refusalMessage(0, ''))));
    xhr.addEventListener('abort', () => reject(new UploadCancelled()));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}
