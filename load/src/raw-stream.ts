/**
 * Follows one user's event stream over a plain WebSocket, speaking tRPC's
 * WebSocket protocol itself (the k6 script's framing, `k6/lib/frames.ts`,
 * which a test checks against the real server). It reads each frame with one
 * `JSON.parse` and takes the item from superjson's `json` part without
 * rebuilding its dates: the tool needs a message's chat, seq and body, not
 * the objects. At scenario 1 the typed client's reader (tRPC's link chain,
 * superjson, copy-anything) cost the tool most of a core, on the same two
 * cores as the server it measures (figures in load/README.md, "Connect").
 *
 * Like the typed reader in `stream.ts`, it keeps every repeated event (the
 * tool counts duplicates) and, when the socket closes or the server sends an
 * error, comes back with a new socket and the last event id, after a wait
 * that grows with each failure (a storm's clients must not all return at once).
 */
import WebSocket from 'ws';
import { parseMessage, type RawMessage, type StreamItem, subscribeFrame } from '../k6/lib/frames';
import { Calls } from './calls';
import { Resumer } from './resume';
import type { Follower, FollowOptions } from './stream';

const SUBSCRIPTION_ID = 1;
/**
 * A connect that has not become a WebSocket by then is given up and tried
 * again. Without it, a SYN dropped by a full accept queue during a storm
 * waits out the kernel's retransmits (up to two minutes).
 */
const HANDSHAKE_TIMEOUT_MS = 30_000;

export function followRaw(
  url: string,
  cookie: string | null,
  onItem: (item: StreamItem) => void,
  options: Pick<FollowOptions, 'lastEventId' | 'onError'>,
): Follower {
  let lastEventId = options.lastEventId;
  let socket: WebSocket | undefined;
  /** Mutations sent on this socket (`mutate`), after the subscription's id. */
  const calls = new Calls(SUBSCRIPTION_ID + 1);
  const wsUrl = `${url.replace(/\/$/, '').replace(/^http/, 'ws')}/trpc`;

  /** Drops the socket without hearing from it again. */
  const drop = () => {
    calls.failAll('the socket closed before the answer');
    socket?.removeAllListeners();
    socket?.on('error', () => {});
    socket?.terminate();
    socket = undefined;
  };

  const resumer = new Resumer(options.onError, drop, () => connect());
  const again = (kind: string, example: string) => resumer.again(kind, example);

  const connect = () => {
    if (resumer.isStopped) return;
    const ws = new WebSocket(wsUrl, {
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      ...(cookie ? { headers: { cookie } } : {}),
    });
    socket = ws;
    ws.on('open', () => ws.send(subscribeFrame(SUBSCRIPTION_ID, 'events.stream', lastEventId)));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const text = data.toString();
      if (text === 'PING') {
        ws.send('PONG');
        return;
      }
      const message = JSON.parse(text) as RawMessage;
      if (calls.settle(message)) return;
      // A call's answer that came after its timeout is no longer pending: not the stream's either.
      if (typeof message.id === 'number' && message.id !== SUBSCRIPTION_ID) return;
      const frame = parseMessage(message);
      if (frame.kind === 'item') {
        resumer.succeeded();
        lastEventId = frame.eventId;
        onItem(frame.item);
      } else if (frame.kind === 'error') again('stream:error', frame.message);
    });
    ws.on('error', (error) => again('stream:network', String(error)));
    ws.on('close', (code) => again('stream:network', `socket closed (${code})`));
  };

  connect();
  return {
    get lastEventId() {
      return lastEventId;
    },
    stop: () => resumer.stop(),
    mutate: (path, input, timeoutMs) => calls.mutate(socket, path, input, timeoutMs),
  };
}
