/**
 * The typed client for scripts, bots, tests and the load tool, in Node.
 * Signs in with a username and password and keeps the session cookie, which
 * it sends on HTTP, on the WebSocket upgrade and on SSE requests alike.
 */
import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
  wsLink,
} from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import WebSocket from 'ws';
import type { AppRouter } from '../routers';
import { type EventSubscription, type EventsOptions, type EventTransport, subscribeEvents } from './events';
import type { StreamSetup } from './stream-attempts';

export type { EventSubscription, EventsOptions, EventTransport } from './events';
export type { StreamStatus, TransportReason } from './transport-choice';

import type { StreamItem } from '../domain/events/types';

export type { AttachmentView, MessageView } from '../domain/messages/view';

import type { AttachmentView } from '../domain/messages/view';

export type { StreamItem };

export type Transport = EventTransport;

export interface ClientOptions {
  /** The server's base URL, e.g. http://localhost:3000 */
  url: string;
  /**
   * Forces the event stream's transport (WebSocket, SSE or long-polling),
   * for troubleshooting; without it `events()` chooses by itself and moves
   * down and back up as the network allows (docs/event-stream.md, "Choosing
   * a transport"). Also how `api`'s own subscriptions travel (WebSocket
   * unless `sse`). Queries and mutations use HTTP (but see `sendOver`).
   */
  transport?: Transport;
  /** The WebSocket's URL, when not `url`'s (`ws://host/trpc`): a deployment routing it elsewhere, or a test's dead end. */
  wsUrl?: string;
  /** Where SSE streams are asked for, when not at `url` (`http://host/trpc`). */
  sseUrl?: string;
  /**
   * How `message.send` travels: over HTTP (the default), or over the client's
   * WebSocket (`ws`, with the `ws` transport only), which opens it if it is
   * not open yet. Over the socket a send costs the server about a third less
   * and the client far less, with no HTTP request per send (figures in
   * docs/bots.md); the answer, the errors and the guarantees are the same.
   */
  sendOver?: 'http' | 'ws';
  /** A session cookie value to start with (`chat_session=...`), if any. */
  cookie?: string | null;
  /** Sent as Origin on every request, as a browser would. */
  origin?: string;
  /**
   * The fetch for queries and mutations (default: the global fetch). The
   * load tool gives a leaner one; the SSE stream always uses the global fetch.
   */
  fetch?: typeof fetch;
}

export interface ChatClient {
  api: TRPCClient<AppRouter>;
  /** The current `name=value` session cookie, or null. */
  cookie(): string | null;
  /**
   * Follows the user's event stream, on the best transport that works here
   * (or the one forced by `transport`): each stored event once, in order,
   * resumed after reconnects and changes of transport. Returns a handle with
   * the id to resume from next time and the transport in use.
   */
  events(onItem: (item: StreamItem, id: string) => void, options?: EventsOptions): EventSubscription;
  /**
   * Uploads an image or any other file into a chat (`POST /api/uploads`);
   * send it by naming its id in `message.send`'s `attachmentIds`. Throws an
   * `UploadError` (status, human message) when refused: 413 past the size
   * limit, 429 past the upload rate limit, 404 not in the chat.
   */
  upload(chatId: string, data: Uint8Array, fileName?: string): Promise<AttachmentView>;
  /**
   * A file or image's bytes as a member fetches them (`GET /api/files/<id>`,
   * `/api/images/<id>`), with the response's headers; throws `UploadError`
   * when refused (404 for anyone who may not see it).
   */
  download(attachment: Pick<AttachmentView, 'id' | 'kind'>): Promise<{ data: Uint8Array; headers: Headers }>;
  /** Closes the WebSocket, if one was opened. */
  close(): void;
}

/** An upload or download the server refused: its HTTP status and its human message (and the field, if any). */
export class UploadError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

async function refusal(response: Response): Promise<UploadError> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: string; field?: string } } | null;
  return new UploadError(response.status, body?.error?.message ?? `HTTP ${response.status}`, body?.error?.field);
}

/** Keeps one session cookie, as a browser would for this origin. */
class CookieJar {
  constructor(public value: string | null) {}

  capture(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (name !== 'chat_session') continue;
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      this.value = expired ? null : `${name}=${value}`;
    }
  }
}

