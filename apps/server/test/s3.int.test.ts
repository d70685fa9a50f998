/**
 * The S3 image and file store, against a real S3-compatible server (s3rver)
 * started here: upload, fetch as a member, refuse a stranger, delete with the message.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, type Person } from './clients';
import { pdfBytes } from './files';
import { startTestServer, type TestServer } from './harness';
import { fetchImage, solid, upload } from './images';
import { makeDirect } from './people';
import { freePort } from './process';

let s3: S3rver;
let s3Dir: string;
let endpoint: string;
let t: TestServer;
let alice: Person;
let bob: Person;
let stranger: Person;
let chat: string;

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

beforeAll(async () => {
  s3Dir = mkdtempSync(join(tmpdir(), 's3rver-'));
  const port = await freePort();
  s3 = new S3rver({
    port,
    address: '127.0.0.1',
    silent: true,
    directory: s3Dir,
    configureBuckets: [{ name: 'chat-images', configs: [] }],
  });
  await s3.run();
  endpoint = `http://127.0.0.1:${port}`;
  t = await startTestServer({
    env: {
      S3_ENDPOINT: endpoint,
      S3_BUCKET: 'chat-images',
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
  });
  [alice, bob, stranger] = await Promise.all([
    makeUser(t.url, { prefix: 'alice' }),
    makeUser(t.url, { prefix: 'bob' }),
    makeUser(t.url, { prefix: 'stranger' }),
  ]);
  chat = await makeDirect(alice, bob);
});
afterAll(async () => {
  for (const p of [alice, bob, stranger]) p?.client.close();
  await t?.stop();
  await s3?.close();
  rmSync(s3Dir, { recursive: true, force: true });
});

async function objectKeys(): Promise<string[]> {
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  const out = await client.send(new ListObjectsV2Command({ Bucket: 'chat-images' }));
  client.destroy();
  return (out.Contents ?? []).map((o) => o.Key ?? '');
}

describe('images on S3', () => {
  it('are stored in the bucket, served to members only, and removed with their message', async () => {
    expect(t.server.deps.blobs.kind).toBe('s3');
    const original = await solid(50, 40).jpeg().toBuffer();
    const up = await upload(t.url, alice, chat, original, 'on-s3.jpg');
    expect(up.status).toBe(201);
    expect(await objectKeys()).toEqual(
      expect.arrayContaining([`images/${up.body.id}`, `images/${up.body.id}.thumb.webp`]),
    );

    const msg = await alice.client.api.message.send.mutate({
      id: randomUUID(),
      chatId: chat,
      body: 'from S3',
      attachmentIds: [up.body.id],
    });
    const got = await fetchImage(t.url, bob, up.body.id);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await got.arrayBuffer());
    expect(Number(got.headers.get('content-length'))).toBe(bytes.length);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect((await fetchImage(t.url, stranger, up.body.id)).status).toBe(404);

    await alice.client.api.message.delete.mutate({ messageId: msg.id });
    expect(await objectKeys()).not.toContain(`images/${up.body.id}`);
    expect((await fetchImage(t.url, bob, up.body.id)).status).toBe(404);
  });

  it('files too: kept byte for byte under files/<id>, downloaded by members, removed with their message', async () => {
    const original = pdfBytes('stored on S3');
    const up = await alice.client.upload(chat, original, 'on-s3.pdf');
    expect(up.kind).toBe('file');
    expect(await objectKeys()).toContain(`files/${up.id}`);
    const msg = await alice.client.api.message.send.mutate({
      id: randomUUID(),
      chatId: chat,
      body: 'a file from S3',
      attachmentIds: [up.id],
    });
    const got = await bob.client.download(up);
    expect(Buffer.from(got.data).equals(original)).toBe(true);
    expect(got.headers.get('content-disposition')).toMatch(/^attachment;/);
    await expect(stranger.client.download(up)).rejects.toMatchObject({ status: 404 });

    await alice.client.api.message.delete.mutate({ messageId: msg.id });
    expect(await objectKeys()).not.toContain(`files/${up.id}`);
  });
});
