/**
 * Serialise an event once, whoever receives it.
 *
 * tRPC's WebSocket adapter runs the router's transformer and `JSON.stringify`
 * on every item it sends, so a message to a 300-member group was serialised
 * 300 times: the load tool measured that path at about 120 µs of CPU per
 * delivery (load/REPORT.md). Here the hub marks the objects it hands to many
 * streams as shared (`share`); the transformer serialises a shared object once
 * and keeps the result; and for the `tracked(id, item)` envelope a
 * subscription yields, it returns a `SharedEnvelope`, which the server's
 * WebSocket encoder (`encodeFrame`) writes by joining the recipient's ids to
 * the cached JSON text. Anything else (SSE, HTTP, a shared object serialised
 * by a plain `JSON.stringify`) gets the same bytes superjson would give it:
 * `SharedEnvelope.toJSON()` is superjson's own output.
 *
 * A shared object must not change after `share`: its text is cached.
 */
import superjson, { type SuperJSONResult } from 'superjson';

const shared = new WeakSet<object>();

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
  frame?: { subscriptionId: string | number; jsonrpc: unknown; trackedId: string; bytes: Buffer };
  sseEvent?: { trackedId: string; bytes: Buffer };
}

const cache = new WeakMap<object, Cached>();

function prefixKeys(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, annotation] of Object.entries(values)) out[`data.${path}`] = annotation;
  return out;
}

/** Marks an object that several streams will send as it is. It must not change afterwards. */
export function share<T extends object>(value: T): T {
  shared.add(value);
  return value;
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

/** What the transformer gives for `{ id, data }` when `data` is shared. */
export class SharedEnvelope {
  constructor(
    readonly id: string,
    readonly data: object,
  ) {}

  /** superjson's own output for `{ id, data }`, for encoders that stringify. */
  toJSON(): SuperJSONResult {
    return superjson.serialize({ id: this.id, data: this.data });
  }

  /** The same as `JSON.stringify(this)`, from the cached text. */
  text(): string {
    const entry = cached(this.data);
    if (!entry.envelopeSafe) return JSON.stringify(this);
    const meta = entry.envelopeMeta === null ? '' : `,"meta":${entry.envelopeMeta}`;
    return `{"json":{"id":${JSON.stringify(this.id)},"data":${entry.jsonText}}${meta}}`;
  }
}

function isTrackedPair(value: object): value is { id: string; data: object } {
  const v = value as { id?: unknown; data?: unknown };
  return (
    typeof v.id === 'string' &&
    typeof v.data === 'object' &&
    v.data !== null &&
    shared.has(v.data) &&
    Object.keys(value).length === 2
  );
}

/** The router's transformer: superjson, with shared objects serialised once. */
export const wireTransformer = {
  serialize(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return superjson.serialize(value);
    if (shared.has(value)) return cached(value).result;
    if (isTrackedPair(value)) return new SharedEnvelope(value.id, value.data);
    return superjson.serialize(value);
  },
  deserialize(value: unknown): unknown {
    return superjson.deserialize(value as SuperJSONResult);
  },
};

/** The data frame tRPC's WebSocket adapter sends for an item of a subscription, `trackedId` its `tracked` id. */
function dataFrame(subscriptionId: unknown, jsonrpc: unknown, envelope: SharedEnvelope, trackedId: unknown): string {
  const rpc = jsonrpc === undefined ? '' : `"jsonrpc":${JSON.stringify(jsonrpc)},`;
  const id = trackedId === undefined ? '' : `,"id":${JSON.stringify(trackedId)}`;
  // Keys in the order tRPC builds them, so the bytes equal JSON.stringify's.
  return `{"id":${JSON.stringify(subscriptionId)},${rpc}"result":{"type":"data","data":${envelope.text()}${id}}}`;
}

/**
 * The frame tRPC's WebSocket adapter sends for `tracked(trackedId, item)` on
 * subscription `subscriptionId`, joined from the item's cached text. `item`
 * is shared (see `share`): it must not change afterwards.
 */
export function trackedFrame(
  subscriptionId: string | number,
  jsonrpc: unknown,
  trackedId: string,
  item: object,
): string {
  return dataFrame(subscriptionId, jsonrpc, new SharedEnvelope(trackedId, share(item)), trackedId);
}

/** `trackedFrame` as UTF-8 bytes, the same bytes again for the next recipient whose frame is the same. */
export function trackedFrameBytes(
  subscriptionId: string | number,
  jsonrpc: unknown,
  trackedId: string,
  item: object,
): Buffer {
  const entry = cached(share(item));
  const last = entry.frame;
  if (last && last.subscriptionId === subscriptionId && last.jsonrpc === jsonrpc && last.trackedId === trackedId) {
    return last.bytes;
  }
  const bytes = Buffer.from(trackedFrame(subscriptionId, jsonrpc, trackedId, item));
  entry.frame = { subscriptionId, jsonrpc, trackedId, bytes };
  return bytes;
}

/**
 * The WebSocket encoder: a subscription's data frame carrying a
 * `SharedEnvelope` is joined from cached text; every other message is
 * `JSON.stringify`d as tRPC's default encoder does.
 */
export function encodeFrame(message: unknown): string {
  if (typeof message === 'object' && message !== null && 'result' in message) {
    const frame = message as { id?: unknown; jsonrpc?: unknown; result?: unknown };
    const result = frame.result as { type?: unknown; id?: unknown; data?: unknown } | undefined;
    if (
      frame.id !== undefined &&
      result &&
      result.type === 'data' &&
      result.data instanceof SharedEnvelope &&
      Object.keys(message).every((k) => k === 'id' || k === 'jsonrpc' || k === 'result') &&
      Object.keys(result).every((k) => k === 'type' || k === 'id' || k === 'data')
    ) {
      return dataFrame(frame.id, frame.jsonrpc, result.data, result.id);
    }
  }
  return JSON.stringify(message);
}

/**
 * The SSE event tRPC's producer (`sseStreamProducer`) writes for an item
 * yielded as `tracked(trackedId, item)`: the item's superjson as `data`, the
 * tracked id as `id`, joined from cached text when the item is shared.
 */
export function sseDataEvent(trackedId: string, item: unknown): string {
  let text: string;
  if (typeof item === 'object' && item !== null && shared.has(item)) {
    const entry = cached(item);
    entry.resultText ??= JSON.stringify(entry.result);
    text = entry.resultText;
  } else text = JSON.stringify(superjson.serialize(item));
  return `data: ${text}\nid: ${trackedId}\n\n\n`;
}

/** `sseDataEvent` as UTF-8 bytes, made once per item and tracked id. */
export function sseDataEventBytes(trackedId: string, item: object): Buffer {
  const entry = cached(share(item));
  const last = entry.sseEvent;
  if (last && last.trackedId === trackedId) return last.bytes;
  const bytes = Buffer.from(sseDataEvent(trackedId, item));
  entry.sseEvent = { trackedId, bytes };
  return bytes;
}
