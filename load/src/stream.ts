/**
 * Follows one user's event stream exactly as the server sends it, over any
 * transport. Unlike `ChatClient.events()`, it does not drop repeated event
 * ids: the load tool must see duplicates to count them. It resumes from the
 * last id after an error, as a real client does.
 */
import type { ChatClient, StreamItem, Transport } from '@chat/api/client';

export interface FollowOptions {
  lastEventId: string | null;
  /** Over `poll`: how long the server may hold each poll (long-polling); 0 polls every `pollIntervalMs`. */
  pollWaitMs: number;
  pollIntervalMs: number;
  onError: (kind: string, example: string) => void;
  /** Over `poll`: an answer brought everything waiting (a poll resumed from a cursor brings no `stream.ready`). */
  onLive?: () => void;
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

  // Long-polling as the typed client does (docs/event-stream.md, "Long-polling"): the first poll answered
  // at once, each next one held by the server and asked again as soon as it is answered.
  const abort = new AbortController();
  const poll = async (first: boolean) => {
    if (stopped) return;
    let next = options.pollIntervalMs;
    let answered = false;
    try {
      const waitMs = first ? 0 : options.pollWaitMs;
      const input = waitMs > 0 ? { lastEventId, limit: POLL_PAGE, waitMs } : { lastEventId, limit: POLL_PAGE };
      const page = await client.api.events.poll.query(input, { signal: abort.signal });
      if (stopped) return;
      for (const { data } of page.items) onItem(data);
      lastEventId = page.cursor;
      answered = true;
      const full = page.items.length >= POLL_PAGE;
      if (!full) options.onLive?.();
      if (full || options.pollWaitMs > 0) next = 0;
    } catch (error) {
      if (stopped) return;
      options.onError(`poll:${errorKind(error)}`, String(error));
    }
    timer = setTimeout(() => void poll(!answered), next);
  };

  if (transport === 'poll') void poll(true);
  else subscribe();
  return {
    get lastEventId() {
      return lastEventId;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      abort.abort();
      unsubscribe();
    },
  };
}
