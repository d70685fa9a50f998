import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamItem } from '../k6/lib/frames';
import { followRawPoll } from './raw-poll';
import type { Follower } from './stream';

interface Poll {
  input: { lastEventId: string | null; limit: number; waitMs?: number };
  cookie: string | undefined;
  res: ServerResponse;
}

/** A stand-in for the server's `GET /trpc/events.poll`: each poll waits in `polls` until the test answers it. */
async function fakeServer() {
  const polls: Poll[] = [];
  let arrived: (() => void) | undefined;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    expect(url.pathname).toBe('/trpc/events.poll');
    const input = (JSON.parse(url.searchParams.get('input') ?? '{}') as { json: Poll['input'] }).json;
    polls.push({ input, cookie: req.headers.cookie, res });
    arrived?.();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  /** The `n`th poll (from 0), once it has come. */
  const poll = async (n: number): Promise<Poll> => {
    while (polls.length <= n) await new Promise<void>((resolve) => (arrived = resolve));
    return polls[n] as Poll;
  };
  const answer = (p: Poll, items: { id: string; data: StreamItem }[], cursor: string) => {
    p.res.writeHead(200, { 'content-type': 'application/json' });
    p.res.end(JSON.stringify({ result: { data: { json: { items, cursor } } } }));
  };
  const refuse = (p: Poll, status: number, code: string, message: string) => {
    p.res.writeHead(status, { 'content-type': 'application/json' });
    p.res.end(JSON.stringify({ error: { json: { message, code: -32001, data: { code, httpStatus: status } } } }));
  };
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url, polls, poll, answer, refuse, close, server };
}

const message = (seq: number): StreamItem =>
  ({ type: 'message.created', payload: { message: { chatId: 'c1', seq, body: `m${seq}` } } }) as unknown as StreamItem;

describe('raw long-poll reader', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('asks once at once, then holds each poll from the last cursor and asks again as soon as it is answered', async () => {
    const fake = await fakeServer();
    cleanup.push(fake.close);
    const items: StreamItem[] = [];
    let live = 0;
    const follower: Follower = followRawPoll(fake.url, 'sid=abc', (item) => items.push(item), {
      lastEventId: null,
      pollWaitMs: 25_000,
      pollIntervalMs: 1000,
      onError: (kind) => {
        throw new Error(`unexpected ${kind}`);
      },
      onLive: () => {
        live += 1;
      },
    });
    cleanup.push(() => follower.stop());

    const first = await fake.poll(0);
    expect(first.input).toEqual({ lastEventId: null, limit: 500 });
    expect(first.cookie).toBe('sid=abc');
    fake.answer(first, [{ id: '1', data: { type: 'stream.ready' } as StreamItem }], '1');

    const second = await fake.poll(1);
    expect(second.input).toEqual({ lastEventId: '1', limit: 500, waitMs: 25_000 });
    // The server hands one event over twice: the reader must keep both (the books count the duplicate).
    fake.answer(
      second,
      [
        { id: '2', data: message(1) },
        { id: '2', data: message(1) },
        { id: '3', data: message(2) },
      ],
      '3',
    );

    const third = await fake.poll(2);
    expect(third.input).toEqual({ lastEventId: '3', limit: 500, waitMs: 25_000 });
    expect(items.map((i) => i.type)).toEqual(['stream.ready', 'message.created', 'message.created', 'message.created']);
    expect(follower.lastEventId).toBe('3');
    expect(live).toBe(2);
  });

  it('records a refused poll by its tRPC code and comes back from the same cursor, answered at once', async () => {
    const fake = await fakeServer();
    cleanup.push(fake.close);
    const errors: string[] = [];
    const items: StreamItem[] = [];
    const follower = followRawPoll(fake.url, null, (item) => items.push(item), {
      lastEventId: '7',
      pollWaitMs: 25_000,
      pollIntervalMs: 1000,
      onError: (kind, example) => errors.push(`${kind}: ${example}`),
    });
    cleanup.push(() => follower.stop());

    fake.answer(await fake.poll(0), [{ id: '8', data: message(8) }], '8');
    const held = await fake.poll(1);
    expect(held.input.waitMs).toBe(25_000);
    fake.refuse(held, 429, 'TOO_MANY_REQUESTS', 'At most 16 waiting polls per user on this server.');

    const back = await fake.poll(2);
    expect(errors).toEqual(['poll:TOO_MANY_REQUESTS: At most 16 waiting polls per user on this server.']);
    expect(back.input).toEqual({ lastEventId: '8', limit: 500 });
    expect(items).toHaveLength(1);
  });

  it('short-polls every pollIntervalMs with pollWaitMs 0', async () => {
    const fake = await fakeServer();
    cleanup.push(fake.close);
    const follower = followRawPoll(fake.url, null, () => {}, {
      lastEventId: null,
      pollWaitMs: 0,
      pollIntervalMs: 200,
      onError: () => {},
    });
    cleanup.push(() => follower.stop());
    fake.answer(await fake.poll(0), [], '0');
    const answeredAt = Date.now();
    const next = await fake.poll(1);
    expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(150);
    expect(next.input).toEqual({ lastEventId: '0', limit: 500 });
  });

  it('abandons a held poll when stopped', async () => {
    const fake = await fakeServer();
    cleanup.push(fake.close);
    const follower = followRawPoll(fake.url, null, () => {}, {
      lastEventId: '5',
      pollWaitMs: 25_000,
      pollIntervalMs: 1000,
      onError: () => {},
    });
    fake.answer(await fake.poll(0), [], '5');
    const held = await fake.poll(1);
    const closed = new Promise<void>((resolve) => held.res.on('close', () => resolve()));
    follower.stop();
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.polls).toHaveLength(2);
  });
});
