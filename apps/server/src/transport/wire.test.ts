import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import { sseStreamProducer, tracked } from '@trpc/server/unstable-core-do-not-import';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import {
  sseDataEvent,
  sseDataEventBytes,
  trackedFrame,
  trackedPageBytes,
  trackedPageText,
  trackedWsFrame,
  wsTextFrame,
} from './wire';

/** `ws`'s own frame parser (a client's: server frames are unmasked); @types/ws does not declare it. */
const { Receiver } = createRequire(import.meta.url)('ws') as {
  Receiver: new (options: { isServer: boolean; maxPayload: number }) => Writable;
};

/** What `ws` reads out of `bytes`: each message's text, or its parse error. */
function parsedByWs(bytes: Buffer): string[] {
  const receiver = new Receiver({ isServer: false, maxPayload: 0 });
  const out: string[] = [];
  receiver.on('message', (data: Buffer, isBinary: boolean) => out.push(`${isBinary ? 'binary' : 'text'} ${data}`));
  receiver.on('error', (error: Error) => out.push(`error ${error.message}`));
  receiver.write(bytes);
  return out;
}

/** The message tRPC's WebSocket adapter builds for a tracked item (stringified, its frame). */
function frame(subscriptionId: number | string, trackedId: string, item: object) {
  return {
    id: subscriptionId,
    jsonrpc: undefined,
    result: { type: 'data', data: superjson.serialize({ id: trackedId, data: item }), id: trackedId },
  };
}

/** A small deterministic generator of event-like values: dates, nesting, arrays, odd keys, nulls. */
function randomValue(seed: number): object {
  let s = seed;
  const next = () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
  const leaf = (): unknown => {
    const r = next();
    if (r < 0.2) return new Date(Math.floor(next() * 2e12));
    if (r < 0.35) return null;
    if (r < 0.45) return undefined;
    if (r < 0.6) return Math.floor(next() * 1e6);
    if (r < 0.7) return next() < 0.5;
    return `text "${Math.floor(next() * 1e9).toString(36)}" \u2028 <b>é</b> \\ 😀`;
  };
  const build = (depth: number): unknown => {
    const r = next();
    if (depth > 3 || r < 0.4) return leaf();
    if (r < 0.6) return Array.from({ length: Math.floor(next() * 4) }, () => build(depth + 1));
    const o: Record<string, unknown> = {};
    const keys = ['id', 'type', 'payload', 'message', 'at', 'a.b', 'x\\y', 'chatId', 'reactions'];
    for (let i = 0; i < 1 + Math.floor(next() * 5); i++)
      o[keys[Math.floor(next() * keys.length)] as string] = build(depth + 1);
    return o;
  };
  return { id: seed, type: 'message.created', chatId: 'c', payload: build(0), at: new Date(seed * 1000) };
}

describe('trackedFrame: an item serialised once, a frame per recipient in the bytes tRPC would write', () => {
  it('writes what superjson and JSON.stringify write, from the cache too, for numeric and string subscription ids, with and without jsonrpc', () => {
    const items: object[] = Array.from({ length: 500 }, (_, i) => randomValue(1 + i));
    items.push({ first: { a: 1 }, when: new Date(0) });
    items.forEach((item, i) => {
      const subscription = i % 2 === 0 ? i : `sub-${i}`;
      const expected = JSON.stringify(frame(subscription, String(42 + i), item));
      expect(trackedFrame(subscription, undefined, String(42 + i), item)).toBe(expected);
      // The second time from the item's kept text, and for another subscription and tracked id.
      expect(trackedFrame(subscription, undefined, String(42 + i), item)).toBe(expected);
      expect(trackedFrame('sub-2', undefined, 'x', item)).toBe(JSON.stringify(frame('sub-2', 'x', item)));
      const plain = frame(subscription, String(i), item);
      const withRpc = JSON.stringify({ id: plain.id, jsonrpc: '2.0', result: plain.result });
      expect(trackedFrame(subscription, '2.0', String(i), item)).toBe(withRpc);
    });
  });

  it('round-trips through superjson on the client, dates as dates', () => {
    const at = new Date('2026-11-23T10:00:00.123Z');
    const item = { id: 5, type: 'message.created', payload: { message: { createdAt: at, body: 'hi' } }, at };
    const parsed = JSON.parse(trackedFrame(1, undefined, '5', item)) as { result: { data: unknown } };
    expect(superjson.deserialize(parsed.result.data as never)).toEqual({ id: '5', data: item });
  });

  it('keeps references (the same date or object twice) as superjson records them', () => {
    const when = new Date(0);
    const inner = { a: 1 };
    const item = { first: inner, second: inner, when, again: when };
    const expected = JSON.stringify(frame(3, '9', item));
    expect(expected).toContain('referentialEqualities');
    expect(trackedFrame(3, undefined, '9', item)).toBe(expected);
  });
});

describe('frames and events as bytes, made once for the recipients that share them', () => {
  it('gives each recipient exactly its own bytes, whatever the order of subscription ids, tracked ids and jsonrpc', () => {
    const item = randomValue(77);
    const calls: [number | string, '2.0' | undefined, string][] = [
      [1, undefined, '9'],
      [1, undefined, '9'],
      [2, undefined, '9'],
      [1, undefined, '9'],
      ['1', undefined, '9'],
      [1, '2.0', '9'],
      [1, undefined, '10'],
      [1, undefined, '9'],
    ];
    let previous: Buffer | undefined;
    for (const [subscription, jsonrpc, trackedId] of calls) {
      const plain = frame(subscription, trackedId, item);
      const expected = JSON.stringify(
        jsonrpc ? { id: plain.id, jsonrpc, result: plain.result } : { id: plain.id, result: plain.result },
      );
      const { frame: bytes, payload } = trackedWsFrame(subscription, jsonrpc, trackedId, item);
      expect(payload.toString('utf8')).toBe(expected);
      expect(parsedByWs(bytes)).toEqual([`text ${expected}`]);
      if (previous && parsedByWs(previous)[0] === `text ${expected}`) expect(bytes).toBe(previous); // the same bytes, not a copy
      previous = bytes;
    }
    const sse = (id: string) => `data: ${JSON.stringify(superjson.serialize(item))}\nid: ${id}\n\n\n`;
    const first = sseDataEventBytes('9', item);
    expect(first.toString('utf8')).toBe(sse('9'));
    expect(sseDataEventBytes('9', item)).toBe(first);
    expect(sseDataEventBytes('10', item).toString('utf8')).toBe(sse('10'));
  });
});

