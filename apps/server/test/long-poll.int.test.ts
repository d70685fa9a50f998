/**
 * Long-polling (`events.poll` with `waitMs`; docs/event-stream.md,
 * "Long-polling"), through the real server and the typed client: a held poll
 * answers when something comes for the user and not before, from the mailbox
 * the hub fills (its log reads are counted: none), times out empty, brings
 * what came while the client was away in one answer (once, in order), shows a
 * stranger nothing, tells a session its end, is capped per user, frees its
 * place when the client goes away, refuses bad input, is not cut by the
 * database's deadline, carries the headers that keep proxies from buffering,
 * and moves to a second server process losing and repeating nothing.
 */
import { randomUUID } from 'node:crypto';
import { createChatClient, type StreamItem, signIn } from '@chat/api/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, PASSWORD, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { makeDirect } from './people';

const onPostgres = process.env.TEST_DB === 'postgres';
const CAP = 3;
/** Short, so that a held poll outlives it (PostgreSQL only: PGlite has no deadline). */
const DEADLINE_ENV = { DATABASE_STATEMENT_TIMEOUT_MS: '1500', DATABASE_DEADLINE_MS: '2000' };

let t: TestServer;
let alice: Person;
let bob: Person;
let stranger: Person;
let direct: string;

beforeAll(async () => {
  t = await startTestServer({ env: { WAITING_POLLS_PER_USER: String(CAP), ...DEADLINE_ENV } });
  [alice, bob, stranger] = await Promise.all([
    makeUser(t.url, { prefix: 'alice' }),
    makeUser(t.url, { prefix: 'bob' }),
    makeUser(t.url, { prefix: 'stranger' }),
  ]);
  direct = await makeDirect(alice, bob);
});
afterAll(async () => {
  for (const p of [alice, bob, stranger]) p?.client.close();
  await t?.stop();
});

interface Page {
  items: { id: string; data: StreamItem }[];
  cursor: string;
}
interface PollInput {
  lastEventId?: string | null;
  limit?: number;
  waitMs?: number;
}

const poll = (p: Person, input: PollInput): Promise<Page> => p.client.api.events.poll.query(input);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logReads = (server: TestServer = t) => server.server.longPolls.logReads;

const createdIds = (page: Page) =>
  page.items.flatMap((i) => (i.data.type === 'message.created' ? [i.data.payload.message.id] : []));

const send = (from: Person, chatId: string, body: string) =>
  from.client.api.message.send.mutate({ id: randomUUID(), chatId, body });

/**
 * A cursor at the head, from a first poll (answered at once with
 * `stream.ready`, registering the user's mailbox), after whatever follows it
 * at once (the user's own presence, now that they poll) has been taken.
 */
async function settledHead(p: Person): Promise<string> {
  const first = await poll(p, { waitMs: 1_000 });
  expect(first.items.map((i) => i.data.type)).toEqual(['stream.ready']);
  let cursor = first.cursor;
  for (;;) {
    const page = await poll(p, { lastEventId: cursor, waitMs: 600 });
    if (page.items.length === 0) return cursor;
    cursor = page.cursor;
  }
}

