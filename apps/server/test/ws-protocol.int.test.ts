/**
 * tRPC's WebSocket protocol as our server speaks it (apps/server/src/transport/websocket.ts), by
 * hand over a raw socket: what `wsLink` relies on, and what it does with
 * malformed or hostile messages. The typed client's own use of it is tested
 * everywhere else (stream, bot, security suites).
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeUser, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { makeDirect } from './people';
import { firstMatch } from './raw';

let t: TestServer;
const KEEPALIVE = { pingMs: 400, pongWaitMs: 400 };

beforeAll(async () => {
  t = await startTestServer({ keepAlive: KEEPALIVE });
});
afterAll(async () => {
  await t?.stop();
});

interface Frame {
  id?: number | string | null;
  method?: string;
  result?: { type: string; id?: string; data?: unknown };
  error?: { json: { message: string; code: number; data: { code: string; path?: string } } };
}

interface Raw {
  frames: Frame[];
  texts: string[];
  closed: Promise<number>;
  send(message: unknown): void;
  sendText(text: string): void;
  next(predicate: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  /** Waits, then returns every frame that matched meanwhile. */
  quiet(ms: number): Promise<void>;
  close(): void;
}

function cookieOf(p: Person): string {
  const cookie = p.client.cookie();
  if (!cookie) throw new Error('not signed in');
  return cookie;
}