/** Everything tRPC's own SSE producer writes for these tracked items, as text. */
async function trpcSse(items: { id: string; item: object }[]): Promise<string> {
  async function* data() {
    for (const { id, item } of items) yield tracked(id, item);
  }
  const stream = sseStreamProducer({ data: data(), serialize: (v) => superjson.serialize(v) });
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk);
  return text;
}

describe('SSE events written past tRPC (sseDataEvent)', () => {
  it("are byte for byte what tRPC's SSE producer writes, the first time and from the cache", async () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ id: String(1000 + i), item: randomValue(i) }));
    for (const { id, item } of items.slice(0, 100)) sseDataEvent(id, item); // half of them kept already
    const ours = `event: connected\ndata: {}\n\n\n${items.map(({ id, item }) => sseDataEvent(id, item)).join('')}event: return\ndata: \n\n\n`;
    expect(ours).toBe(await trpcSse(items));
  });
});

describe("trackedPageText: a poll's answer joined from its items' kept text", () => {
  const page = (items: object[], first = 100) => ({
    items: items.map((data, i) => ({ id: String(first + i), data })),
    cursor: String(first + items.length),
  });

  it('is byte for byte what superjson and JSON.stringify write, the first time and from the cache', () => {
    const shared = Array.from({ length: 60 }, (_, i) => randomValue(5_000 + i));
    const pages = [
      page([]),
      page([{ type: 'stream.ready' }]),
      page([{ type: 'typing', payload: { chatId: 'c' } }, randomValue(1)]),
      ...Array.from({ length: 40 }, (_, n) =>
        page(
          Array.from({ length: 1 + (n % 7) }, (_, i) => shared[(n * 3 + i) % shared.length] as object),
          n,
        ),
      ),
    ];
    for (const value of [...pages, ...pages]) {
      expect(trackedPageText(value)).toBe(JSON.stringify(superjson.serialize(value)));
    }
  });

  it('keeps references within an item, and dates anywhere, as superjson records them', () => {
    const when = new Date(0);
    const inner = { a: 1 };
    const value = page([{ plain: true }, { first: inner, second: inner, when, again: when }, { at: new Date(5) }]);
    const expected = JSON.stringify(superjson.serialize(value));
    expect(expected).toContain('"items.1.data.first":["items.1.data.second"]');
    expect(trackedPageText(value)).toBe(expected);
    const parsed = JSON.parse(trackedPageText(value) as string);
    expect(superjson.deserialize(parsed)).toEqual(value);
  });

  it('as bytes, is that text in UTF-8 between what wraps it, whatever the characters, an item in any page', () => {
    const when = new Date(7);
    const wide = { text: 'héllo wörld, 日本語, 🎉🎉', when };
    const plain = { text: 'plain', n: 1 };
    for (const value of [
      page([wide]),
      page([plain, wide]),
      page([wide, plain, { text: 'ünïcode ✓', when: new Date(9) }], 7),
      page([]),
    ]) {
      const bytes = trackedPageBytes(value, '{"result":{"data":', '}}');
      expect(bytes).not.toBeNull();
      const expected = `{"result":{"data":${JSON.stringify(superjson.serialize(value))}}}`;
      expect(bytes?.equals(Buffer.from(expected))).toBe(true);
      expect(bytes?.length).toBe(Buffer.byteLength(expected));
    }
    expect(trackedPageBytes({ items: [], cursor: 1 }, '', '')).toBeNull();
  });

  it('declines anything that is not such a page', () => {
    const declined = [
      null,
      'text',
      [],
      { items: [], cursor: 1 },
      { cursor: '1', items: [] },
      { items: [], cursor: '1', more: true },
      { items: [{ data: {}, id: '1' }], cursor: '1' },
      { items: [{ id: 1, data: {} }], cursor: '1' },
      { items: [{ id: '1', data: new Date(0) }], cursor: '1' },
      { items: [{ id: '1', data: [1] }], cursor: '1' },
      new Map(),
    ];
    for (const value of declined) expect(trackedPageText(value)).toBeNull();
  });
});

describe('wsTextFrame: a whole WebSocket text frame in one buffer', () => {
  it('is read by ws as the same text, at every length encoding (7-bit, 16-bit, 64-bit)', () => {
    for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 70_000]) {
      const text = 'é'.repeat(Math.floor(length / 2)) + 'x'.repeat(length % 2); // two bytes each, and one
      const { frame, payload } = wsTextFrame(text);
      expect(Buffer.byteLength(text)).toBe(length);
      expect(payload.toString('utf8')).toBe(text);
      expect(parsedByWs(frame)).toEqual([`text ${text}`]);
      expect(frame.length - payload.length).toBe(length < 126 ? 2 : length < 65_536 ? 4 : 10);
    }
    // Two frames back to back are two messages.
    expect(parsedByWs(Buffer.concat([wsTextFrame('a').frame, wsTextFrame('b').frame]))).toEqual(['text a', 'text b']);
  });
});