/** A poll as a browser sends it: a GET of tRPC's URL, with the session's cookie. */
function rawPoll(url: string, cookie: string, input: PollInput, signal?: AbortSignal): Promise<Response> {
  const query = encodeURIComponent(JSON.stringify({ json: input }));
  return fetch(`${url}/trpc/events.poll?input=${query}`, { headers: { cookie }, signal });
}

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('a held poll', () => {
  it('answers as soon as a message comes for the user, not before, from memory (no log read)', async () => {
    const cursor = await settledHead(bob);
    const reads = logReads();
    let answered = false;
    const held = poll(bob, { lastEventId: cursor, waitMs: 20_000 }).finally(() => {
      answered = true;
    });
    await sleep(1_000);
    expect(answered).toBe(false);

    const before = Date.now();
    const sent = await send(alice, direct, 'are you there?');
    const page = await held;
    expect(Date.now() - before).toBeLessThan(1_500);
    expect(createdIds(page)).toEqual([sent.id]);
    expect(page.cursor).toBe(page.items.at(-1)?.id);
    expect(logReads()).toBe(reads);
  });

  it('with nothing for the user, answers after about waitMs with no items and the same cursor', async () => {
    const cursor = await settledHead(bob);
    const reads = logReads();
    const started = Date.now();
    const page = await poll(bob, { lastEventId: cursor, waitMs: 1_500 });
    const took = Date.now() - started;
    expect(page).toEqual({ items: [], cursor });
    expect(took).toBeGreaterThanOrEqual(1_450);
    expect(took).toBeLessThan(3_000);
    expect(logReads()).toBe(reads);
  });

  it('is not cut by the database deadline while it waits', async () => {
    const cursor = await settledHead(bob);
    const page = await poll(bob, { lastEventId: cursor, waitMs: 3_000 });
    expect(page).toEqual({ items: [], cursor });
  });

  it('what came while no poll waited is in the next answer: all of it, once, in order', async () => {
    let cursor = await settledHead(bob);
    const reads = logReads();
    const sent: { id: string; seq: number }[] = [];
    for (let i = 0; i < 50; i += 10) {
      const batch = Array.from({ length: 10 }, (_, k) => send(alice, direct, `while away ${i + k}`));
      sent.push(...(await Promise.all(batch)));
    }
    const expected = sent.sort((a, b) => a.seq - b.seq).map((m) => m.id);
    await sleep(500); // routed to the mailbox by now

    const first = await poll(bob, { lastEventId: cursor, waitMs: 10_000 });
    const got = createdIds(first);
    cursor = first.cursor;
    // In one answer: a busy user's events batch while the poll is away.
    expect(got).toEqual(expected);
    const ids = first.items.map((i) => Number(i.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(first.cursor).toBe(first.items.at(-1)?.id);

    const after = await poll(bob, { lastEventId: cursor, waitMs: 500 });
    expect(after).toEqual({ items: [], cursor });
    expect(logReads()).toBe(reads);
  });

  it("a busy session's answer waits a moment for what follows closely, and brings it too", async () => {
    let cursor = await settledHead(bob);
    // Busy: answered with something just now.
    const first = poll(bob, { lastEventId: cursor, waitMs: 5_000 });
    await sleep(100);
    await send(alice, direct, 'one');
    cursor = (await first).cursor;
    const held = poll(bob, { lastEventId: cursor, waitMs: 5_000 });
    await sleep(100);
    // Sent together, so they follow closely on a loaded machine too (one after the other, the second could
    // come after the answer's short wait and go in the next answer instead, which is right but not this case).
    const [two, three] = await Promise.all([send(alice, direct, 'two'), send(alice, direct, 'three')]);
    expect(createdIds(await held).sort()).toEqual([two.id, three.id].sort());
  });

  it('the same cursor asked again (an answer lost on the way) gets the same events again', async () => {
    const cursor = await settledHead(bob);
    const sent = await send(alice, direct, 'say it twice');
    const once = await poll(bob, { lastEventId: cursor, waitMs: 5_000 });
    const again = await poll(bob, { lastEventId: cursor, waitMs: 5_000 });
    expect(createdIds(once)).toEqual([sent.id]);
    expect(createdIds(again)).toEqual([sent.id]);
  });

  it("a stranger's poll carries nothing of others' chats", async () => {
    const cursor = await settledHead(stranger);
    const group = await alice.client.api.groups.create.mutate({ name: 'Team', userIds: [bob.id] }).then((g) => g.id);
    const held = poll(stranger, { lastEventId: cursor, waitMs: 2_000 });
    await send(alice, direct, 'just us');
    await send(alice, group, 'the team');
    await send(bob, group, 'the team again');
    expect(await held).toEqual({ items: [], cursor });
  });

  it('a session ended while its poll waits is told so in the answer; its next poll is refused', async () => {
    const second: Person = { ...bob, client: await signIn({ url: t.url, username: bob.username, password: PASSWORD }) };
    const cursor = await settledHead(second);
    const held = poll(second, { lastEventId: cursor, waitMs: 20_000 });
    await sleep(300);
    await bob.client.api.account.signOutOthers.mutate();
    const page = await held;
    expect(page.items.at(-1)?.data).toMatchObject({ type: 'session.ended', payload: { reason: 'revoked' } });
    await expect(poll(second, { lastEventId: page.cursor, waitMs: 1_000 })).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
    second.client.close();
  });
});

describe('limits and input', () => {
  it(`a user holds at most ${CAP} polls; one more is refused; a client that goes away frees its place`, async () => {
    const carol = await makeUser(t.url, { prefix: 'carol' });
    const cursor = await settledHead(carol);
    const cookie = carol.client.cookie() as string;
    const waitingBefore = t.server.longPolls.waiting;
    const aborts = Array.from({ length: CAP }, () => new AbortController());
    const held = aborts.map((a) =>
      rawPoll(t.url, cookie, { lastEventId: cursor, waitMs: 20_000 }, a.signal).catch(() => undefined),
    );
    await until(() => t.server.longPolls.waiting === waitingBefore + CAP, 'the polls to be held');

    await expect(poll(carol, { lastEventId: cursor, waitMs: 1_000 })).rejects.toMatchObject({
      data: { code: 'TOO_MANY_REQUESTS' },
      message: `At most ${CAP} waiting polls per user on this server.`,
    });

    // The client goes away: the request's signal ends the wait, and the place is free.
    aborts[0]?.abort();
    await until(() => t.server.longPolls.waiting === waitingBefore + CAP - 1, 'the abandoned poll to be released');
    expect(await poll(carol, { lastEventId: cursor, waitMs: 200 })).toEqual({ items: [], cursor });

    for (const a of aborts) a.abort();
    await Promise.all(held);
    await until(() => t.server.longPolls.waiting === waitingBefore, 'every poll to be released');
    carol.client.close();
  });

  it.each([
    [{ waitMs: 30_000 }, 'A poll can wait at most 25000 ms (waitMs).'],
    [{ waitMs: -1 }, 'waitMs cannot be negative.'],
    [{ waitMs: 1.5 }, 'waitMs must be a whole number of milliseconds.'],
    [{ waitMs: 1_000, lastEventId: 'bogus' }, 'That stream position is not one this server handed out.'],
    [{ waitMs: 1_000, lastEventId: '12abc' }, 'That stream position is not one this server handed out.'],
  ])('refuses %o with BAD_REQUEST and a message', async (input, message) => {
    await expect(poll(bob, input)).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' }, message });
  });

  it('refuses a poll without a session', async () => {
    const res = await rawPoll(t.url, '', { waitMs: 1_000 });
    expect(res.status).toBe(401);
  });
});

describe('headers for proxies', () => {
  it("a poll's answer and the SSE stream say: do not buffer, store or transform", async () => {
    const cookie = bob.client.cookie() as string;
    const res = await rawPoll(t.url, cookie, { waitMs: 100 });
    expect(res.status).toBe(200);
    await res.text();
    expect(res.headers.get('cache-control')).toBe('no-store, no-transform');
    expect(res.headers.get('x-accel-buffering')).toBe('no');

    const abort = new AbortController();
    const input = encodeURIComponent(JSON.stringify({ json: { lastEventId: null } }));
    const sse = await fetch(`${t.url}/trpc/events.stream?input=${input}`, {
      headers: { cookie },
      signal: abort.signal,
    });
    expect(sse.headers.get('content-type')).toBe('text/event-stream');
    expect(sse.headers.get('cache-control')).toBe('no-store, no-transform');
    expect(sse.headers.get('x-accel-buffering')).toBe('no');
    abort.abort();
  });
});

describe.skipIf(!onPostgres)('a second server process on the same database', () => {
  it('a poll resumed there reads the log once, loses and repeats nothing, then answers from memory', async () => {
    const other = await startTestServer({ database: t.database, env: DEADLINE_ENV });
    try {
      const [dave, erin] = await Promise.all([
        makeUser(t.url, { prefix: 'dave' }),
        makeUser(t.url, { prefix: 'erin' }),
      ]);
      const chat = await makeDirect(erin, dave);
      const expected: string[] = [];
      const got: string[] = [];
      let cursor = '';
      /** Held polls until `count` more messages have come (other items, such as presence, pass by). */
      const receive = async (on: Person, count: number) => {
        const want = got.length + count;
        while (got.length < want) {
          const page = await poll(on, { lastEventId: cursor, waitMs: 10_000 });
          got.push(...createdIds(page));
          cursor = page.cursor;
        }
      };

      // On the first process: held polls, answered as messages come.
      cursor = await settledHead(dave);
      for (let i = 0; i < 5; i++) {
        const held = receive(dave, 1);
        expected.push((await send(erin, chat, `on A ${i}`)).id);
        await held;
      }

      // Away; then on the second process, which has no mailbox for dave: one log read.
      for (let i = 0; i < 20; i++) expected.push((await send(erin, chat, `away ${i}`)).id);
      const moved: Person = { ...dave, client: createChatClient({ url: other.url, cookie: dave.client.cookie() }) };
      const reads = logReads(other);
      await receive(moved, 20);
      expect(logReads(other)).toBe(reads + 1);

      // Sent through the first process, routed by the second's hub into its mailbox.
      const held = receive(moved, 1);
      expected.push((await send(erin, chat, 'from A to B')).id);
      await held;
      expect(got).toEqual(expected);
      expect(logReads(other)).toBe(reads + 1);
      const settled = await poll(moved, { lastEventId: cursor, waitMs: 1_000 });
      expect(createdIds(settled)).toEqual([]);
      cursor = settled.cursor;

      // A server that stops answers its held polls at once.
      const last = poll(moved, { lastEventId: cursor, waitMs: 20_000 });
      await until(() => other.server.longPolls.waiting === 1, 'the poll to be held');
      const stoppedAt = Date.now();
      const stopping = other.stop();
      expect(createdIds(await last)).toEqual([]);
      expect(Date.now() - stoppedAt).toBeLessThan(1_500);
      await stopping;
      moved.client.close();
      dave.client.close();
      erin.client.close();
    } finally {
      await other.stop();
    }
  }, 90_000);
});
