/**
 * Security suite, live streams: a socket carries at most
 * STREAM_SUBSCRIPTIONS_PER_SOCKET streams and a user holds at most
 * STREAMS_PER_USER WebSocket connections and SSE streams on one process.
 * Past a cap the client is told so (TOO_MANY_REQUESTS, or 429 before a socket
 * or a stream), the server holds nothing more, and what was open keeps working.
 */
import { randomUUID } from 'node:crypto';
import { createChatClient } from '@chat/api/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './burst';
import { collectStream, makeUser, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { makeDirect } from './people';
import { cookieOf, openSocket, openSse, type RawSocket, upgradeAnswer } from './raw';

const PER_USER = 3;
let t: TestServer;
let alice: Person;
let bob: Person;
let chatId: string;

beforeAll(async () => {
  t = await startTestServer({ env: { STREAMS_PER_USER: String(PER_USER) } });
  [alice, bob] = await Promise.all([makeUser(t.url, { prefix: 'alice' }), makeUser(t.url, { prefix: 'bob' })]);
  chatId = await makeDirect(alice, bob);
});
afterAll(async () => {
  alice?.client.close();
  bob?.client.close();
  await t?.stop();
});

const subscription = (id: number) => ({
  id,
  method: 'subscription',
  params: { path: 'events.stream', input: { json: { lastEventId: null } } },
});
const itemOf = (m: RawSocket['messages'][number]) => m.result?.data?.json?.data?.type;
const answered = (socket: RawSocket, id: number) =>
  socket.messages.some((m) => m.id === id && (m.result?.type === 'started' || m.error !== undefined));

describe('live streams per socket', () => {
  it('refuses subscriptions past the cap with TOO_MANY_REQUESTS; the server holds no more, the first ones and the socket keep working', async () => {
    const hub = t.server.hub;
    await until(() => hub.subscriberCount === 0, 'no streams open');
    const socket = await openSocket(t.url, cookieOf(alice.client));
    const asked = 1_000;
    // In batches of 50, the most one message may carry.
    for (let first = 1; first <= asked; first += 50) {
      socket.send(Array.from({ length: 50 }, (_, i) => subscription(first + i)));
    }
    await until(() => Array.from({ length: asked }, (_, i) => i + 1).every((id) => answered(socket, id)), 'answers');

    const started = socket.messages.filter((m) => m.result?.type === 'started').map((m) => m.id);
    expect(started).toEqual([1, 2, 3, 4]);
    const refused = socket.messages.filter((m) => m.error !== undefined);
    expect(refused).toHaveLength(asked - 4);
    for (const m of refused) {
      expect(m.error?.json?.data?.code).toBe('TOO_MANY_REQUESTS');
      expect(m.error?.json?.message).toBe('At most 4 live streams per connection.');
    }
    // What the server holds for all those asks: the four streams, nothing else.
    expect(hub.subscriberCount).toBe(4);

    // The four streams carry events.
    for (const id of started) await socket.next((m) => m.id === id && itemOf(m) === 'stream.ready');
    await bob.client.api.message.send.mutate({ id: randomUUID(), chatId, body: 'to every stream' });
    for (const id of started) await socket.next((m) => m.id === id && itemOf(m) === 'message.created');

    // The socket still answers calls.
    socket.send({ id: 5_000, method: 'query', params: { path: 'auth.me', input: { json: null } } });
    const me = await socket.next((m) => m.id === 5_000);
    expect(me.result?.type).toBe('data');

    // A stopped stream frees its place.
    socket.send({ id: 1, method: 'subscription.stop' });
    await socket.next((m) => m.id === 1 && m.result?.type === 'stopped');
    socket.send(subscription(6_000));
    await socket.next((m) => m.id === 6_000 && itemOf(m) === 'stream.ready');
    expect(hub.subscriberCount).toBe(4);

    socket.close();
    await until(() => hub.subscriberCount === 0, 'the streams to close');
  });
});

describe('live connections per user', () => {
  it('refuses a WebSocket or an SSE stream past STREAMS_PER_USER with 429 naming the limit; others are not held back; a closed one frees its place', async () => {
    const carol = await makeUser(t.url, { prefix: 'carol' });
    const dave = await makeUser(t.url, { prefix: 'dave' });
    const cookie = cookieOf(carol.client);
    const message = `At most ${PER_USER} live connections per user on this server.`;
    const sockets = await Promise.all(Array.from({ length: PER_USER }, () => openSocket(t.url, cookie)));
    expect(t.server.streams.count(carol.id)).toBe(PER_USER);

    for (let i = 0; i < 20; i++) {
      const upgrade = await upgradeAnswer(t.url, { cookie });
      expect(upgrade.status).toBe(429);
      expect(JSON.parse(upgrade.body)).toMatchObject({
        error: { json: { message, data: { code: 'TOO_MANY_REQUESTS' } } },
      });
    }
    const sse = await openSse(t.url, cookie);
    await sse.ended;
    expect(sse.status).toBe(429);
    expect(JSON.parse(sse.text())).toMatchObject({ error: { json: { message, data: { code: 'TOO_MANY_REQUESTS' } } } });
    // The typed client over SSE sees the refusal as the error it is.
    const overSse = createChatClient({ url: t.url, transport: 'sse', cookie });
    const refused = collectStream(overSse);
    await expect(refused.until(() => false, 5_000)).rejects.toMatchObject({
      message,
      data: { code: 'TOO_MANY_REQUESTS' },
    });
    refused.unsubscribe();
    expect(t.server.streams.count(carol.id)).toBe(PER_USER);

    // Another user is not held back.
    expect((await upgradeAnswer(t.url, { cookie: cookieOf(dave.client) })).status).toBe(101);

    // The sockets still work, and a closed one frees its place (here for an SSE stream).
    sockets[0]?.subscribe(1);
    await sockets[0]?.next((m) => m.id === 1 && itemOf(m) === 'stream.ready');
    sockets[1]?.close();
    await until(() => t.server.streams.count(carol.id) === PER_USER - 1, 'the closed socket to be let go');
    const stream = await openSse(t.url, cookie);
    expect(stream.status).toBe(200);
    await until(() => stream.text().includes('stream.ready'), 'the SSE stream to start');
    expect(t.server.streams.count(carol.id)).toBe(PER_USER);
    expect((await upgradeAnswer(t.url, { cookie })).status).toBe(429);
    stream.abort();
    for (const s of sockets) s.close();
    await until(() => t.server.streams.count(carol.id) === 0, 'every connection to be let go');
    carol.client.close();
    dave.client.close();
  });
});
