/**
 * Serialise an item once, whoever receives it.
 *
 * tRPC's transports run the router's transformer and `JSON.stringify` on
 * every item they send, so a message to a 300-member group was serialised
 * 300 times: the load tool measured that path at about 120 µs of CPU per
 * delivery (docs/event-stream.md, "The transport module"). Our transports
 * (ws.ts, sse.ts) write a stream's items themselves, in the very bytes tRPC
 * would: the hub hands the same object to every member's stream, its superjson is made once and kept
 * (`cached`), and each recipient's frame joins its ids to that text. Most
 * recipients' frames are then the same bytes too, kept as well.
 *
 * An item given here must not change afterwards: its text is kept for as
 * long as the item lives.
 */
import superjson, { type SuperJSONResult } from 'superjson';

interface Cached {
  result: SuperJSONResult;
  /** `result.json` as JSON text. */
  jsonText: string;
  /** The meta of `{ id, data: <this> }` as JSON text, or null when there is none. */
  envelopeMeta: string | null;
  /** False when superjson recorded a reference to the root: the envelope is then built the slow way. */
  envelopeSafe: boolean;
  /** `result` as JSON text (an SSE event's data), made when first asked for. */
  resultText?: string;
  /**
   * The last WebSocket frame and SSE event made of this item, as bytes. A
   * stored event has the same tracked id for every recipient, and `wsLink`
   * numbers every client's first subscription alike, so most of a fan-out's
   * frames are the same bytes: made once, written to every socket.
   */
  frame?: WsFrame & { subscriptionId: string | number; jsonrpc: unknown; trackedId: string };
  sseEvent?: { trackedId: string; bytes: Buffer };
  /** The last poll answer's item made of this item, `{"id":…,"data":…}` as bytes: the same for every recipient. */
  pageItem?: { trackedId: string; bytes: Buffer };
  /** The meta's entries as JSON text after a path prefix (a poll answer's), made when first asked for. */
  pageMeta?: PageMeta;
}

/**
 * An item's superjson meta as pieces of JSON text, each path cut after its
 * opening quote: `"<prefix>` joined to a piece is the prefixed path's JSON
 * text (superjson's paths escape dots and backslashes; JSON escapes the rest).
 */
interface PageMeta {
  /** `values`: each path's rest and its annotation as JSON text. */
  values: [path: string, annotation: string][];
  /** `referentialEqualities`: each path's rest and the rests of the paths equal to it. */
  equalities: [path: string, others: string[]][];
}

const cache = new WeakMap<object, Cached>();

function prefixKeys(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, annotation] of Object.entries(values)) out[`data.${path}`] = annotation;
  return out;
}

function cached(value: object): Cached {
  let entry = cache.get(value);
  if (entry) return entry;
  const result = superjson.serialize(value);
  const meta = result.meta;
  const equalities = meta?.referentialEqualities;
  // The array form names the root itself: rare, and left to superjson.
  const envelopeSafe = !Array.isArray(equalities);
  let envelopeMeta: string | null = null;
  if (meta && envelopeSafe) {
    // superjson's paths are dotted keys (dots in keys escaped): under the
    // envelope every path gains the `data.` prefix, keys and values alike.
    const prefixed: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(meta)) {
      if (key === 'values' && value) prefixed[key] = prefixKeys(value as Record<string, unknown>);
      else if (key === 'referentialEqualities' && value) {
        const out: Record<string, string[]> = {};
        for (const [path, others] of Object.entries(value as Record<string, string[]>)) {
          out[`data.${path}`] = others.map((o) => `data.${o}`);
        }
        prefixed[key] = out;
      } else prefixed[key] = value;
    }
    envelopeMeta = JSON.stringify(prefixed);
  }
  entry = { result, jsonText: JSON.stringify(result.json), envelopeMeta, envelopeSafe };
  cache.set(value, entry);
  return entry;
}

