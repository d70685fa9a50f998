/** Sending through failures and receiving across reconnects, for the tests that break the server on purpose. */
import { randomUUID } from 'node:crypto';
import type { ChatClient } from '@chat/api/client';
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
        if (data.type === 'message.created') state.ids.push(data.payload.message.id);
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
  onError: (error: unknown) => void = () => {},
): Promise<string> {
  const id = randomUUID();
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await sender.client.api.message.send.mutate({ id, chatId, body });
      return id;
    } catch (error) {
      onError(error);
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
    stored.push(...page.messages);
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
  }
  return stored.sort((a, b) => a.seq - b.seq).map((m) => m.id);
}
