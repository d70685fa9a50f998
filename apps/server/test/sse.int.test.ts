/**
 * The event stream over SSE is served by our own route (apps/server/src/transport/sse.ts),
 * straight to Node's response, in tRPC's framing: read here by hand, byte
 * for byte, for what `httpSubscriptionLink` relies on (the other SSE tests
 * use the link itself: stream.int.test.ts, session-expiry-stream, security).
 */
import { randomUUID } from 'node:crypto';
import superjson, { type SuperJSONResult } from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { makeDirect } from './people';
import { cookieOf } from './raw';

let t: TestServer;
let alice: Person;
let bob: Person;
let chatId: string;

beforeAll(async () => {
  t = await startTestServer();
  [alice, bob] = await Promise.all([makeUser(t.url, { prefix: 'alice' }), makeUser(t.url, { prefix: 'bob' })]);
  chatId = await makeDirect(alice, bob);
});
afterAll(async () => {
  alice?.client.close();
  bob?.client.close();
  await t?.stop();
});

interface SseEvent {
  event?: string;
  data?: string;
  id?: string;
}

/** GET /trpc/events.stream as an EventSource would; `events()` parses what has come so far. */
async function open(options: { cookie?: string; input?: string; headers?: Record<string, string> } = {}) {
  const controller = new AbortController();
  const input = options.input ?? JSON.stringify({ json: { lastEventId: null } });
  const response = await fetch(`${t.url}/trpc/events.stream?input=${encodeURIComponent(input)}`, {
    headers: { accept: 'text/event-stream', ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers },
    signal: controller.signal,
  });
  let text = '';
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  const ended = (async () => {
    if (!reader) return;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      // aborted
    }
  })();
  const events = (): SseEvent[] =>
    text
      .split('\n\n\n')
      .slice(0, -1)
      .map((block) => {
        const e: SseEvent = {};
        for (const line of block.split('\n')) {
          const colon = line.indexOf(': ');
          const [field, value] =
            colon < 0 ? [line.replace(/:$/, ''), ''] : [line.slice(0, colon), line.slice(colon + 2)];
          if (field === 'event' || field === 'data' || field === 'id') e[field] = value;
        }
        return e;
      });
  const until = async (predicate: (events: SseEvent[]) => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!predicate(events())) {
      if (Date.now() > deadline) throw new Error(`timed out; got ${text}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { response, text: () => text, events, until, ended, abort: () => controller.abort() };
}

const decode = (data: string | undefined) =>
  superjson.deserialize<Record<string, unknown>>(JSON.parse(data ?? 'null') as SuperJSONResult);
/** An item of the stream (not a control event of the framing) of this type. */
const isType = (type: string) => (e: SseEvent) =>
  e.event === undefined && e.data !== undefined && decode(e.data).type === type;

describe('the event stream over SSE, served straight to the response', () => {
  it("speaks tRPC's framing: connected, items as data and id, live items once, resumed by Last-Event-ID", async () => {
    const sse = await open({ cookie: cookieOf(alice.client) });
    expect(sse.response.status).toBe(200);
    expect(sse.response.headers.get('content-type')).toBe('text/event-stream');
    expect(sse.response.headers.get('cache-control')).toBe('no-store, no-transform');
    await sse.until((events) => events.some(isType('stream.ready')));
    expect(sse.text().startsWith('event: connected\ndata: {"reconnectAfterInactivityMs":40000}\n\n\n')).toBe(true);
    const ready = sse.events().find(isType('stream.ready'));
    expect(ready?.id).toMatch(/^\d+$/);

    const id = randomUUID();
    await bob.client.api.message.send.mutate({ id, chatId, body: 'hello over SSE' });
    await sse.until((events) => events.some(isType('message.created')));
    await new Promise((r) => setTimeout(r, 300));
    const created = sse.events().filter(isType('message.created'));
    expect(created).toHaveLength(1);
    const item = decode(created[0]?.data) as { payload: { message: { id: string; body: string; createdAt: Date } } };
    expect(item.payload.message).toMatchObject({ id, body: 'hello over SSE' });
    expect(item.payload.message.createdAt).toBeInstanceOf(Date);
    expect(Number(created[0]?.id)).toBeGreaterThan(Number(ready?.id));
    sse.abort();

    // Reconnecting with the id it last had: what came after it, then ready.
    const resumed = await open({ cookie: cookieOf(alice.client), headers: { 'last-event-id': String(ready?.id) } });
    await resumed.until((events) => events.some(isType('stream.ready')));
    const items = resumed.events().filter((e) => e.event === undefined);
    expect(items.map((e) => decode(e.data).type)).toEqual(['message.created', 'stream.ready']);
    expect(items[0]?.id).toBe(created[0]?.id);
    resumed.abort();
  });

  it('answers a request without a valid session 401 before any stream, as every other call is answered', async () => {
    const signedOut = await makeUser(t.url, { prefix: 'gone' });
    const ended = cookieOf(signedOut.client);
    await signedOut.client.api.auth.logout.mutate();
    for (const cookie of [undefined, ended]) {
      const sse = await open({ cookie });
      await sse.ended;
      expect(sse.response.status).toBe(401);
      expect(sse.response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(sse.text()).not.toContain('event:');
      expect(JSON.parse(sse.text())).toMatchObject({
        error: { json: { message: 'Please sign in.', data: { code: 'UNAUTHORIZED', httpStatus: 401 } } },
      });
    }
    signedOut.client.close();
  });

  it('refuses in the stream, as tRPC does: a position it never handed out, unreadable input', async () => {
    const errorOf = async (options: Parameters<typeof open>[0]) => {
      const sse = await open(options);
      await sse.ended;
      const events = sse.events();
      expect(events[0]?.event).toBe('connected');
      const error = events.find((e) => e.event === 'serialized-error');
      expect(error).toBeDefined();
      return decode(error?.data) as { message: string; data: { code: string; field?: string } };
    };
    const badPosition = await errorOf({
      cookie: cookieOf(alice.client),
      input: JSON.stringify({ json: { lastEventId: 'not a position' } }),
    });
    expect(badPosition).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'lastEventId' } });
    const unreadable = await errorOf({ cookie: cookieOf(alice.client), input: '{not json' });
    expect(unreadable.data.code).toBe('PARSE_ERROR');
  });

  it('refuses a cross-site request before anything is streamed', async () => {
    const sse = await open({ cookie: cookieOf(alice.client), headers: { origin: 'https://evil.example' } });
    expect(sse.response.status).toBe(403);
    await sse.ended;
    expect(sse.text()).not.toContain('event:');
  });
});
