/**
 * Raw transports for the security suite: a WebSocket speaking tRPC's wire
 * format, an SSE request read by hand, and a refusal reader. They show what
 * the server does itself, with no client library retrying or hiding a close.
 */
import type { ChatClient } from '@chat/api/client';
import { TRPCClientError } from '@trpc/client';
import WebSocket from 'ws';

export interface Refusal {
  code: string;
  message: string;
  field?: string;
  retryAfterSeconds?: number;
}

export async function refusal(promise: Promise<unknown>): Promise<Refusal> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    const data = error.data as { code: string; field?: string; retryAfterSeconds?: number } | undefined;
    return {
      code: data?.code ?? 'UNKNOWN',
      message: error.message,
      field: data?.field,
      retryAfterSeconds: data?.retryAfterSeconds,
    };
  }
  throw new Error('expected the call to be refused');
}

/** The first of `items` (which keeps growing) that matches, waiting up to `timeoutMs` for one. */
export async function firstMatch<T>(items: T[], predicate: (item: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = items.find(predicate);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no such message; got ${JSON.stringify(items)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Opens a raw WebSocket to /trpc and reports the upgrade's HTTP status (101 when accepted). */
export function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/trpc`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', reject);
  });
}

/** Opens a raw WebSocket to /trpc and reports a refused upgrade's status and body (101 and no body when accepted). */
export function upgradeAnswer(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/trpc`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('error', reject);
  });
}

export interface RawSocket {
  messages: {
    id?: number;
    /** `id` is the tracked event id of a stream's data frame: the cursor to resume from. */
    result?: { type: string; id?: string; data?: { json?: { data?: { type?: string } } } };
    error?: { json?: { message?: string; data?: { code?: string } } };
  }[];
  closed: Promise<{ code: number; at: number }>;
  subscribe(id: number): void;
  /** Sends a message (or a batch, as an array) as it is, as JSON. */
  send(message: unknown): void;
  /** Resolves with the first message matching. */
  next(
    predicate: (m: RawSocket['messages'][number]) => boolean,
    timeoutMs?: number,
  ): Promise<RawSocket['messages'][number]>;
  close(): void;
  /** Stops reading the socket (what arrives stays in the kernel's buffers), as a stalled client does. */
  pause(): void;
  /** Drops the connection at once. */
  terminate(): void;
}

/** A WebSocket with the given cookie, speaking tRPC's JSON-RPC by hand. */
export function openSocket(url: string, cookie: string): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/trpc`, { headers: { cookie } });
    const messages: RawSocket['messages'] = [];
    const closed = new Promise<{ code: number; at: number }>((r) => {
      ws.on('close', (code) => r({ code, at: Date.now() }));
    });
    ws.on('message', (raw) => {
      const text = raw.toString();
      if (text === 'PONG' || text === 'PING') return;
      messages.push(JSON.parse(text));
    });
    ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        messages,
        closed,
        subscribe(id) {
          ws.send(
            JSON.stringify({
              id,
              method: 'subscription',
              params: { path: 'events.stream', input: { json: { lastEventId: null } } },
            }),
          );
        },
        send: (message) => ws.send(JSON.stringify(message)),
        next: (predicate, timeoutMs = 5_000) => firstMatch(messages, predicate, timeoutMs),
        close: () => ws.close(),
        pause: () => ws.pause(),
        terminate: () => ws.terminate(),
      }),
    );
  });
}

export interface RawSse {
  status: number;
  /** Everything read so far. */
  text(): string;
  /** Resolves when the server ends the response (with the time). */
  ended: Promise<number>;
  abort(): void;
}

/** GET /trpc/events.stream as EventSource would, reading the body as it comes. */
export async function openSse(url: string, cookie: string): Promise<RawSse> {
  const controller = new AbortController();
  const input = encodeURIComponent(JSON.stringify({ json: { lastEventId: null } }));
  const response = await fetch(`${url}/trpc/events.stream?input=${input}`, {
    headers: { cookie, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  let text = '';
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  const ended = (async () => {
    if (!reader) return Date.now();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return Date.now();
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      return Date.now();
    }
  })();
  return { status: response.status, text: () => text, ended, abort: () => controller.abort() };
}

export const cookieOf = (client: ChatClient): string => client.cookie() ?? '';