/** superjson's output for `{ id: trackedId, data: item }` as JSON text, from the item's kept text. */
function envelopeText(trackedId: string, item: object): string {
  const entry = cached(item);
  if (!entry.envelopeSafe) return JSON.stringify(superjson.serialize({ id: trackedId, data: item }));
  const meta = entry.envelopeMeta === null ? '' : `,"meta":${entry.envelopeMeta}`;
  return `{"json":{"id":${JSON.stringify(trackedId)},"data":${entry.jsonText}}${meta}}`;
}

/** `"path"` as JSON text without its opening quote. */
const pathRest = (path: string) => JSON.stringify(path).slice(1);

function pageMeta(entry: Cached): PageMeta {
  if (entry.pageMeta) return entry.pageMeta;
  const meta = entry.result.meta;
  const values = Object.entries((meta?.values ?? {}) as Record<string, unknown>).map(
    ([path, annotation]): [string, string] => [pathRest(path), JSON.stringify(annotation)],
  );
  const equalities = Object.entries((meta?.referentialEqualities ?? {}) as Record<string, string[]>).map(
    ([path, others]): [string, string[]] => [pathRest(path), others.map(pathRest)],
  );
  entry.pageMeta = { values, equalities };
  return entry.pageMeta;
}

/** An object superjson walks as a plain one. */
function isPlain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A plain object whose keys are exactly `keys`, in that order. */
function hasKeys(value: unknown, keys: readonly string[]): value is Record<string, unknown> {
  if (!isPlain(value)) return false;
  let n = 0;
  for (const key in value) if (key !== keys[n++]) return false;
  return n === keys.length;
}

const PAGE_KEYS = ['items', 'cursor'] as const;
const ITEM_KEYS = ['id', 'data'] as const;

/**
 * superjson's output, as JSON text, for a page of tracked items,
 * `{ items: [{ id, data }, …], cursor }` (a poll's answer), joined from each
 * item's kept text: each item serialised once, whoever receives it, as for
 * the streams. Null for any other value (serialise that as it is). An object
 * shared between two items is not recorded as one object (superjson's
 * `referentialEqualities` across items): the client reads equal copies.
 */
export function trackedPageText(page: unknown): string | null {
  return trackedPageBytes(page, '', '')?.toString('utf8') ?? null;
}

/**
 * `trackedPageText(page)` between `before` and `after`, as UTF-8 bytes: each
 * item's bytes made once (`{"id":…,"data":…}`, the same for every recipient
 * of a stored event) and copied into the answer, with no text joined and
 * encoded per answer. A busy long-polling user is answered many times a
 * second: joining text and encoding it each time was a third of what the
 * poll route allocated (docs/event-stream.md, "Written by our route").
 */
export function trackedPageBytes(page: unknown, before: string, after: string): Buffer | null {
  if (!hasKeys(page, PAGE_KEYS) || typeof page.cursor !== 'string' || !Array.isArray(page.items)) return null;
  const items = page.items as unknown[];
  const chunks: Buffer[] = [];
  let values = '';
  let equalities = '';
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!hasKeys(item, ITEM_KEYS) || typeof item.id !== 'string' || !isPlain(item.data)) return null;
    const entry = cached(item.data);
    if (!entry.envelopeSafe) return null;
    if (i > 0) chunks.push(COMMA);
    chunks.push(pageItemBytes(entry, item.id));
    if (entry.envelopeMeta === null) continue;
    const prefix = `"items.${i}.data.`;
    const meta = pageMeta(entry);
    for (const [path, annotation] of meta.values) values += `${values ? ',' : ''}${prefix}${path}:${annotation}`;
    for (const [path, others] of meta.equalities) {
      const list = others.map((other) => prefix + other).join(',');
      equalities += `${equalities ? ',' : ''}${prefix}${path}:[${list}]`;
    }
  }
  const parts: string[] = [];
  if (values) parts.push(`"values":{${values}}`);
  if (equalities) parts.push(`"referentialEqualities":{${equalities}}`);
  const meta = parts.length > 0 ? `,"meta":{${parts.join(',')},"v":1}` : '';
  const head = Buffer.from(`${before}{"json":{"items":[`);
  const tail = Buffer.from(`],"cursor":${JSON.stringify(page.cursor)}}${meta}}${after}`);
  let length = head.length + tail.length;
  for (const chunk of chunks) length += chunk.length;
  return Buffer.concat([head, ...chunks, tail], length);
}

