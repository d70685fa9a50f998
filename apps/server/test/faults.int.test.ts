/**
 * The fault suite (issue 9): the database going away under a steady send
 * load, a subscriber that stops reading, and a reconnect storm. A SIGTERM in
 * the middle of a burst is in processes.int.test.ts, beside SIGKILL.
 */
import { createTestDatabase, type TestDatabase } from '@chat/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { health, receive, sendLanes, sendWithRetry, storedIds, until } from './burst';
import { makeUser, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { fetchImage, solid, upload } from './images';
import { makeDirect } from './people';
import { type PgProxy, startPgProxy } from './pg-proxy';
import { cookieOf, openSocket } from './raw';

const onPostgres = process.env.TEST_DB === 'postgres';
const servers: TestServer[] = [];
const databases: TestDatabase[] = [];
const proxies: PgProxy[] = [];
const people: Person[] = [];

afterAll(async () => {
  for (const p of people) p.client.close();
  for (const s of servers) await s.stop().catch(() => {});
  for (const p of proxies) await p.close();
  for (const d of databases) await d.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pair(server: TestServer): Promise<{ sender: Person; receiver: Person; chatId: string }> {
  const sender = await makeUser(server.url, { prefix: 'sender' });
  const receiver = await makeUser(server.url, { prefix: 'receiver' });
  people.push(sender, receiver);
  return { sender, receiver, chatId: await makeDirect(sender, receiver) };
}

describe.skipIf(!onPostgres)('PostgreSQL lost and back under a steady send load', () => {
  it('keeps the server up, says so, refuses sends as retryable, and loses or repeats nothing after', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const proxy = await startPgProxy();
    proxies.push(proxy);
    const server = await startTestServer({ database: { ...database, url: proxy.url(database.url as string) } });
    servers.push(server);
    const { sender, receiver, chatId } = await pair(server);
    const inbox = receive(receiver.client);
    await until(() => inbox.state.ready, 'the stream');
    const png = await solid(32, 24).png().toBuffer();
    const before = await upload(server.url, sender, chatId, png);
    expect(before.status).toBe(201);

    const lanes = sendLanes(sender, chatId, { lanes: 2, pauseMs: 20 });
    const { acknowledged } = lanes;
    const errors = () => lanes.failures.map((f) => f.code);
    await until(() => acknowledged.length >= 30, 'the first sends');

    await proxy.cut();
    const healthDown = await health(server.url);
    expect({ status: healthDown.status, body: healthDown.body }).toEqual({
      status: 503,
      body: { status: 'degraded', database: 'down' },
    });
    await until(() => errors().includes('SERVICE_UNAVAILABLE'), 'a send refused as retryable');
    await until(() => inbox.state.database.includes(false), 'the stream to say the database is away', 10_000);
    // Images too: a retryable 503 with Retry-After, never a 500.
    const refusedUpload = await upload(server.url, sender, chatId, png);
    expect(refusedUpload.status).toBe(503);
    expect(refusedUpload.body.error).toMatchObject({ retryAfterSeconds: 2 });
    expect((await fetchImage(server.url, receiver, before.body.id)).status).toBe(503);
    const duringOutage = acknowledged.length;
    await sleep(1500);
    expect(acknowledged.length).toBe(duringOutage); // nothing acknowledged without the database
    expect(errors().filter((c) => c !== 'SERVICE_UNAVAILABLE' && c !== 'NO_ANSWER')).toEqual([]);

    await proxy.restore();
    await until(() => acknowledged.length >= duringOutage + 30, 'sends to work again', 15_000);
    expect((await health(server.url)).status).toBe(200);
    await lanes.stop();

    const stored = await storedIds(sender, chatId);
    expect(stored.length).toBe(new Set(stored).size);
    expect(new Set(stored)).toEqual(new Set(acknowledged));
    await until(() => inbox.state.ids.length >= stored.length, 'the receiver to catch up', 30_000);
    await sleep(300);
    inbox.stop();
    expect(inbox.state.ids).toEqual(stored); // each once, in order
    expect(inbox.state.database).toEqual([false, true]);
  }, 120_000);
});

describe('a subscriber that stops reading', () => {
  it('is cut once its socket holds more than the limit, and resumes from its cursor with everything', async () => {
    const limit = 64 * 1024;
    const server = await startTestServer({ env: { STREAM_BUFFER_LIMIT_BYTES: String(limit) } });
    servers.push(server);
    const { sender, receiver: stalled, chatId } = await pair(server);

    // A raw socket speaking tRPC's WebSocket protocol, so that it can stop reading.
    const ws = await openSocket(server.url, cookieOf(stalled.client));
    ws.subscribe(1);
    const ready = await ws.next((m) => m.result?.data?.json?.data?.type === 'stream.ready');
    const lastId = ready.result?.id ?? null;
    ws.pause();
    const hub = server.server.deps.hub;
    expect(hub.hasLocal(stalled.id)).toBe(true);

    const sent: string[] = [];
    const body = (i: number) => `${i} ${'all work and no play makes a dull stream '.repeat(90)}`;
    while (hub.hasLocal(stalled.id) && sent.length < 4000) {
      const batch = await Promise.all(
        Array.from({ length: 10 }, (_, k) => sendWithRetry(sender, chatId, body(sent.length + k))),
      );
      sent.push(...batch);
    }
    expect(hub.hasLocal(stalled.id)).toBe(false); // cut: the server holds nothing more for it
    expect(sent.length).toBeLessThan(4000);
    for (let i = 0; i < 20; i++) sent.push(await sendWithRetry(sender, chatId, `after the cut ${i}`));
    ws.terminate();

    const inbox = receive(stalled.client, lastId);
    await until(() => inbox.state.ids.length >= sent.length, 'the resumed stream to catch up', 60_000);
    await sleep(300);
    inbox.stop();
    expect(inbox.state.ids).toEqual(await storedIds(sender, chatId));
    expect(new Set(inbox.state.ids)).toEqual(new Set(sent));
  }, 180_000);
});
