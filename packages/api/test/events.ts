import type { Deps } from '../src/deps';
import type { StreamItem } from '../src/domain/events/types';
import { LiveStream } from '../src/realtime/live-stream';

export interface Recorder {
  items: StreamItem[];
  types(): string[];
  until(predicate: (items: StreamItem[]) => boolean, timeoutMs?: number): Promise<void>;
  stop(): void;
}

/** Runs one user's live stream (as the transports do) and records what it sends. */
export async function recordStream(deps: Deps, userId: string): Promise<Recorder> {
  const items: StreamItem[] = [];
  let failure: unknown;
  let ready: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const live = new LiveStream(
    deps,
    { userId, sessionRef: 'test' },
    {
      send(_id, item) {
        // stream.ready: the stream is registered and caught up.
        if (item.type === 'stream.ready') ready();
        else items.push(item);
        return true;
      },
      ended(end) {
        if (end.error !== undefined) failure = end.error;
        ready();
      },
    },
  );
  live.start(null);
  await started;
  if (failure) throw failure;
  const rec: Recorder = {
    items,
    types: () => items.map((i) => i.type),
    async until(predicate, timeoutMs = 5_000) {
      const start = Date.now();
      while (!predicate(items)) {
        if (failure) throw failure;
        if (Date.now() - start > timeoutMs) throw new Error(`timed out; stream had ${JSON.stringify(rec.types())}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    stop: () => live.stop(),
  };
  return rec;
}

/** Lets the hub route whatever was committed, then reports. */
export async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 150));
}
