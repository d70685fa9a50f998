/**
 * Real server processes, killed for real (DESIGN.md invariants 1, 2 and 4):
 * two processes on one database deliver to each other's clients and a
 * receiver whose process dies resumes on the other with nothing lost or
 * repeated; a server SIGKILLed in the middle of a burst of retried sends
 * loses no acknowledged message and stores none twice.
 */
import { type ChatClient, createChatClient } from '@chat/api/client';
import { createTestDatabase, type TestDatabase } from '@chat/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { receive, sendLanes, sendWithRetry, storedIds, until } from './burst';
import { makeUser } from './clients';
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

// SIGKILL: nothing is finished. SIGTERM: the graceful path (main.ts) must exit
// cleanly, on its own, with the same guarantees.
describe.each(['SIGKILL', 'SIGTERM'] as const)('a server stopped with %s in the middle of a burst', (signal) => {
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
    // Far more than a graceful stop lets through: sends keep being answered while it drains.
    const target = 1000;
    const lanes = sendLanes(sender, chatId, { lanes: 3, enough: (sent) => sent.length >= target });
    const { acknowledged } = lanes;
    await until(() => acknowledged.length >= 100, 'the first hundred');
    const port = server.port;
    const stopping = Date.now();
    await server.kill(signal);
    const killedAt = acknowledged.length;
    if (signal === 'SIGTERM') {
      expect(server.child.exitCode).toBe(0); // not the 10-second deadline's exit(1)
      expect(Date.now() - stopping).toBeLessThan(10_000);
    }
    server = await start(database, port);
    await lanes.finished;
    expect(killedAt).toBeLessThan(target); // the kill really fell in the middle of the burst

    const stored = await storedIds(sender, chatId);
    expect(stored.length).toBe(new Set(stored).size);
    expect(new Set(stored)).toEqual(new Set(acknowledged));

    await until(() => new Set(inbox.state.ids).size >= acknowledged.length, 'the receiver to catch up', 90_000);
    inbox.stop();
    expect(inbox.state.ids.length).toBe(new Set(inbox.state.ids).size);
    expect(new Set(inbox.state.ids)).toEqual(new Set(acknowledged));
  }, 180_000);
});
