/**
 * Follows one user's event stream exactly as the server sends it, over any
 * transport. Unlike `ChatClient.events()`, it does not drop repeated event
 * ids: the load tool must see duplicates to count them. It resumes from the
 * last id after an error, as a real client does.
 */
import type { ChatClient, StreamItem, Transport } from '@chat/api/client';

export interface FollowOptions {
  lastEventId: string | null;
  pollIntervalMs: number;
  onError: (kind: string, example: string) => void;
}

export interface Follower {
  readonly lastEventId: string | null;
  stop(): void;
  /**
   * A tRPC mutation on the follower's own socket (the raw reader only), with
   * its answer's `json`; rejects with the error's code as `data.code`, or a
   * `TimeoutError`, or when the socket is not open or closes first.
   */
  mutate?(path: string, input: unknown, timeoutMs: number): Promise<unknown>;
}

const RESUBSCRIBE_MS = 500;
const POLL_PAGE = 500;

export function errorKind(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const data = (error as { data?: { code?: unknown } }).data;
    if (typeof data?.code === 'string') return data.code;
    const name = (error as { name?: unknown }).name;
    if (name === 'AbortError' || name === 'TimeoutError') return 'timeout';
  }
  return 'network';
}

export function followEvents(
  client: ChatClient,
  transport: Transport,
  onItem: (item: StreamItem) => void,
  options: FollowOptions,
): Follower {
  let lastEventId = options.lastEventId;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let unsubscribe = () => {};

  const subscribe = () => {
    if (stopped) return;
    const sub = client.api.events.stream.subscribe(
      { lastEventId },
      {
        onData: (tracked) => {
          lastEventId = tracked.id;
          onItem(tracked.data);
        },
        onError: (error) => {
          options.onError(`stream:${errorKind(error)}`, String(error));
          timer = setTimeout(subscribe, RESUBSCRIBE_MS);
        },
      },
    );
    unsubscribe = () => sub.unsubscribe();
  };

  const poll = async () => {
    if (stopped) return;
    let full = false;
    try {
      const page = await client.api.events.poll.query({ lastEventId, limit: POLL_PAGE });
      for (const { data } of page.items) onItem(data);
      lastEventId = page.cursor;
      full = page.items.length >= POLL_PAGE;
    } catch (error) {
      options.onError(`poll:${errorKind(error)}`, String(error));
    }
    if (!stopped) timer = setTimeout(poll, full ? 0 : options.pollIntervalMs);
  };

  if (transport === 'poll') void poll();
  else subscribe();
  return {
    get lastEventId() {
      return lastEventId;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
    },
  };
}
