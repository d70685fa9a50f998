/** Sending through failures and receiving across reconnects, for the tests that break the server on purpose. */
import { randomUUID } from 'node:crypto';
import type { ChatClient } from '@chat/api/client';
import { TRPCClientError } from '@trpc/client';
import type { Person } from './clients';

/** Records message ids from a raw stream subscription, resuming after its last tracked id. */
export function receive(client: ChatClient, lastEventId: string | null = null) {
  const state = {
    ids: [] as string[],
    last: lastEventId,
    ready: false,
    /** `server.database` items seen, in order. */
    database: [] as boolean[],
  };
  const sub = client.api.events.stream.subscribe(
    { lastEventId },
    {
      onData: ({ id, data }) => {
        state.last = id;
        if (data.type === 'stream.ready') state.ready = true;
        if (data.type === 'server.database') state.database.push(data.available);
        // What people wrote: not a group's lines about itself.
        if (data.type === 'message.created' && !data.payload.message.system) state.ids.push(data.payload.message.id);
      },
    },
  );
  return { state, stop: () => sub.unsubscribe() };
}

export async function until(predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Sends until acknowledged, retrying with the same id through errors (as the
 * browser's outbox does). `onError` sees each failed attempt.
 */
export async function sendWithRetry(
  sender: Person,
  chatId: string,
  body: string,
  onError: (error: unknown, attemptMs: number) => void = () => {},
): Promise<string> {
  const id = randomUUID();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const started = performance.now();
    try {
      await sender.client.api.message.send.mutate({ id, chatId, body });
      return id;
    } catch (error) {
      onError(error, performance.now() - started);
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Every message id stored in the chat, oldest first, read through the API. */
export async function storedIds(reader: Person, chatId: string): Promise<string[]> {
  const stored: { id: string; seq: number }[] = [];
  let cursor: number | undefined;
  for (;;) {
    const page = await reader.client.api.message.history.query({ chatId, cursor, limit: 100 });
    // What people wrote: not a group's lines about itself.
    stored.push(...page.messages.filter((m) => !m.system));
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
  }
  return stored.sort((a, b) => a.seq - b.seq).map((m) => m.id);
}

/** A failed call's tRPC code: 'NO_ANSWER' when it got no answer (a cut connection), 'OTHER' when it was no tRPC error. */
export function errorCode(error: unknown): string {
  return error instanceof TRPCClientError ? String(error.data?.code ?? 'NO_ANSWER') : 'OTHER';
}

/** How /healthz answered, and how long it took. */
export async function health(url: string): Promise<{ ms: number; status: number; body: unknown }> {
  const t0 = performance.now();
  const r = await fetch(`${url}/healthz`);
  return { ms: performance.now() - t0, status: r.status, body: await r.json() };
}

export interface SendLanes {
  /** Acknowledged message ids, in the order their answers came. */
  acknowledged: string[];
  /** Every failed attempt: its code (`errorCode`) and how long it took to fail. */
  failures: Array<{ code: string; ms: number }>;
  /** Settles when every lane has stopped (by `stop()` or by `enough`). */
  finished: Promise<void>;
  /** Stops the lanes after their current sends, and waits for them. */
  stop(): Promise<void>;
}

/**
 * `lanes` senders, each sending one message after another (retried with the
 * same id until acknowledged, as the browser's outbox does), `pauseMs` apart,
 * until `stop()` or until `enough(acknowledged)`: a steady load with several
 * sends in flight whenever something breaks.
 */
export function sendLanes(
  sender: Person,
  chatId: string,
  options: { lanes: number; pauseMs?: number; enough?: (acknowledged: string[]) => boolean },
): SendLanes {
  const acknowledged: string[] = [];
  const failures: SendLanes['failures'] = [];
  let sending = true;
  const going = () => sending && !options.enough?.(acknowledged);
  const lane = async (n: number) => {
    for (let i = 0; going(); i++) {
      const id = await sendWithRetry(sender, chatId, `lane ${n} #${i}`, (error, ms) =>
        failures.push({ code: errorCode(error), ms }),
      );
      acknowledged.push(id);
      if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  };
  const finished = Promise.all(Array.from({ length: options.lanes }, (_, n) => lane(n + 1))).then(() => {});
  return {
    acknowledged,
    failures,
    finished,
    async stop() {
      sending = false;
      await finished;
    },
  };
}