const COMMA = Buffer.from(',');

/** `{"id":<trackedId>,"data":<the item's text>}` as bytes, kept for the item's next recipient. */
function pageItemBytes(entry: Cached, trackedId: string): Buffer {
  const last = entry.pageItem;
  if (last && last.trackedId === trackedId) return last.bytes;
  const bytes = Buffer.from(`{"id":${JSON.stringify(trackedId)},"data":${entry.jsonText}}`);
  entry.pageItem = { trackedId, bytes };
  return bytes;
}

/**
 * The frame tRPC's WebSocket adapter sends for `tracked(trackedId, item)` on
 * subscription `subscriptionId`, joined from the item's kept text.
 */
export function trackedFrame(
  subscriptionId: string | number,
  jsonrpc: unknown,
  trackedId: string,
  item: object,
): string {
  const rpc = jsonrpc === undefined ? '' : `"jsonrpc":${JSON.stringify(jsonrpc)},`;
  const data = envelopeText(trackedId, item);
  // Keys in the order tRPC builds them, so the bytes equal its JSON.stringify's.
  return `{"id":${JSON.stringify(subscriptionId)},${rpc}"result":{"type":"data","data":${data},"id":${JSON.stringify(trackedId)}}}`;
}

/** A stream item's WebSocket frame: the whole frame (header and payload), and the payload alone. */
export interface WsFrame {
  /** An unmasked, final text frame (RFC 6455 section 5.2), as `ws` writes for a server's `send`. */
  readonly frame: Buffer;
  /** The frame's payload: `trackedFrame`'s text as UTF-8 (a view into `frame`). */
  readonly payload: Buffer;
}

/**
 * `trackedFrame` as a WebSocket frame in one buffer, the same buffer again
 * for the next recipient whose frame is the same: written to each socket as
 * it is, one write each (ws.ts), with no header built per recipient.
 */
export function trackedWsFrame(
  subscriptionId: string | number,
  jsonrpc: unknown,
  trackedId: string,
  item: object,
): WsFrame {
  const entry = cached(item);
  const last = entry.frame;
  if (last && last.subscriptionId === subscriptionId && last.jsonrpc === jsonrpc && last.trackedId === trackedId) {
    return last;
  }
  const made = {
    subscriptionId,
    jsonrpc,
    trackedId,
    ...wsTextFrame(trackedFrame(subscriptionId, jsonrpc, trackedId, item)),
  };
  entry.frame = made;
  return made;
}

/** `text` as one unmasked, final WebSocket text frame. */
export function wsTextFrame(text: string): WsFrame {
  const length = Buffer.byteLength(text);
  const head = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + length);
  frame[0] = 0x81; // FIN, text
  if (length < 126) frame[1] = length;
  else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(text, head, 'utf8');
  return { frame, payload: frame.subarray(head) };
}

/**
 * The SSE event tRPC's producer (`sseStreamProducer`) writes for an item
 * yielded as `tracked(trackedId, item)`: the item's superjson as `data`, the
 * tracked id as `id`, from the item's kept text.
 */
export function sseDataEvent(trackedId: string, item: object): string {
  const entry = cached(item);
  entry.resultText ??= JSON.stringify(entry.result);
  return `data: ${entry.resultText}\nid: ${trackedId}\n\n\n`;
}

/** `sseDataEvent` as UTF-8 bytes, made once per item and tracked id. */
export function sseDataEventBytes(trackedId: string, item: object): Buffer {
  const entry = cached(item);
  const last = entry.sseEvent;
  if (last && last.trackedId === trackedId) return last.bytes;
  const bytes = Buffer.from(sseDataEvent(trackedId, item));
  entry.sseEvent = { trackedId, bytes };
  return bytes;
}
