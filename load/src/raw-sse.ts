/**
 * Follows one user's event stream over SSE, reading the response by hand:
 * one `JSON.parse` per item, the item taken from superjson's `json` part, as
 * the raw WebSocket reader does (raw-stream.ts). Over SSE the typed client's
 * reader (the `eventsource` package and tRPC's link chain) cost the tool
 * 1.10 cores at scenario 4, three times the server it measured
 * (load/README.md, "Connect").
 *
 * It speaks what `GET /trpc/events.stream` writes (tRPC's SSE framing): items
 * as `data` and `id`, and `connected`, `ping`, `serialized-error` and
 * `return` events. When the response fails or ends it comes back with the
 * last event id, after a wait that grows with each failure.
 */
import { type ClientRequest, request } from 'node:http';
import { request as requestTls } from 'node:https';
import type { StreamItem } from '../k6/lib/frames';
import { Resumer } from './resume';
import type { Follower, FollowOptions } from './stream';

/** Silence past this means a dead connection: the server pings after 15 s of quiet (its clients give up at 40). */
const IDLE_TIMEOUT_MS = 45_000;

interface Event {
  name?: string;
  data?: string;
  id?: string;
}

export function followRawSse(
  url: string,
  cookie: string | null,
  onItem: (item: StreamItem) => void,
  options: Pick<FollowOptions, 'lastEventId' | 'onError'>,
): Follower {
  let lastEventId = options.lastEventId;
  let current: ClientRequest | undefined;
  const base = url.replace(/\/$/, '');

  const drop = () => {
    current?.removeAllListeners();
    current?.on('error', () => {});
    current?.destroy();
    current = undefined;
  };
  const resumer = new Resumer(options.onError, drop, () => connect());
  const again = (kind: string, example: string) => resumer.again(kind, example);

  const dispatch = (event: Event) => {
    if (event.data === undefined) return;
    if (event.name === undefined) {
      resumer.succeeded();
      if (event.id !== undefined) lastEventId = event.id;
      onItem((JSON.parse(event.data) as { json: StreamItem }).json);
    } else if (event.name === 'serialized-error') {
      const error = JSON.parse(event.data) as { json?: { message?: string } };
      again('stream:error', error.json?.message ?? event.data);
    } else if (event.name === 'return') again('stream:ended', 'the server ended the stream');
  };

  const connect = () => {
    if (resumer.isStopped) return;
    const input = encodeURIComponent(JSON.stringify({ json: { lastEventId } }));
    const target = new URL(`${base}/trpc/events.stream?input=${input}`);
    const req = (target.protocol === 'https:' ? requestTls : request)(target, {
      headers: { accept: 'text/event-stream', ...(cookie ? { cookie } : {}) },
      timeout: IDLE_TIMEOUT_MS,
    });
    current = req;
    req.on('timeout', () => again('stream:network', 'no event or ping for 45 s'));
    req.on('error', (error) => again('stream:network', String(error)));
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        again('stream:http', `status ${res.statusCode}`);
        return;
      }
      res.setEncoding('utf8');
      let rest = '';
      let event: Event = {};
      res.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          if (line === '') {
            dispatch(event);
            event = {};
            continue;
          }
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(line[colon + 1] === ' ' ? colon + 2 : colon + 1);
          if (field === 'event') event.name = value;
          else if (field === 'data') event.data = event.data === undefined ? value : `${event.data}\n${value}`;
          else if (field === 'id') event.id = value;
        }
      });
      res.on('end', () => again('stream:network', 'the response ended'));
      res.on('error', (error) => again('stream:network', String(error)));
    });
    req.end();
  };

  connect();
  return {
    get lastEventId() {
      return lastEventId;
    },
    stop: () => resumer.stop(),
  };
}
