/**
 * Images: only real JPEG/PNG/GIF/WebP (judged by their bytes; anything else
 * is a file, files.int.test.ts), re-encoded without EXIF, bound to uploader and chat, visible to members only. The
 * local-directory store here; s3.int.test.ts runs the same path on S3.
 */
import { randomUUID } from 'node:crypto';
import { removeUnattached } from '@chat/api/server';
import { uploads } from '@chat/db';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { fetchImage, gpsJpeg, pngClaiming, solid, upload } from './images';
import { makeDirect, makeGroup } from './people';

let t: TestServer;
let alice: Person;
let bob: Person;
let stranger: Person;
let chat: string;
let otherChat: string;

beforeAll(async () => {
  t = await startTestServer();
  [alice, bob, stranger] = await Promise.all([
    makeUser(t.url, { prefix: 'alice' }),
    makeUser(t.url, { prefix: 'bob' }),
    makeUser(t.url, { prefix: 'stranger' }),
  ]);
  chat = await makeDirect(alice, bob);
  otherChat = await makeGroup(alice, []);
});
afterAll(async () => {
  for (const p of [alice, bob, stranger]) p?.client.close();
  await t?.stop();
});

const uploadsOf = async (userId: string) =>
  (await t.server.deps.db.select().from(uploads).where(eq(uploads.uploaderId, userId))).length;

