import type { Deps } from '../src/deps';
import { streamEvents } from '../src/domain/events/stream';
import type { StreamItem } from '../src/domain/events/types';

export interface Recorder {
  items: StreamItem[];
  types(): string[];
  until(predicate: (items: StreamItem[]) => boolean, timeoutMs?: number): Promise<void>;
  stop(): void;
}

/** Runs one user's live stream (as the subscription does) and records what it yields. */
export async function recordStream(deps: Deps, userId: string): Promise<Recorder> {
  const controller = new AbortController();
  const items: StreamItem[] = [];
  let failure: unknown;
  const gen = streamEvents(deps, { userId, sessionRef: 'test' }, null, controller.signal);
  const first = await gen.next(); // stream.ready: the stream is registered and caught up
  if (first.done || first.value.item.type !== 'stream.ready') throw new Error('stream did not start');
  void (async () => {
    try {
      for await (const { item } of gen) items.push(item);
    } catch (error) {
      failure = error;
    }
  })();
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
    stop: () => controller.abort(),
  };
  return rec;
}

/** Lets the hub route whatever was committed, then reports. */
export async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 150));
}
