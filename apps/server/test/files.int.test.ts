/**
 * Files (issue 27): any bytes that are not an image we show, uploaded and
 * fetched through the typed client, kept exactly as given, shown by name,
 * size and type (history, live events, search hits), downloaded only as an attachment, by members only; the
 * same path as images (media.int.test.ts), one upload route, one access check.
 */
import { randomUUID } from 'node:crypto';
import { UploadError } from '@chat/api/client';
import { messages, uploads } from '@chat/db';
import contentDisposition from 'content-disposition';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Collected, collectStream, makeUser, type Person } from './clients';
import { pdfBytes, zipBytes } from './files';
import { startTestServer, type TestServer } from './harness';
import { solid } from './images';
import { befriend, makeDirect } from './people';

let t: TestServer;
let alice: Person;
let bob: Person;
let carol: Person;
let stranger: Person;
let direct: string;
let group: string;

beforeAll(async () => {
  t = await startTestServer();
  [alice, bob, carol, stranger] = await Promise.all([
    makeUser(t.url, { prefix: 'alice' }),
    makeUser(t.url, { prefix: 'bob' }),
    makeUser(t.url, { prefix: 'carol' }),
    makeUser(t.url, { prefix: 'stranger' }),
  ]);
  direct = await makeDirect(alice, bob);
  await befriend(alice, carol);
  group = (await alice.client.api.groups.create.mutate({ name: 'Files', userIds: [bob.id, carol.id] })).id;
});
afterAll(async () => {
  for (const p of [alice, bob, carol, stranger]) p?.client.close();
  await t?.stop();
});

type Item = { type: string; payload?: unknown };
type Attached = { id: string; kind: string; fileName: string; bytes: number; contentType: string };

const send = (p: Person, chatId: string, attachmentIds: string[], body = '') =>
  p.client.api.message.send.mutate({ id: randomUUID(), chatId, body, attachmentIds });

const uploadRows = async (userId: string) =>
  (await t.server.deps.db.select().from(uploads).where(eq(uploads.uploaderId, userId))).length;

/** The refusal a promise ends with (an `UploadError`), to compare its status and message. */
async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string; field?: string }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof UploadError)) throw new Error(`expected an UploadError, got ${String(error)}`);
  return { status: error.status, message: error.message, field: error.field };
}

async function ready(p: Person): Promise<Collected<Item>> {
  const stream = collectStream(p.client);
  await stream.until((items) => items.some((i) => i.type === 'stream.ready'));
  return stream;
}

