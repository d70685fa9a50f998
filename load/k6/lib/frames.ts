/**
 * tRPC v11's WebSocket protocol, as far as our event stream needs it (no k6
 * imports here, so the Node tests check these functions against the real
 * server). Start: `{ id, method: 'subscription', params: { path, input:
 * { json: <input> }, lastEventId } }` (the input superjson-shaped). Answers:
 * `{ id, result: { type: 'started' } }`, then per tracked item `{ id, result:
 * { type: 'data', id: <event id>, data: { json: { id, data: <item> }, meta? } } }`;
 * errors as `{ id, error: { json: { message, code, data } } }`. The server
 * sends the text `PING` now and then, to be answered `PONG`.
 */
export function subscribeFrame(id: number, path: string, lastEventId: string | null): string {
  return JSON.stringify({
    id,
    method: 'subscription',
    params: { path, input: { json: { lastEventId } }, ...(lastEventId ? { lastEventId } : {}) },
  });
}

/** A tRPC mutation as a WebSocket frame (its answer carries the same id). */
export function mutationFrame(id: number, path: string, input: unknown): string {
  return JSON.stringify({ id, method: 'mutation', params: { path, input: { json: input } } });
}

/** What our event stream carries, as far as the load script reads it. */
export type StreamItem =
  | { type: 'message.created'; payload: { message: { id: string; chatId: string; seq: number; body: string | null } } }
  | { type: 'stream.ready' | 'stream.resync' }
  | { type: string; payload?: unknown };

export type Frame =
  | { kind: 'ping' }
  | { kind: 'started'; id: number }
  | { kind: 'item'; id: number; eventId: string; item: StreamItem }
  | { kind: 'error'; id: number | null; message: string }
  | { kind: 'other' };

/** A tRPC WebSocket message as parsed JSON (a subscription's item, or a call's answer). */
export interface RawMessage {
  id?: number | null;
  result?: { type: string; id?: string; data?: { json?: { id: string; data: StreamItem } } };
  error?: { json?: { message?: string; data?: { code?: string } }; message?: string };
}

export function parseFrame(text: string): Frame {
  if (text === 'PING') return { kind: 'ping' };
  return parseMessage(JSON.parse(text) as RawMessage);
}

/** `parseFrame` for a message already parsed. */
export function parseMessage(m: RawMessage): Frame {
  if (m.error) return { kind: 'error', id: m.id ?? null, message: m.error.json?.message ?? m.error.message ?? 'error' };
  if (m.result?.type === 'started') return { kind: 'started', id: m.id ?? 0 };
  const tracked = m.result?.data?.json;
  if (m.result?.type === 'data' && tracked) {
    return { kind: 'item', id: m.id ?? 0, eventId: m.result.id ?? tracked.id, item: tracked.data };
  }
  return { kind: 'other' };
}

export function isMessageCreated(
  item: StreamItem,
): item is Extract<StreamItem, { type: 'message.created'; payload: { message: unknown } }> {
  return item.type === 'message.created';
}
