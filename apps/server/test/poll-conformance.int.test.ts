/**
 * The long poll's own route (apps/server/src/transport/poll.ts) against
 * tRPC's adapter: every request is sent to the real server, where the route
 * answers `GET /trpc/events.poll`, and to a listener built the same way over
 * the same deps (database, hub, mailboxes) with the route off, where tRPC's
 * fetch adapter answers it as it answers every other call. Both must answer
 * the same status, headers and bytes: answers with items (the superjson
 * `meta` of several items, each at its index), a held poll answered by an
 * event, an empty one, and the errors (no session, malformed and invalid
 * input, a cursor never handed out, past the cap). What the route leaves to
 * the adapter (a batch, a foreign Origin) must be left, and what the web
 * app and the typed client send must be taken.
 */
import { randomUUID } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestListener } from '../src/app';
import { loadConfig } from '../src/config';
import { makeUser, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { makeDirect } from './people';
import { cookieOf } from './raw';

const CAP = 2;

let t: TestServer;
let adapter: Server;
let adapterUrl: string;
let alice: Person;
let bob: Person;
let direct: string;

beforeAll(async () => {
  t = await startTestServer({ env: { WAITING_POLLS_PER_USER: String(CAP) } });
  // The same app over the same services, with every poll left to tRPC's adapter.
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
  const { listener } = await createRequestListener({
    deps: t.server.deps,
    config,
    streams: t.server.streams,
    ping: async () => {},
    pollRoute: false,
  });
  adapter = createServer(listener);
  await new Promise<void>((resolve) => adapter.listen(0, '127.0.0.1', resolve));
  adapterUrl = `http://127.0.0.1:${(adapter.address() as AddressInfo).port}`;
  [alice, bob] = await Promise.all([makeUser(t.url, { prefix: 'alice' }), makeUser(t.url, { prefix: 'bob' })]);
  direct = await makeDirect(alice, bob);
});
afterAll(async () => {
  for (const p of [alice, bob]) p?.client.close();
  adapter?.closeAllConnections();
  await new Promise((resolve) => adapter?.close(resolve));
  await t?.stop();
});

interface Answer {
  status: number;
  /** Every header but the ones that differ by the moment and the connection. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const VARYING = new Set(['date', 'connection', 'keep-alive']);

/** A GET of `path` on `base`, answered as the bytes came (no client library in between). */
function get(base: string, path: string, headers: Record<string, string>, signal?: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers, agent: false, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const kept = Object.entries(res.headers).filter(([name]) => !VARYING.has(name));
        resolve({
          status: res.statusCode ?? 0,
          headers: Object.fromEntries(kept),
          body: Buffer.concat(chunks).toString(),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const pollPath = (input: unknown) => `/trpc/events.poll?input=${encodeURIComponent(JSON.stringify(input))}`;
const as = (p: Person) => ({ cookie: cookieOf(p.client) });

/** The same request to both; both answers must be the same. Returns ours, and whether the route took it. */
async function both(path: string, headers: Record<string, string>): Promise<Answer & { taken: boolean }> {
  const before = t.server.pollRouteAnswers();
  const ours = await get(t.url, path, headers);
  const taken = t.server.pollRouteAnswers() > before;
  const theirs = await get(adapterUrl, path, headers);
  expect(ours).toEqual(theirs);
  return { ...ours, taken };
}

type Page = { items: { id: string; data: { type: string } }[]; cursor: string };
const pageOf = (answer: Answer): Page =>
  (JSON.parse(answer.body) as { result: { data: { json: Page } } }).result.data.json;

/**
 * Polls until nothing more comes at once (the user's own presence, now that
 * they poll): ephemeral items go to one poll only, so not through both.
 */
async function settle(p: Person, cursor: string): Promise<string> {
  for (;;) {
    const page = pageOf(await get(t.url, pollPath({ json: { lastEventId: cursor, waitMs: 400 } }), as(p)));
    if (page.items.length === 0) return cursor;
    cursor = page.cursor;
  }
}

const send = (from: Person, body: string) =>
  from.client.api.message.send.mutate({ id: randomUUID(), chatId: direct, body });

describe("the poll's route answers as tRPC's adapter does", () => {
  it('refuses a request without a session (401), malformed and invalid input (400), and a cursor never handed out', async () => {
    const refusals: [string, Record<string, string>, number][] = [
      [pollPath({ json: {} }), {}, 401],
      [pollPath({ json: { waitMs: 1_000 } }), { cookie: 'chat_session=not-a-session' }, 401],
      ['/trpc/events.poll?input=%7Bnot%20json', as(alice), 400],
      ['/trpc/events.poll', as(alice), 400],
      ['/trpc/events.poll?input=', as(alice), 400],
      [pollPath({ json: { waitMs: -1 } }), as(alice), 400],
      [pollPath({ json: { waitMs: 'soon' } }), as(alice), 400],
      [pollPath({ json: { waitMs: 30_000 } }), as(alice), 400],
      [pollPath({ json: { limit: 0 } }), as(alice), 400],
      [pollPath({ json: { lastEventId: 'bogus' } }), as(alice), 400],
      [pollPath({ json: { lastEventId: 'x\u0000' } }), as(alice), 400],
      [pollPath({ wrong: 1 }), as(alice), 400],
    ];
    for (const [path, headers, status] of refusals) {
      const answer = await both(path, headers);
      expect({ path, status: answer.status, taken: answer.taken }).toEqual({ path, status, taken: true });
      expect(answer.headers['content-type']).toBe('application/json');
      expect(answer.headers['cache-control']).toBe('no-store, no-transform');
      expect(answer.headers['x-accel-buffering']).toBe('no');
      expect(JSON.parse(answer.body)).toHaveProperty('error.json.data.path', 'events.poll');
    }
  });

  it('answers pages of events (the meta of each item at its index), held polls, and empty ones, in the same bytes', async () => {
    const first = await both(pollPath({ json: {} }), as(alice));
    expect(first.taken).toBe(true);
    expect(first.headers['x-frame-options']).toBe('DENY');
    expect(pageOf(first).items.map((i) => i.data.type)).toEqual(['stream.ready']);
    const cursor = await settle(alice, pageOf(first).cursor);

    for (let i = 0; i < 4; i++) await send(bob, `hello ${i} "quoted" é 😀`);
    const full = await both(pollPath({ json: { lastEventId: cursor, waitMs: 1_000 } }), as(alice));
    const page = pageOf(full);
    expect(page.items.map((i) => i.data.type)).toEqual(Array(4).fill('message.created'));
    // Dates in every item: superjson's meta names each at its own index.
    expect(full.body).toContain('"items.0.data.');
    expect(full.body).toContain('"items.3.data.');
    const limited = await both(pollPath({ json: { lastEventId: cursor, limit: 2, waitMs: 1_000 } }), as(alice));
    expect(pageOf(limited).items).toHaveLength(2);
    const empty = await both(pollPath({ json: { lastEventId: page.cursor, waitMs: 300 } }), as(alice));
    expect(pageOf(empty)).toEqual({ items: [], cursor: page.cursor });

    // Held on both until an event comes, then answered with it.
    const path = pollPath({ json: { lastEventId: page.cursor, waitMs: 10_000 } });
    const held = Promise.all([get(t.url, path, as(alice)), get(adapterUrl, path, as(alice))]);
    await new Promise((r) => setTimeout(r, 300));
    await send(bob, 'are you there?');
    const [ours, theirs] = await held;
    expect(ours).toEqual(theirs);
    expect(pageOf(ours).items.map((i) => i.data.type)).toEqual(['message.created']);
  });

  it('refuses a poll past the cap on waiting polls with the same answer', async () => {
    const first = pageOf(await both(pollPath({ json: {} }), as(bob)));
    const cursor = await settle(bob, first.cursor);
    const abort = new AbortController();
    const path = pollPath({ json: { lastEventId: cursor, waitMs: 10_000 } });
    const holding = Array.from({ length: CAP }, () => get(t.url, path, as(bob), abort.signal).catch(() => undefined));
    const start = Date.now();
    while (t.server.longPolls.waiting < CAP) {
      if (Date.now() - start > 5_000) throw new Error('the polls were not held');
      await new Promise((r) => setTimeout(r, 20));
    }
    const refused = await both(pollPath({ json: { lastEventId: cursor, waitMs: 1_000 } }), as(bob));
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body)).toHaveProperty('error.json.data.code', 'TOO_MANY_REQUESTS');
    abort.abort();
    await Promise.all(holding);
    // The route's polls end with their client.
    while (t.server.longPolls.waiting > 0) {
      if (Date.now() - start > 5_000) throw new Error('the held polls did not end with their clients');
      await new Promise((r) => setTimeout(r, 20));
    }
  });
});

describe('which polls the route takes', () => {
  it("takes the typed client's polls and the web app's (httpLink: a GET, same-origin)", async () => {
    const before = t.server.pollRouteAnswers();
    const page = await alice.client.api.events.poll.query({});
    expect(page.items.map((i) => i.data.type)).toEqual(['stream.ready']);
    expect(t.server.pollRouteAnswers()).toBe(before + 1);
    const browser = { ...as(alice), accept: '*/*', 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' };
    expect((await both(pollPath({ json: { lastEventId: page.cursor } }), browser)).taken).toBe(true);
    // The two listeners have different ports: one Host for both.
    const withOrigin = { ...browser, host: 'chat.example', origin: 'http://chat.example' };
    expect((await both(pollPath({ json: { lastEventId: page.cursor } }), withOrigin)).taken).toBe(true);
  });

  it('leaves a batch, a foreign Origin and a streaming accept to the app, which answers them as before', async () => {
    const batch = `/trpc/events.poll?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { json: {} } }))}`;
    const params = encodeURIComponent(JSON.stringify({ client: 1 }));
    const left: [string, Record<string, string>, number | null][] = [
      [batch, as(alice), 200],
      [pollPath({ json: {} }), { ...as(alice), origin: 'https://evil.example' }, 403],
      [pollPath({ json: {} }), { ...as(alice), 'sec-fetch-site': 'cross-site' }, 403],
      [pollPath({ json: {} }), { ...as(alice), 'trpc-accept': 'application/jsonl' }, null],
      [`${pollPath({ json: {} })}&connectionParams=${params}`, as(alice), null],
      [`/trpc/events.poll/?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`, as(alice), null],
    ];
    for (const [path, headers, status] of left) {
      const answer = await both(path, headers);
      expect({ path, taken: answer.taken }).toEqual({ path, taken: false });
      if (status !== null) expect({ path, status: answer.status }).toEqual({ path, status });
    }
  });
});