describe('accepted images', () => {
  it.each([
    ['jpeg', 'image/jpeg', () => gpsJpeg()],
    ['png', 'image/png', () => solid(40, 30).png().toBuffer()],
    ['gif', 'image/gif', () => solid(40, 30).gif().toBuffer()],
    ['webp', 'image/webp', () => solid(40, 30).webp().toBuffer()],
  ] as const)('%s is accepted, re-encoded with no EXIF, and shown to members', async (format, type, make) => {
    const original = await make();
    const up = await upload(t.url, alice, chat, original, `holiday.${format}`);
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({
      contentType: type,
      width: format === 'jpeg' ? 64 : 40,
      fileName: `holiday.${format}`,
    });

    const sent = await alice.client.api.message.send.mutate({
      id: randomUUID(),
      chatId: chat,
      body: '',
      attachmentIds: [up.body.id],
    });
    expect(sent.attachments.map((a) => a.id)).toEqual([up.body.id]);

    const got = await fetchImage(t.url, bob, up.body.id);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe(type);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = Buffer.from(await got.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe(format);
    expect(meta.exif).toBeUndefined();
    expect(bytes.includes('secret-owner')).toBe(false);
    const thumb = await fetchImage(t.url, bob, up.body.id, '/thumb');
    expect(thumb.headers.get('content-type')).toBe('image/webp');
  });

  it('the GPS fixture really carries EXIF before upload (so the test above can fail)', async () => {
    const meta = await sharp(await gpsJpeg()).metadata();
    expect(meta.exif?.includes('secret-owner')).toBe(true);
    expect(meta.exif?.includes('FixtureCam')).toBe(true);
  });
});

describe('refused files', () => {
  const refusals: [string, () => Promise<Buffer> | Buffer, number, string][] = [
    [
      'a truncated JPEG',
      async () => (await solid(300, 300).jpeg().toBuffer()).subarray(0, 800),
      400,
      'This image is damaged or incomplete and cannot be read.',
    ],
    [
      'a PNG/HTML polyglot',
      async () =>
        Buffer.concat([await solid(20, 20).png().toBuffer(), Buffer.from('<script>alert(document.cookie)</script>')]),
      400,
      'This file contains web page code as well as image data, so it is refused.',
    ],
    [
      'a 30,000 × 30,000 image',
      () => pngClaiming(30_000, 30_000),
      400,
      'This image is too large: at most 50 megapixels.',
    ],
    // HTML or SVG named .png is no image: it is a file, only ever downloaded (files.int.test.ts).
    [
      'an image over 20 MB',
      () => Buffer.concat([pngClaiming(10, 10), Buffer.alloc(20 * 1024 * 1024, 1)]),
      413,
      'This image is larger than 20 MB.',
    ],
    [
      'an upload over the 50 MB limit',
      () => Buffer.alloc(50 * 1024 * 1024 + 1, 1),
      413,
      'This file is larger than 50 MB, the largest upload this server takes.',
    ],
    ['an empty file', () => Buffer.alloc(0), 400, 'This file is empty.'],
  ];

  it.each(refusals)('%s is refused with a clear error and nothing stored', async (_, make, status, message) => {
    const before = await uploadsOf(alice.id);
    const up = await upload(t.url, alice, chat, await make(), 'innocent.png');
    expect(up.status).toBe(status);
    expect(up.body).toMatchObject({ error: { message } });
    expect(await uploadsOf(alice.id)).toBe(before);
  });

  it('nobody uploads into a chat they are not in, or without signing in', async () => {
    const png = await solid(10, 10).png().toBuffer();
    const up = await upload(t.url, stranger, chat, png);
    expect(up).toMatchObject({
      status: 404,
      body: { error: { message: 'This chat does not exist, or you are not in it.' } },
    });
    const anonymous = await fetch(`${t.url}/api/uploads?chatId=${chat}`, { method: 'POST', body: new Uint8Array(png) });
    expect(anonymous.status).toBe(401);
    const foreign = await fetch(`${t.url}/api/uploads?chatId=${chat}`, {
      method: 'POST',
      body: new Uint8Array(png),
      headers: { cookie: alice.client.cookie() ?? '', origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(await uploadsOf(stranger.id)).toBe(0);
  });
});

describe('who sees an image', () => {
  it('a stranger gets nothing by id; a member sees it only once sent; the uploader sees it before', async () => {
    const up = await upload(t.url, alice, chat, await solid(20, 20).png().toBuffer());
    expect((await fetchImage(t.url, alice, up.body.id)).status).toBe(200);
    expect((await fetchImage(t.url, bob, up.body.id)).status).toBe(404); // not sent yet
    await alice.client.api.message.send.mutate({
      id: randomUUID(),
      chatId: chat,
      body: 'look',
      attachmentIds: [up.body.id],
    });
    expect((await fetchImage(t.url, bob, up.body.id)).status).toBe(200);
    const denied = await fetchImage(t.url, stranger, up.body.id);
    expect(denied.status).toBe(404);
    expect(await denied.json()).toEqual({ error: { message: 'This image does not exist, or you cannot see it.' } });
    expect((await fetchImage(t.url, stranger, up.body.id, '/thumb')).status).toBe(404);
    expect((await fetchImage(t.url, null, up.body.id)).status).toBe(401);
    const history = await stranger.client.api.message.history.query({ chatId: chat }).catch((e: unknown) => e);
    expect(history).toMatchObject({ data: { code: 'NOT_FOUND' } });
  });

  it("attaching someone else's upload, one from another chat, or one twice is refused", async () => {
    const png = await solid(12, 12).png().toBuffer();
    const bobs = await upload(t.url, bob, chat, png);
    const elsewhere = await upload(t.url, alice, otherChat, png);
    const mine = await upload(t.url, alice, chat, png);
    const cases: [string[], string][] = [
      [[bobs.body.id], 'One of these images or files cannot be attached: upload it again in this chat.'],
      [[elsewhere.body.id], 'One of these images or files cannot be attached: upload it again in this chat.'],
      [[mine.body.id, mine.body.id], 'The same image or file is attached twice.'],
      [[randomUUID()], 'One of these images or files cannot be attached: upload it again in this chat.'],
    ];
    for (const [attachmentIds, message] of cases) {
      const id = randomUUID();
      await expect(
        alice.client.api.message.send.mutate({ id, chatId: chat, body: 'x', attachmentIds }),
      ).rejects.toMatchObject({
        data: { code: 'BAD_REQUEST', field: 'attachmentIds' },
        message,
      });
      await expect(alice.client.api.message.around.query({ messageId: id })).rejects.toMatchObject({
        data: { code: 'NOT_FOUND' },
      });
    }
    const tooMany = Array.from({ length: 11 }, () => randomUUID());
    await expect(
      alice.client.api.message.send.mutate({ id: randomUUID(), chatId: chat, body: 'x', attachmentIds: tooMany }),
    ).rejects.toMatchObject({ message: 'A message can have at most 10 images and files.' });
    // Once attached, an upload cannot be attached again.
    await alice.client.api.message.send.mutate({
      id: randomUUID(),
      chatId: chat,
      body: '',
      attachmentIds: [mine.body.id],
    });
    await expect(
      alice.client.api.message.send.mutate({
        id: randomUUID(),
        chatId: chat,
        body: 'again',
        attachmentIds: [mine.body.id],
      }),
    ).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
  });

  it('deleting the message removes its images; uploads never sent are cleaned up', async () => {
    const png = await solid(12, 12).png().toBuffer();
    const sentUpload = await upload(t.url, alice, chat, png);
    const msg = await alice.client.api.message.send.mutate({
      id: randomUUID(),
      chatId: chat,
      body: '',
      attachmentIds: [sentUpload.body.id],
    });
    await alice.client.api.message.delete.mutate({ messageId: msg.id });
    expect((await fetchImage(t.url, alice, sentUpload.body.id)).status).toBe(404);

    const abandoned = await upload(t.url, alice, chat, png);
    expect(await removeUnattached(t.server.deps, new Date(Date.now() - 60_000))).toBe(0); // still fresh
    expect(await removeUnattached(t.server.deps, new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);
    expect((await fetchImage(t.url, alice, abandoned.body.id)).status).toBe(404);
    expect(await t.server.deps.blobs.get(`images/${abandoned.body.id}`)).toBeNull();
  });
});