export function createChatClient(options: ClientOptions): ChatClient {
  const sendOverSocket = options.sendOver === 'ws';
  if (sendOverSocket && (options.transport ?? 'ws') !== 'ws') {
    throw new Error('sendOver: "ws" needs the ws transport: sends would ride on its socket.');
  }
  const base = options.url.replace(/\/$/, '');
  const jar = new CookieJar(options.cookie ?? null);
  const headers = (): Record<string, string> => ({
    ...(jar.value ? { cookie: jar.value } : {}),
    ...(options.origin ? { origin: options.origin } : {}),
  });
  const withJar =
    (inner: typeof fetch): typeof fetch =>
    async (input, init) => {
      const response = await inner(input, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), ...headers() },
      });
      jar.capture(response.headers);
      return response;
    };
  const jarFetch = withJar((input, init) => fetch(input, init));
  const callFetch = options.fetch ? withJar(options.fetch) : jarFetch;
  const sseFetch = readRefusals(jarFetch);
  const wsUrl = options.wsUrl ?? `${base.replace(/^http/, 'ws')}/trpc`;
  const sseLink = () =>
    httpSubscriptionLink<AppRouter, typeof EventSource>({
      url: options.sseUrl ?? `${base}/trpc`,
      transformer: superjson,
      EventSource,
      eventSourceOptions: () => ({ fetch: sseFetch }),
    });
  // The WebSocket class is given the cookie at each (re)connection.
  class CookieWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: headers() });
    }
  }

  let wsClient: ReturnType<typeof createWSClient> | undefined;
  const socketLink = () => {
    if (options.transport === 'sse') return sseLink();
    wsClient = createWSClient({
      url: wsUrl,
      WebSocket: CookieWebSocket as unknown as typeof globalThis.WebSocket,
      // Connect at the first subscription, after sign-in has set the cookie.
      lazy: { enabled: true, closeMs: 5_000 },
      keepAlive: { enabled: true, intervalMs: 20_000, pongTimeoutMs: 10_000 },
    });
    return wsLink<AppRouter>({ client: wsClient, transformer: superjson });
  };

  const api = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription' || (sendOverSocket && op.path === 'message.send'),
        true: socketLink(),
        false: splitLink({
          // A long poll is held by the server until there is something: never in a batch it would delay.
          condition: (op) => op.path === 'events.poll',
          true: httpLink({ url: `${base}/trpc`, transformer: superjson, fetch: callFetch }),
          // The server takes at most 50 calls per batch.
          false: httpBatchLink({ url: `${base}/trpc`, transformer: superjson, fetch: callFetch, maxItems: 50 }),
        }),
      }),
    ],
  });

  const streams: StreamSetup = {
    webSocket: { url: wsUrl, WebSocket: CookieWebSocket as unknown as typeof globalThis.WebSocket },
    sseLink,
    poll: (input, signal) => api.events.poll.query(input, { signal }),
  };

  return {
    api,
    cookie: () => jar.value,
    events: (onItem, eventOptions) => subscribeEvents(api, options.transport ?? 'auto', streams, onItem, eventOptions),
    async upload(chatId, data, fileName) {
      const query = new URLSearchParams({ chatId, ...(fileName === undefined ? {} : { name: fileName }) });
      const response = await jarFetch(`${base}/api/uploads?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: new Uint8Array(data), // a copy typed as fetch wants it (a Buffer's may be shared)
      });
      if (!response.ok) throw await refusal(response);
      return (await response.json()) as AttachmentView;
    },
    async download(attachment) {
      const path = attachment.kind === 'file' ? 'files' : 'images';
      const response = await jarFetch(`${base}/api/${path}/${encodeURIComponent(attachment.id)}`);
      if (!response.ok) throw await refusal(response);
      return { data: new Uint8Array(await response.arrayBuffer()), headers: response.headers };
    },
    close: () => wsClient?.close(),
  };
}

/**
 * The server refuses an SSE stream before it starts with a status and tRPC's
 * error body (401 without a valid session, 429 past the user's connection
 * cap); an EventSource sees only a failed connection. Handed to tRPC's SSE
 * link as the stream's own error event instead, it fails the subscription
 * with the error's code and message, as it would over WebSocket.
 */
function readRefusals(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.ok || !response.headers.get('content-type')?.startsWith('application/json')) return response;
    const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
    if (!body?.error) return new Response(null, { status: response.status });
    return new Response(`event: serialized-error\ndata: ${JSON.stringify(body.error)}\n\n`, {
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
    });
  };
}

/** Signs in and returns a client holding the new session. */
export async function signIn(options: ClientOptions & { username: string; password: string }): Promise<ChatClient> {
  const client = createChatClient(options);
  await client.api.auth.login.mutate({ username: options.username, password: options.password });
  return client;
}
