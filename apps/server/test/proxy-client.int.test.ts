/**
 * The typed client's automatic choice of transport behind a real nginx
 * (proxy.ts), with its default deadlines: behind a proxy that refuses
 * WebSocket upgrades it ends on SSE, behind one that also buffers whole
 * responses on long-polling, and either way it receives every message once,
 * in order. docs/event-stream.md, "Behind a proxy".
 */
import { randomUUID } from 'node:crypto';
import { createChatClient, type EventSubscription, type StreamStatus } from '@chat/api/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, PASSWORD, type Person, uniqueName } from './clients';
import { startTestServer, type TestServer } from './harness';
import { makeDirect } from './people';
import { type ProxyMode, startProxy, type TestProxy } from './proxy';

let server: TestServer;
const proxies: TestProxy[] = [];
const people: Person[] = [];
const subscriptions: EventSubscription[] = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const s of subscriptions) s.stop();
  for (const p of people) p.client.close();
  for (const proxy of proxies) await proxy.stop();
  await server?.stop();
});

/** Someone whose client reaches the server only through `proxy`, choosing its transport itself (no `transport`). */
async function personBehind(proxy: TestProxy): Promise<Person> {
  const username = uniqueName('proxied');
  const client = createChatClient({ url: proxy.url });
  const user = await client.api.auth.register.mutate({ username, password: PASSWORD, passwordRepeat: PASSWORD });
  const person = { username, client, id: user.id };
  people.push(person);
  return person;
}

async function until(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each([
  // The reason names the transport that did not work (how it failed is the chooser's to tell).
  { mode: 'no-websocket' as ProxyMode, transport: 'sse', reason: /^websocket-/ },
  { mode: 'buffered' as ProxyMode, transport: 'poll', reason: /^sse-/ },
])('the typed client behind a proxy in mode $mode', ({ mode, transport, reason }) => {
  it(`ends on ${transport} and receives every message once, in order`, async () => {
    const proxy = await startProxy(server.url, mode);
    proxies.push(proxy);
    const receiver = await personBehind(proxy);
    const sender = await makeUser(server.url, { prefix: 'sender' });
    people.push(sender);
    const chatId = await makeDirect(sender, receiver);

    const received: string[] = [];
    const statuses: StreamStatus[] = [];
    const subscription = receiver.client.events(
      (item) => {
        if (item.type === 'message.created') received.push(item.payload.message.id);
      },
      { onStatus: (status) => statuses.push(status) },
    );
    subscriptions.push(subscription);
    await until(
      () => subscription.status().live && subscription.status().transport === transport,
      `live on ${transport}`,
    );
    expect(subscription.status()).toMatchObject({ transport, live: true });
    expect(subscription.status().reason).toMatch(reason);
    expect(statuses.filter((s) => s.live).map((s) => s.transport)).not.toContain('ws');

    const sent: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = randomUUID();
      await sender.client.api.message.send.mutate({ id, chatId, body: `message ${i}` });
      sent.push(id);
    }
    await until(() => received.length >= sent.length, 'every message');
    // Anything repeated would come after the last one.
    await new Promise((r) => setTimeout(r, 500));
    expect(received).toEqual(sent);
    expect(subscription.status().transport).toBe(transport);
    expect(proxy.accessLog().some((line) => line.startsWith('403 GET /trpc upgrade=websocket'))).toBe(true);
  }, 60_000);
});
