/**
 * How this tab reaches the event stream's three transports: the same origin's
 * `/trpc` over WebSocket, SSE and long polls. The attempts themselves, and the
 * choice between them, are shared with the typed client
 * (`@chat/api/client/streams`; docs/event-stream.md, "Choosing a transport").
 */
import type { AppRouter } from '@chat/api';
import type { PollQuery, StreamSetup } from '@chat/api/client/streams';
import { httpSubscriptionLink } from '@trpc/client';
import superjson from 'superjson';

export const TRPC_PATH = '/trpc';

function webSocketUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}${TRPC_PATH}`;
}

/** The tab's setup; `poll` is `events.poll` on a link of its own (a held poll must not hold a batch). */
export function browserStreamSetup(poll: PollQuery): StreamSetup {
  return {
    webSocket: { url: webSocketUrl },
    sseLink: () => httpSubscriptionLink<AppRouter, typeof EventSource>({ url: TRPC_PATH, transformer: superjson }),
    poll,
  };
}
