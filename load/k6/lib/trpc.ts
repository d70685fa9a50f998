/**
 * Our tRPC API as k6 speaks it. HTTP: `POST /trpc/<path>` with the input as
 * superjson's `{ "json": … }` (plain JSON values need no `meta`), answered
 * with `{ "result": { "data": { "json": … } } }`. WebSocket (`/trpc`, the
 * session cookie on the upgrade): `{ id, method: 'subscription', params:
 * { path, input: { json }, lastEventId } }` starts a subscription; the server
 * answers `{ id, result: { type: 'started' } }`, then for each tracked item
 * `{ id, result: { type: 'data', id: <event id>, data: { json: { id, data: <item> } } } }`.
 * It sends the text `PING` now and then, to be answered `PONG`.
 */
import { randomBytes } from 'k6/crypto';
import http from 'k6/http';

export * from './frames';

export interface Session {
  username: string;
  userId: string;
  cookie: string;
}

export class ApiError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${path}: HTTP ${status} ${body.slice(0, 200)}`);
  }
}

/** Calls a mutation; returns its result and the session cookie the server set, if any. */
export function mutate<T>(base: string, path: string, input: unknown, cookie?: string): { data: T; cookie?: string } {
  const res = http.post(`${base}/trpc/${path}`, JSON.stringify({ json: input }), {
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    tags: { name: path },
  });
  const body = typeof res.body === 'string' ? res.body : '';
  if (res.status !== 200) throw new ApiError(path, res.status, body);
  const parsed = JSON.parse(body) as { result: { data: { json: T } } };
  const set = res.cookies.chat_session?.[0]?.value;
  return { data: parsed.result.data.json, ...(set ? { cookie: `chat_session=${set}` } : {}) };
}

/** The same mutation without blocking the VU's event loop (for sends while the socket reads). */
export async function mutateAsync<T>(base: string, path: string, input: unknown, cookie: string): Promise<T> {
  const res = await http.asyncRequest('POST', `${base}/trpc/${path}`, JSON.stringify({ json: input }), {
    headers: { 'content-type': 'application/json', cookie },
    tags: { name: path },
  });
  const body = typeof res.body === 'string' ? res.body : '';
  if (res.status !== 200) throw new ApiError(path, res.status, body);
  return (JSON.parse(body) as { result: { data: { json: T } } }).result.data.json;
}

/** A random (v4) UUID: message ids are the client's. */
export function uuid(): string {
  const b = new Uint8Array(randomBytes(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
