/** Test helpers: people by role, signed in through the real typed client. */
import { randomBytes } from 'node:crypto';
import { type ChatClient, createChatClient, type Transport } from '@chat/api/client';

export const PASSWORD = 'correct horse battery';

export function uniqueName(prefix = 'user'): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export interface Person {
  username: string;
  client: ChatClient;
  id: string;
}

/** Registers a fresh user (which signs them in) and returns their client. */
export async function makeUser(url: string, options: { prefix?: string; transport?: Transport } = {}): Promise<Person> {
  const username = uniqueName(options.prefix);
  const client = createChatClient({ url, transport: options.transport ?? 'ws' });
  const user = await client.api.auth.register.mutate({ username, password: PASSWORD, passwordRepeat: PASSWORD });
  return { username, client, id: user.id };
}

export interface Collected<T> {
  items: T[];
  ids: string[];
  errors: unknown[];
  stopped: boolean;
  unsubscribe(): void;
  /** Resolves once `predicate` holds over what has arrived (polls briefly). */
  until(predicate: (items: T[]) => boolean, timeoutMs?: number): Promise<void>;
}

/** Subscribes to the user's event stream and records what arrives. */
export function collectStream(
  client: ChatClient,
  lastEventId: string | null = null,
): Collected<{ type: string; [k: string]: unknown }> {
  const c: Collected<{ type: string; [k: string]: unknown }> = {
    items: [],
    ids: [],
    errors: [],
    stopped: false,
    unsubscribe: () => {},
    async until(predicate, timeoutMs = 10_000) {
      const start = Date.now();
      while (!predicate(c.items)) {
        if (c.errors.length > 0) throw c.errors[0];
        if (Date.now() - start > timeoutMs)
          throw new Error(`timed out; got ${JSON.stringify(c.items.map((i) => i.type))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
  const sub = client.api.events.stream.subscribe(
    { lastEventId },
    {
      onData: (tracked) => {
        c.ids.push(tracked.id);
        c.items.push(tracked.data as { type: string });
      },
      onError: (err) => c.errors.push(err),
      onStopped: () => {
        c.stopped = true;
      },
    },
  );
  c.unsubscribe = () => sub.unsubscribe();
  return c;
}
