/**
 * Images and files over plain HTTP (binary bodies do not suit tRPC): upload
 * into a chat, and fetch one as a member. All authenticate with the session
 * cookie and leave every rule to the domain (packages/api/src/domain/media;
 * docs/media.md).
 */
import { Readable } from 'node:stream';
import {
  authenticate,
  type Deps,
  DomainError,
  databaseUnavailable,
  isDatabaseUnavailable,
  openFile,
  openImage,
  storeUpload,
} from '@chat/api/server';
import contentDisposition from 'content-disposition';
import type { Context, Hono } from 'hono';
import { z } from 'zod';

const statuses = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  too_large: 413,
  unavailable: 503,
} as const;

const uuid = z.uuid();

function fail(c: Context, status: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503, message: string, field?: string) {
  return c.json({ error: { message, field } }, status);
}

/** The client went away mid-body (a cancelled upload): nobody reads the answer, nothing to log. */
function isClientGone(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === 'ECONNRESET' || e?.message === 'aborted';
}

/** The domain's refusals with their status; a lost database is a retryable 503; anything else is a bug. */
function failWith(c: Context, caught: unknown) {
  if (isClientGone(caught)) return fail(c, 400, 'The upload was interrupted.');
  const error = isDatabaseUnavailable(caught) ? databaseUnavailable() : caught;
  if (!(error instanceof DomainError)) throw error;
  if (error.retryAfterSeconds) {
    c.header('retry-after', String(error.retryAfterSeconds));
    const status = error.kind === 'unavailable' ? 503 : 429;
    return c.json({ error: { message: error.message, retryAfterSeconds: error.retryAfterSeconds } }, status);
  }
  return fail(c, statuses[error.kind], error.message, error.field);
}

/** Reads the body up to `limit` bytes; null when it is longer. */
async function readCapped(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Buffer | null> {
  if (!body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(Buffer.from(value));
  }
}

/** `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266/5987) by a library: a name never reaches a header raw. */
const disposition = (type: 'inline' | 'attachment', fileName: string) => contentDisposition(fileName, { type });

/** "50 MB", "1.5 MB": the limit as people read it. */
const megabytes = (bytes: number) => `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;

export interface MediaOptions {
  /** The largest upload (an image or any other file), from FILE_MAX_MB. */
  fileMaxBytes: number;
}

export function mountMedia(app: Hono, deps: Deps, options: MediaOptions): void {
  const tooBig = `This file is larger than ${megabytes(options.fileMaxBytes)}, the largest upload this server takes.`;

  /** 413, closing the connection: the rest of the body is left unread, so the connection cannot carry another request. */
  const refuseTooBig = (c: Context) => {
    c.header('connection', 'close');
    return fail(c, 413, tooBig, 'file');
  };

  /** `POST /api/uploads?chatId=…&name=…` with the file (an image or any other) as the raw body. */
  app.post('/api/uploads', async (c) => {
    try {
      const auth = await deps.withinDeadline(authenticate(deps, c.req.header('cookie')));
      if (!auth) return fail(c, 401, 'Please sign in.');
      const chatId = uuid.safeParse(c.req.query('chatId'));
      if (!chatId.success) return fail(c, 400, 'That is not a valid chat id.', 'chatId');
      if (Number(c.req.header('content-length') ?? 0) > options.fileMaxBytes) return refuseTooBig(c);
      // Counted before the body is read: a refused upload costs no decoding.
      await deps.withinDeadline(deps.limits.consume('upload', auth.user.id));
      // Held in memory up to the limit (judged as a whole: sniffed, maybe re-encoded); longer is cut off unread.
      const data = await readCapped(c.req.raw.body, options.fileMaxBytes);
      if (!data) return refuseTooBig(c);
      const upload = await storeUpload(deps, auth.user.id, {
        chatId: chatId.data,
        fileName: c.req.query('name'),
        data,
      });
      return c.json(upload, 201);
    } catch (error) {
      return failWith(c, error);
    }
  });

  /** `GET /api/images/<id>` (the image), `/api/images/<id>/thumb`; `?download=1` to save it. */
  for (const variant of ['full', 'thumb'] as const) {
    app.get(variant === 'full' ? '/api/images/:id' : '/api/images/:id/thumb', async (c) => {
      try {
        const auth = await deps.withinDeadline(authenticate(deps, c.req.header('cookie')));
        if (!auth) return fail(c, 401, 'Please sign in.');
        const id = uuid.safeParse(c.req.param('id'));
        if (!id.success) return fail(c, 404, 'This image does not exist, or you cannot see it.');
        const image = await deps.withinDeadline(openImage(deps, auth.user.id, id.data, variant));
        const type = c.req.query('download') ? 'attachment' : 'inline';
        return new Response(Readable.toWeb(image.body) as ReadableStream, {
          headers: {
            'content-type': image.contentType,
            'content-length': String(image.length),
            'content-disposition': disposition(type, image.fileName),
            'x-content-type-options': 'nosniff',
            'content-security-policy': "default-src 'none'; sandbox",
            // Members only: never in a shared cache; a removed member's browser forgets it soon.
            'cache-control': 'private, max-age=300',
          },
        });
      } catch (error) {
        return failWith(c, error);
      }
    });
  }

  /**
   * `GET /api/files/<id>`: a file's bytes as uploaded, always as a download:
   * never rendered by the browser (attachment, nosniff, a sandbox), and typed
   * as application/octet-stream unless the sniffed type is on the safe list.
   */
  app.get('/api/files/:id', async (c) => {
    try {
      const auth = await deps.withinDeadline(authenticate(deps, c.req.header('cookie')));
      if (!auth) return fail(c, 401, 'Please sign in.');
      const id = uuid.safeParse(c.req.param('id'));
      if (!id.success) return fail(c, 404, 'This file does not exist, or you cannot see it.');
      const file = await deps.withinDeadline(openFile(deps, auth.user.id, id.data));
      return new Response(Readable.toWeb(file.body) as ReadableStream, {
        headers: {
          'content-type': file.contentType,
          'content-length': String(file.length),
          'content-disposition': disposition('attachment', file.fileName),
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; sandbox",
          'cache-control': 'private, max-age=300',
        },
      });
    } catch (error) {
      return failWith(c, error);
    }
  });
}
