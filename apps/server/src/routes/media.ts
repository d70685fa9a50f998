/**
 * Images over plain HTTP (binary bodies do not suit tRPC): upload into a
 * chat, and fetch one as a member. Both authenticate with the session cookie
 * and leave every rule to the domain (packages/api/src/domain/media).
 */
import { Readable } from 'node:stream';
import {
  authenticate,
  type Deps,
  DomainError,
  databaseUnavailable,
  isDatabaseUnavailable,
  MAX_IMAGE_BYTES,
  openImage,
  storeUpload,
} from '@chat/api/server';
import type { Context, Hono } from 'hono';
import { z } from 'zod';

const statuses = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
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

const TOO_BIG = 'This image is larger than 20 MB.';

export function mountMedia(app: Hono, deps: Deps): void {
  /** `POST /api/uploads?chatId=…&name=…` with the file as the raw body. */
  app.post('/api/uploads', async (c) => {
    try {
      const auth = await deps.withinDeadline(authenticate(deps, c.req.header('cookie')));
      if (!auth) return fail(c, 401, 'Please sign in.');
      const chatId = uuid.safeParse(c.req.query('chatId'));
      if (!chatId.success) return fail(c, 400, 'That is not a valid chat id.', 'chatId');
      if (Number(c.req.header('content-length') ?? 0) > MAX_IMAGE_BYTES) return fail(c, 413, TOO_BIG, 'file');
      // Counted before the body is read: a refused upload costs no decoding.
      await deps.withinDeadline(deps.limits.consume('upload', auth.user.id));
      const data = await readCapped(c.req.raw.body, MAX_IMAGE_BYTES);
      if (!data) return fail(c, 413, TOO_BIG, 'file');
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
        const disposition = c.req.query('download') ? 'attachment' : 'inline';
        return new Response(Readable.toWeb(image.body) as ReadableStream, {
          headers: {
            'content-type': image.contentType,
            'content-length': String(image.length),
            'content-disposition': `${disposition}; filename*=UTF-8''${encodeURIComponent(image.fileName)}`,
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
}
