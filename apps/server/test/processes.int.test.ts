/**
 * Real server processes, killed for real (DESIGN.md invariants 1, 2 and 4):
 * two processes on one database deliver to each other's clients and a
 * receiver whose process dies resumes on the other with nothing lost or
 * repeated; a server SIGKILLed in the middle of a burst of retried sends
 * loses no acknowledged message and stores none twice.
 */
import { randomUUID } from 'node:crypto';
import { type ChatClient, createChatClient } from '@chat/api/client';
import { createTestDatabase, type TestDatabase } from '@chat/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { makeUser, type Person } from './clients';
import { makeDirect } from './people';
import { type ServerProcess, spawnServer } from './process';

const onPostgres = process.env.TEST_DB === 'postgres';
const running: ServerProcess[] = [];
const databases: TestDatabase[] = [];
const clients: ChatClient[] = [];

afterAll(async () => {
  for (const c of clients) c.close();
  for (const s of running) await s.kill('SIGKILL');
  for (const d of databases) await d.drop();
});

async function start(database: TestDatabase, port?: number): Promise<ServerProcess> {
  const s = await spawnServer(database, port);
  running.push(s);
  return s;
}

/** Records message ids from a raw stream subscription, resuming after its last tracked id. */
function receive(client: ChatClient, lastEventId: string | null = null) {
  const state = { ids: [] as string[], last: lastEventId, ready: false };
  const sub = client.api.events.stream.subscribe(
    { lastEventId },
    {
      onData: ({ id, data }) => {
        state.last = id;
        if (data.type === 'stream.ready') state.ready = true;
        if (data.type === 'message.created') state.ids.push(data.payload.message.id);
      },
    },
  );
  return { state, stop: () => sub.unsubscribe() };
}

async function until(predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Sends until acknowledged, retrying with the same id through errors (as the browser's outbox does). */
async function sendWithRetry(sender: Person, chatId: string, body: string): Promise<string> {
  const id = randomUUID();
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await sender.client.api.message.send.mutate({ id, chatId, body });
      return id;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe.skipIf(!onPostgres)('two server processes on one database', () => {
  it("deliver to each other's clients; when the receiver's process dies it resumes on the other", async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const [a, b] = await Promise.all([start(database), start(database)]);
    const sender = await makeUser(a.url, { prefix: 'sender' });
    const receiver = await makeUser(b.url, { prefix: 'receiver' });
    clients.push(sender.client, receiver.client);
    const chatId = await makeDirect(sender, receiver);

    const onB = receive(receiver.client);
    await until(() => onB.state.ready, 'the stream on B');
    const sent: string[] = [];
    for (let i = 0; i < 50; i++) sent.push(await sendWithRetry(sender, chatId, `before ${i}`));
    await until(() => onB.state.ids.length === 50, 'delivery from A to a client of B');

    await b.kill('SIGKILL');
    onB.stop();
    receiver.client.close();
    for (let i = 0; i < 50; i++) sent.push(await sendWithRetry(sender, chatId, `after ${i}`));

    const moved = createChatClient({ url: a.url, cookie: receiver.client.cookie() });
    clients.push(moved);
    const onA = receive(moved, onB.state.last);
    await until(() => onA.state.ids.length >= 50, 'the rest on A');
    await new Promise((r) => setTimeout(r, 300));
    onA.stop();
    const all = [...onB.state.ids, ...onA.state.ids];
    expect(all).toEqual(sent); // every message once, in order
  }, 180_000);
});

describe('a server killed with SIGKILL in the middle of a burst', () => {
  it('stores every acknowledged message once, and the receiver ends with the full set', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    let server = await start(database);
    const sender = await makeUser(server.url, { prefix: 'sender' });
    const receiver = await makeUser(server.url, { prefix: 'receiver' });
    clients.push(sender.client, receiver.client);
    const chatId = await makeDirect(sender, receiver);
    const inbox = receive(receiver.client); // the WebSocket client reconnects by itself, with its last id
    await until(() => inbox.state.ready, 'the stream');

    // Three senders keep sending, so several sends are in flight when the process dies.
    const acknowledged: string[] = [];
    const target = 250;
    const lane = async (n: number) => {
      for (let i = 0; acknowledged.length < target; i++) {
        acknowledged.push(await sendWithRetry(sender, chatId, `lane ${n} message ${i}`));
      }
    };
    const lanes = Promise.all([lane(1), lane(2), lane(3)]);
    await until(() => acknowledged.length >= 100, 'the first hundred');
    const port = server.port;
    await server.kill('SIGKILL');
    const killedAt = acknowledged.length;
    server = await start(database, port);
    await lanes;
    expect(killedAt).toBeLessThan(target); // the kill really fell in the middle of the burst

    const stored: string[] = [];
    let cursor: number | undefined;
    for (;;) {
      const page = await sender.client.api.message.history.query({ chatId, cursor, limit: 100 });
      stored.push(...page.messages.map((m) => m.id));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(stored.length).toBe(new Set(stored).size);
    expect(new Set(stored)).toEqual(new Set(acknowledged));

    await until(() => new Set(inbox.state.ids).size >= acknowledged.length, 'the receiver to catch up', 90_000);
    inbox.stop();
    expect(inbox.state.ids.length).toBe(new Set(inbox.state.ids).size);
    expect(new Set(inbox.state.ids)).toEqual(new Set(acknowledged));
  }, 180_000);
});