describe('sending files', () => {
  it('a PDF, a ZIP and a text file (and an image) in one message reach a member live, in history, byte for byte', async () => {
    const pdf = pdfBytes();
    const zip = zipBytes({ 'notes.txt': 'hello', 'todo.md': '- ship files' });
    const text = Buffer.from('plain text, nothing to sniff\n');
    const bobs = await ready(bob);
    const upPdf = await alice.client.upload(group, pdf, 'Q3 report.pdf');
    const upZip = await alice.client.upload(group, zip, 'bundle.zip');
    const upText = await alice.client.upload(group, text, 'readme.txt');
    const upImage = await alice.client.upload(group, await solid(20, 10).png().toBuffer(), 'pic.png');
    expect(upPdf).toMatchObject({
      kind: 'file',
      fileName: 'Q3 report.pdf',
      bytes: pdf.length,
      contentType: 'application/pdf',
      width: 0,
    });
    expect(upZip).toMatchObject({ kind: 'file', contentType: 'application/zip', bytes: zip.length });
    expect(upText).toMatchObject({ kind: 'file', contentType: 'application/octet-stream', bytes: text.length });
    expect(upImage).toMatchObject({ kind: 'image', contentType: 'image/png', width: 20 });

    const order = [upZip.id, upImage.id, upPdf.id, upText.id];
    const sent = await send(alice, group, order, 'the quarterly files');
    expect(sent.attachments.map((a) => a.id)).toEqual(order);

    // Live: the stored event carries the same views.
    await bobs.until((items) => items.some((i) => i.type === 'message.created'));
    const created = bobs.items.find((i) => i.type === 'message.created');
    if (!created) throw new Error('unreachable: waited for it');
    const live = (created.payload as { message: { attachments: Attached[] } }).message.attachments;
    expect(live).toEqual(sent.attachments);
    bobs.unsubscribe();

    const history = await bob.client.api.message.history.query({ chatId: group });
    const inHistory = history.messages.find((m) => m.id === sent.id);
    expect(inHistory?.attachments).toEqual(sent.attachments);
    expect(inHistory?.attachments.map((a) => [a.kind, a.fileName])).toEqual([
      ['file', 'bundle.zip'],
      ['image', 'pic.png'],
      ['file', 'Q3 report.pdf'],
      ['file', 'readme.txt'],
    ]);
    // Search hits carry them too.
    const found = await bob.client.api.search.messages.query({ q: 'quarterly' });
    expect(found.hits.find((h) => h.messageId === sent.id)?.attachments).toEqual(sent.attachments);
    // Files are not images: has:image and a reply's quote follow the images only.
    const row = await t.server.deps.db.select().from(messages).where(eq(messages.id, sent.id));
    expect(row[0]?.hasImage).toBe(true);

    for (const [up, bytes, type] of [
      [upPdf, pdf, 'application/pdf'],
      [upZip, zip, 'application/zip'],
      [upText, text, 'application/octet-stream'],
    ] as const) {
      const got = await carol.client.download(up);
      expect(Buffer.from(got.data).equals(bytes)).toBe(true);
      expect(got.headers.get('content-type')).toBe(type);
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      const disposition = contentDisposition.parse(got.headers.get('content-disposition') ?? '');
      expect(disposition.type).toBe('attachment');
      expect(disposition.parameters.filename).toBe(up.fileName);
      expect(got.headers.get('content-security-policy')).toContain('sandbox');
    }
  });

  it('a message of files alone is no image message; a reply quotes its first file by name', async () => {
    const up = await alice.client.upload(direct, pdfBytes('only a file'), 'a.pdf');
    const second = await alice.client.upload(direct, zipBytes({ 'notes.txt': 'notes' }), 'b.zip');
    const sent = await send(alice, direct, [up.id, second.id]);
    expect(sent.body).toBe('');
    const [row] = await t.server.deps.db.select().from(messages).where(eq(messages.id, sent.id));
    expect(row?.hasImage).toBe(false);
    const stream = await ready(alice);
    try {
      const reply = await bob.client.api.message.send.mutate({
        id: randomUUID(),
        chatId: direct,
        body: 'got it',
        replyToId: sent.id,
      });
      const quote = { messageId: sent.id, text: '', hasImage: false, deleted: false, fileName: 'a.pdf' };
      // The answer, the live event and history say the same.
      expect(reply.replyTo).toMatchObject(quote);
      const isReply = (i: Item) =>
        i.type === 'message.created' && (i.payload as { message: { id: string } }).message.id === reply.id;
      await stream.until((items) => items.some(isReply));
      const live = stream.items.find(isReply)?.payload as { message: { replyTo: unknown } } | undefined;
      expect(live?.message.replyTo).toMatchObject(quote);
      const page = await alice.client.api.message.history.query({ chatId: direct, direction: 'older', limit: 5 });
      expect(page.messages.find((m) => m.id === reply.id)?.replyTo).toMatchObject(quote);
      // Deleted, the original names no file.
      await alice.client.api.message.delete.mutate({ messageId: sent.id });
      const after = await bob.client.api.message.history.query({ chatId: direct, direction: 'older', limit: 5 });
      expect(after.messages.find((m) => m.id === reply.id)?.replyTo).toMatchObject({ deleted: true, fileName: null });
    } finally {
      stream.unsubscribe();
    }
  });

  it('HTML and SVG are files: kept as given, served only as application/octet-stream downloads', async () => {
    const html = Buffer.from('<!doctype html><script>alert(document.cookie)</script>');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    for (const [bytes, name] of [
      [html, 'page.html'],
      [svg, 'drawing.png'],
    ] as const) {
      const up = await alice.client.upload(direct, bytes, name);
      expect(up).toMatchObject({ kind: 'file', contentType: 'application/octet-stream', fileName: name });
      await send(alice, direct, [up.id]);
      const got = await bob.client.download(up);
      expect(got.headers.get('content-type')).toBe('application/octet-stream');
      expect(got.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(Buffer.from(got.data).equals(bytes)).toBe(true);
      // Never through the image route, which shows inline.
      expect((await refusal(bob.client.download({ id: up.id, kind: 'image' }))).status).toBe(404);
    }
  });

  it('a PNG sent as a file is handled as an image: re-encoded, not under /api/files', async () => {
    const png = await solid(30, 20).png().toBuffer();
    const up = await alice.client.upload(direct, png, 'scan.pdf');
    expect(up).toMatchObject({ kind: 'image', contentType: 'image/png', width: 30, height: 20, fileName: 'scan.pdf' });
    await send(alice, direct, [up.id]);
    expect((await bob.client.download(up)).headers.get('content-type')).toBe('image/png');
    expect(await refusal(bob.client.download({ id: up.id, kind: 'file' }))).toMatchObject({
      status: 404,
      message: 'This file does not exist, or you cannot see it.',
    });
  });

  it('several files per message, up to the limit of ten attachments', async () => {
    const ups = [];
    for (let i = 0; i < 11; i += 1) ups.push(await alice.client.upload(direct, Buffer.from(`file ${i}`), `f${i}.txt`));
    await expect(
      send(
        alice,
        direct,
        ups.map((u) => u.id),
      ),
    ).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
      message: 'A message can have at most 10 images and files.',
    });
    const sent = await send(
      alice,
      direct,
      ups.slice(0, 10).map((u) => u.id),
    );
    expect(sent.attachments.map((a) => a.fileName)).toEqual(ups.slice(0, 10).map((u) => u.fileName));
  });
});