/** A socket that answers no PING by itself (the `ws` library answers only protocol pings, not tRPC's text ones). */
function open(cookie: string, query = ''): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/trpc${query}`, { headers: { cookie } });
    const frames: Frame[] = [];
    const texts: string[] = [];
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    ws.on('message', (data) => {
      const text = data.toString();
      texts.push(text);
      if (text !== 'PING' && text !== 'PONG') frames.push(JSON.parse(text) as Frame);
    });
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        frames,
        texts,
        closed,
        send: (message) => ws.send(JSON.stringify(message)),
        sendText: (text) => ws.send(text),
        next: (predicate, timeoutMs = 5_000) => firstMatch(frames, predicate, timeoutMs),
        quiet: (ms) => new Promise((r) => setTimeout(r, ms)),
        close: () => ws.close(),
      }),
    );
  });
}

const subscribe = (id: number | string, lastEventId: string | null = null) => ({
  id,
  method: 'subscription',
  params: { path: 'events.stream', input: superjson.serialize({ lastEventId }) },
});
/** A data frame's `tracked` item; undefined for other frames. */
const dataOf = (f: Frame) =>
  f.result?.type === 'data'
    ? (superjson.deserialize(f.result.data as never) as { id: string; data: { type: string } })
    : undefined;

describe('tRPC over our WebSocket', () => {
  it('answers queries and mutations in superjson, with the router error shape for a refusal, and changes nothing', async () => {
    const alice = await makeUser(t.url);
    const bob = await makeUser(t.url);
    const chatId = await makeDirect(alice, bob);
    const raw = await open(cookieOf(alice));
    raw.send({ id: 1, method: 'query', params: { path: 'auth.me', input: superjson.serialize(undefined) } });
    const me = await raw.next((f) => f.id === 1);
    expect(superjson.deserialize(me.result?.data as never)).toMatchObject({ id: alice.id, username: alice.username });

    // A body over the limit: zod's message, BAD_REQUEST, the path; nothing stored.
    const tooLong = { chatId, id: crypto.randomUUID(), body: 'x'.repeat(5000) };
    raw.send({ id: 2, method: 'mutation', params: { path: 'message.send', input: superjson.serialize(tooLong) } });
    const refused = await raw.next((f) => f.id === 2);
    expect(refused.error?.json.data).toMatchObject({ code: 'BAD_REQUEST', path: 'message.send' });
    expect(refused.error?.json.message).toMatch(/4,?000|long/i);
    const history = await bob.client.api.message.history.query({ chatId });
    expect(history.messages).toHaveLength(0);

    // The same send, valid: stored before it is answered.
    const good = { chatId, id: crypto.randomUUID(), body: 'hello over the socket' };
    raw.send({ id: 3, method: 'mutation', params: { path: 'message.send', input: superjson.serialize(good) } });
    const sent = await raw.next((f) => f.id === 3);
    expect(superjson.deserialize(sent.result?.data as never)).toMatchObject({ body: good.body, chatId });
    expect((await bob.client.api.message.history.query({ chatId })).messages.map((m) => m.body)).toEqual([good.body]);

    // A procedure that does not exist, and a batch of two answered each by id.
    raw.send([
      { id: 4, method: 'query', params: { path: 'no.such', input: superjson.serialize(undefined) } },
      { id: 5, method: 'query', params: { path: 'auth.me', input: superjson.serialize(undefined) } },
    ]);
    expect((await raw.next((f) => f.id === 4)).error?.json.data.code).toBe('NOT_FOUND');
    expect((await raw.next((f) => f.id === 5)).result?.type).toBe('data');
    raw.close();
  });

  it('streams: started, then tracked items; a stop is answered with stopped and ends the items', async () => {
    const alice = await makeUser(t.url);
    const bob = await makeUser(t.url);
    const chatId = await makeDirect(alice, bob);
    const raw = await open(cookieOf(alice));
    raw.send(subscribe('s1'));
    expect((await raw.next((f) => f.id === 's1')).result?.type).toBe('started');
    const ready = await raw.next((f) => f.id === 's1' && f.result?.type === 'data');
    expect(dataOf(ready)?.data.type).toBe('stream.ready');
    expect(ready.result?.id).toBe(dataOf(ready)?.id);

    await bob.client.api.message.send.mutate({ chatId, id: crypto.randomUUID(), body: 'one' });
    const created = await raw.next((f) => f.id === 's1' && dataOf(f)?.data.type === 'message.created');
    expect(created.result?.id).toBeTruthy();

    // The same id again while it runs: refused, the first untouched.
    raw.send(subscribe('s1'));
    const duplicate = await raw.next((f) => f.id === 's1' && f.error !== undefined);
    expect(duplicate.error?.json).toMatchObject({ message: 'Duplicate id s1', data: { code: 'BAD_REQUEST' } });

    raw.send({ id: 's1', method: 'subscription.stop' });
    await raw.next((f) => f.id === 's1' && f.result?.type === 'stopped');
    const before = raw.frames.length;
    await bob.client.api.message.send.mutate({ chatId, id: crypto.randomUUID(), body: 'two' });
    await raw.quiet(300);
    expect(raw.frames.slice(before)).toEqual([]);

    // The id is free again, and a stream resumed from the first's cursor gets what it missed, once.
    raw.send(subscribe('s1', created.result?.id ?? null));
    const missed = await raw.next(
      (f) =>
        f.id === 's1' &&
        f.result?.type === 'data' &&
        dataOf(f)?.data.type !== 'presence' &&
        raw.frames.indexOf(f) > before,
    );
    expect(dataOf(missed)?.data).toMatchObject({ type: 'message.created' });
    await raw.quiet(200);
    // Presence (ephemeral) may come at any point; the stored events come once, in order.
    const resumed = raw.frames
      .slice(before)
      .filter((f) => f.result?.type === 'data' && dataOf(f)?.data.type !== 'presence');
    expect(resumed.map((f) => dataOf(f)?.data.type)).toEqual(['message.created', 'stream.ready']);
    raw.close();
  });

  it('refuses what is not a tRPC message, and keeps the socket', async () => {
    const alice = await makeUser(t.url);
    const raw = await open(cookieOf(alice));
    raw.sendText('{not json');
    const parse = await raw.next((f) => f.id === null && f.error !== undefined);
    expect(parse.error?.json.data.code).toBe('PARSE_ERROR');
    raw.send({ id: 1, method: 'drop.tables', params: { path: 'auth.me' } });
    expect((await raw.next((f) => f.id === null && f.error !== undefined && f !== parse)).error?.json.data.code).toBe(
      'PARSE_ERROR',
    );
    raw.send({ id: null, method: 'query', params: { path: 'auth.me', input: superjson.serialize(undefined) } });
    await raw.quiet(100);
    // A batch over the limit: every call in it refused, none run.
    raw.send(
      Array.from({ length: 51 }, (_, i) => ({
        id: 100 + i,
        method: 'query',
        params: { path: 'auth.me', input: superjson.serialize(undefined) },
      })),
    );
    await raw.next((f) => f.id === 150);
    const answers = raw.frames.filter((f) => typeof f.id === 'number' && f.id >= 100);
    expect(answers).toHaveLength(51);
    expect(answers.every((f) => f.error?.json.data.code === 'BAD_REQUEST')).toBe(true);
    // Still served.
    raw.send({ id: 2, method: 'query', params: { path: 'auth.me', input: superjson.serialize(undefined) } });
    expect((await raw.next((f) => f.id === 2)).result?.type).toBe('data');
    raw.close();
  });

  it('answers PING with PONG, pings a quiet client, and closes one that does not answer', async () => {
    const alice = await makeUser(t.url);
    const raw = await open(cookieOf(alice));
    raw.sendText('PING');
    await raw.quiet(50);
    expect(raw.texts).toContain('PONG');
    // Answering keeps it open past several rounds of keep-alive.
    let answered = 0;
    const answering = setInterval(() => {
      const pings = raw.texts.filter((x) => x === 'PING').length;
      for (; answered < pings; answered++) raw.sendText('PONG');
    }, 50);
    await raw.quiet((KEEPALIVE.pingMs + KEEPALIVE.pongWaitMs) * 3);
    clearInterval(answering);
    expect(raw.texts.filter((x) => x === 'PING').length).toBeGreaterThanOrEqual(2);
    let stillOpen = true;
    void raw.closed.then(() => {
      stillOpen = false;
    });
    await raw.quiet(0);
    expect(stillOpen).toBe(true);
    // Silent from now on: cut within a ping and a wait (and the sweep's period).
    const started = Date.now();
    await raw.closed;
    expect(Date.now() - started).toBeLessThan((KEEPALIVE.pingMs + KEEPALIVE.pongWaitMs) * 2 + 1_000);
  });

  it('reads connection params first when the client says it sends them', async () => {
    const alice = await makeUser(t.url);
    const raw = await open(cookieOf(alice), '?connectionParams=1');
    raw.send({ method: 'connectionParams', data: { anything: 'x' } });
    raw.send({ id: 1, method: 'query', params: { path: 'auth.me', input: superjson.serialize(undefined) } });
    expect((await raw.next((f) => f.id === 1)).result?.type).toBe('data');
    raw.close();
  });
  it('survives clients that reset their connection while their upgrade is checked or refused', async () => {
    const alice = await makeUser(t.url);
    const { port } = new URL(t.url);
    const upgrade = (cookie: string) =>
      [
        'GET /trpc HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Version: 13',
        `Cookie: ${cookie}`,
        '',
        '',
      ].join('\r\n');
    // A valid session (reset while it is looked up) and none (reset as the 401 goes out), many times.
    for (let i = 0; i < 20; i++) {
      for (const cookie of [cookieOf(alice), 'chat_session=nothing']) {
        const socket = connect(Number(port), '127.0.0.1');
        await once(socket, 'connect');
        socket.write(upgrade(cookie));
        await new Promise((r) => setTimeout(r, i % 3));
        socket.resetAndDestroy();
      }
    }
    await new Promise((r) => setTimeout(r, 300));
    // Still serving (an unhandled error on one of those sockets would have failed the run).
    const raw = await open(cookieOf(alice));
    raw.send({ id: 1, method: 'query', params: { path: 'auth.me', input: superjson.serialize(undefined) } });
    expect((await raw.next((f) => f.id === 1)).result?.type).toBe('data');
    raw.close();
  });
});