describe('names', () => {
  it.each([
    ['CR/LF and a header', 'evil"\r\nSet-Cookie: owned=1;\r\n.pdf', 'evil"Set-Cookie: owned=1;.pdf'],
    ['a path up and out', '../../etc/passwd', 'passwd'],
    ['a Windows path', 'C:\\Users\\me\\secret.docx', 'secret.docx'],
    ['a right-to-left override', 'invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['only dots', '..', 'file'],
    ['non-Latin letters and quotes', 'Résumé “final” 日本.txt', 'Résumé “final” 日本.txt'],
    ['no name at all', undefined, 'file'],
    ['a long name cut inside an emoji', `${'a'.repeat(199)}😀😀.txt`, `${'a'.repeat(199)}😀`],
  ])('%s: cleaned for display, round-trips, injects nothing', async (_, name, shown) => {
    const bytes = Buffer.from(`contents of ${shown}`);
    const up = await alice.client.upload(direct, bytes, name);
    expect(up.fileName).toBe(shown);
    const sent = await send(alice, direct, [up.id]);
    const history = await bob.client.api.message.history.query({ chatId: direct, limit: 5 });
    expect(history.messages.find((m) => m.id === sent.id)?.attachments[0]?.fileName).toBe(shown);
    const got = await bob.client.download(up);
    expect(got.headers.get('set-cookie')).toBeNull();
    const raw = got.headers.get('content-disposition') ?? '';
    expect(raw).not.toMatch(/[\r\n]/);
    expect(contentDisposition.parse(raw).parameters.filename).toBe(shown);
    // The blob's key is the id, never the name.
    expect(await t.server.deps.blobs.get(`files/${up.id}`)).not.toBeNull();
    expect(Buffer.from(got.data).equals(bytes)).toBe(true);
  });
});

describe('who gets a file', () => {
  it('a stranger and a removed member get nothing; a member sees it only once sent', async () => {
    const dave = await makeUser(t.url, { prefix: 'dave' });
    await befriend(alice, dave);
    const room = (await alice.client.api.groups.create.mutate({ name: 'Room', userIds: [bob.id, dave.id] })).id;
    const up = await alice.client.upload(room, pdfBytes('members only'), 'plan.pdf');
    expect((await alice.client.download(up)).data.length).toBe(up.bytes); // the uploader, before sending
    expect((await refusal(bob.client.download(up))).status).toBe(404); // not sent yet
    await send(alice, room, [up.id]);
    expect((await bob.client.download(up)).data.length).toBe(up.bytes);
    expect((await dave.client.download(up)).data.length).toBe(up.bytes);
    await alice.client.api.groups.removeMember.mutate({ chatId: room, userId: dave.id });

    for (const outsider of [stranger, dave]) {
      expect(await refusal(outsider.client.download(up))).toEqual({
        status: 404,
        message: 'This file does not exist, or you cannot see it.',
        field: undefined,
      });
      expect(await refusal(outsider.client.upload(room, Buffer.from('let me in'), 'x.txt'))).toMatchObject({
        status: 404,
      });
    }
    // Signed out, or a made-up id: nothing either.
    expect((await fetch(`${t.url}/api/files/${up.id}`)).status).toBe(401);
    expect((await refusal(bob.client.download({ id: randomUUID(), kind: 'file' }))).status).toBe(404);
    expect((await refusal(bob.client.download({ id: 'not-an-id', kind: 'file' }))).status).toBe(404);
    expect(await uploadRows(stranger.id)).toBe(0);
    dave.client.close();
  });

  it('deleting the message removes its files with their blobs; an unsent file is cleaned up', async () => {
    const up = await alice.client.upload(direct, zipBytes({ 'a.txt': 'a' }), 'gone.zip');
    const sent = await send(alice, direct, [up.id]);
    expect(await t.server.deps.blobs.get(`files/${up.id}`)).not.toBeNull();
    await alice.client.api.message.delete.mutate({ messageId: sent.id });
    expect((await refusal(bob.client.download(up))).status).toBe(404);
    expect(await t.server.deps.blobs.get(`files/${up.id}`)).toBeNull();
    expect(await t.server.deps.db.select().from(uploads).where(eq(uploads.id, up.id))).toEqual([]);
  });
});

describe('limits', () => {
  let small: TestServer;
  let sam: Person;
  let tom: Person;
  let chat: string;
  beforeAll(async () => {
    // 64 KB of file, and three uploads per window.
    small = await startTestServer({
      env: { FILE_MAX_MB: String(64 / 1024) },
      rateLimits: { upload: { points: 3, seconds: 600 } },
    });
    [sam, tom] = await Promise.all([makeUser(small.url, { prefix: 'sam' }), makeUser(small.url, { prefix: 'tom' })]);
    chat = await makeDirect(sam, tom);
  });
  afterAll(async () => {
    sam?.client.close();
    tom?.client.close();
    await small?.stop();
  });
  const rows = async (userId: string) =>
    (await small.server.deps.db.select().from(uploads).where(eq(uploads.uploaderId, userId))).length;

  it('an upload past FILE_MAX_MB is refused with 413 and a human message, and nothing is stored', async () => {
    const tooBig = Buffer.alloc(64 * 1024 + 1, 7);
    expect(await refusal(sam.client.upload(chat, tooBig, 'big.bin'))).toEqual({
      status: 413,
      message: 'This file is larger than 0.1 MB, the largest upload this server takes.',
      field: 'file',
    });
    // Without a Content-Length (a stream), the body is cut off at the limit.
    const streamed = await fetch(`${small.url}/api/uploads?chatId=${chat}&name=big.bin`, {
      method: 'POST',
      headers: { cookie: tom.client.cookie() ?? '', 'content-type': 'application/octet-stream' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 20; i += 1) controller.enqueue(new Uint8Array(8 * 1024));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await rows(sam.id)).toBe(0);
    expect(await rows(tom.id)).toBe(0);
    // Just under the limit is fine.
    const fits = await tom.client.upload(chat, Buffer.alloc(64 * 1024, 7), 'fits.bin');
    expect(fits.bytes).toBe(64 * 1024);
  });

  it('files count against the upload rate limit', async () => {
    // sam's upload refused by its Content-Length above was not counted: it was refused before counting.
    await sam.client.upload(chat, Buffer.from('one'), 'one.txt');
    await sam.client.upload(chat, pdfBytes(), 'two.pdf');
    await sam.client.upload(chat, zipBytes({ 'x.txt': 'x' }), 'three.zip');
    const limited = await refusal(sam.client.upload(chat, Buffer.from('four'), 'four.txt'));
    expect(limited.status).toBe(429);
    expect(limited.message).toMatch(/try again/i);
    expect(await rows(sam.id)).toBe(3);
  });
});
