/**
 * The typed client's automatic choice of transport against the real server
 * (docs/event-stream.md, "Choosing a transport"): its WebSocket and SSE
 * stream are sent through gates in front of the server that refuse
 * connections, or accept them and never answer (as a proxy that buffers a
 * stream whole), and are opened later, as an administrator lifting a block
 * would. Every message must arrive once, in order, whatever the transport
 * did meanwhile.
 */
import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { type ChatClient, type EventSubscription, type StreamItem, signIn } from '@chat/api/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, PASSWORD, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { makeDirect } from './people';

type GateMode = 'refuse' | 'silent' | 'open';

interface Gate {
  port: number;
  mode: GateMode;
  close(): Promise<void>;
}

/** A TCP gate to the server: refuses (resets), swallows (never answers) or passes connections, per `mode`. */
async function openGate(target: number, mode: GateMode): Promise<Gate> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (gate.mode === 'refuse') return socket.resetAndDestroy();
    if (gate.mode === 'silent') return socket.resume();
    const upstream = connect(target, '127.0.0.1');
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
    upstream.on('close', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const gate: Gate = {
    port: typeof address === 'object' && address ? address.port : 0,
    mode,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return gate;
}

/** Deadlines shortened so the fallbacks take a few seconds, not tens. */
const TIMING = { connectMs: 1_500, firstItemMs: 1_500, probeMs: [1_000] };

let t: TestServer;
let serverPort: number;
let sender: Person;
let receiver: Person;
let chatId: string;
const gates: Gate[] = [];
const clients: ChatClient[] = [];
const subscriptions: EventSubscription[] = [];

beforeAll(async () => {
  t = await startTestServer();
  serverPort = Number(new URL(t.url).port);
  [sender, receiver] = await Promise.all([
    makeUser(t.url, { prefix: 'sender' }),
    makeUser(t.url, { prefix: 'receiver' }),
  ]);
  chatId = await makeDirect(sender, receiver);
});

afterAll(async () => {
  for (const subscription of subscriptions) subscription.stop();
  for (const client of clients) client.close();
  sender?.client.close();
  receiver?.client.close();
  await Promise.all(gates.map((gate) => gate.close()));
  await t?.stop();
});

async function gate(mode: GateMode): Promise<Gate> {
  const opened = await openGate(serverPort, mode);
  gates.push(opened);
  return opened;
}

/** The receiver signed in again, with no transport named, reaching the WebSocket and SSE through the gates. */
async function follow(ws: Gate | 'closed-port', sse: Gate | null) {
  const closedPort = await gate('open');
  await closedPort.close(); // a port nobody listens on any more: connections are refused at once
  const wsPort = ws === 'closed-port' ? closedPort.port : ws.port;
  const client = await signIn({
    url: t.url,
    username: receiver.username,
    password: PASSWORD,
    wsUrl: `ws://127.0.0.1:${wsPort}/trpc`,
    ...(sse ? { sseUrl: `http://127.0.0.1:${sse.port}/trpc` } : {}),
  });
  clients.push(client);
  const bodies: string[] = [];
  const items: StreamItem[] = [];
  const subscription = client.events(
    (item) => {
      items.push(item);
      if (item.type === 'message.created') bodies.push(item.payload.message.body ?? '');
    },
    { timing: TIMING },
  );
  subscriptions.push(subscription);
  return { client, subscription, bodies, items };
}

async function until(what: string, predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function send(body: string): Promise<void> {
  await sender.client.api.message.send.mutate({ id: randomUUID(), chatId, body });
}

describe('the typed client chooses its transport by itself', () => {
  it('uses the WebSocket when it can', async () => {
    const { subscription, bodies } = await follow(await gate('open'), null);
    await until('live', () => subscription.status().live);
    expect(subscription.status()).toEqual({ transport: 'ws', live: true, reason: 'best' });
    await send('over ws');
    await until('the message', () => bodies.includes('over ws'));
    subscription.stop();
  });

  it('ends on SSE when the WebSocket cannot connect, and gets every message once', async () => {
    const { subscription, bodies } = await follow('closed-port', null);
    await until('live', () => subscription.status().live);
    expect(subscription.status()).toEqual({ transport: 'sse', live: true, reason: 'websocket-failed' });
    const sent = ['sse 1', 'sse 2', 'sse 3'];
    for (const body of sent) await send(body);
    await until('the messages', () => bodies.length >= sent.length);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bodies).toEqual(sent);
    subscription.stop();
  });

  it('ends on long-polling when the SSE stream sends nothing either, and gets every message once', async () => {
    const { subscription, bodies } = await follow('closed-port', await gate('silent'));
    await until('live', () => subscription.status().live);
    expect(subscription.status()).toEqual({ transport: 'poll', live: true, reason: 'sse-failed' });
    const sent = Array.from({ length: 10 }, (_, i) => `poll ${i}`);
    for (const body of sent) {
      await send(body);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await until('the messages', () => bodies.length >= sent.length);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(bodies).toEqual(sent);
    expect(subscription.status().transport).toBe('poll');
    subscription.stop();
  });
});

describe.each<'sse' | 'poll'>(['sse', 'poll'])('moving back up from %s', (start) => {
  it('is back on the WebSocket once it is let through, and nothing sent meanwhile is lost or repeated', async () => {
    const wsGate = await gate('refuse');
    const sseGate = start === 'poll' ? await gate('silent') : null;
    const { subscription, bodies, items } = await follow(wsGate, sseGate);
    await until('live', () => subscription.status().live);
    expect(subscription.status().transport).toBe(start);

    // Messages keep coming while the block is lifted and the client changes transport.
    const sent: string[] = [];
    let sending = true;
    const sending$ = (async () => {
      for (let i = 0; sending; i++) {
        const body = `${start} up ${i}`;
        await send(body);
        sent.push(body);
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 500));
    wsGate.mode = 'open';
    if (sseGate) sseGate.mode = 'open';
    await until('the WebSocket', () => subscription.status().transport === 'ws' && subscription.status().live, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    sending = false;
    await sending$;
    await until('every message', () => bodies.length >= sent.length);
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(sent.length).toBeGreaterThan(10);
    expect(bodies).toEqual(sent);
    const ids = items.flatMap((item) => ('id' in item && typeof item.id === 'number' ? [item.id] : []));
    expect(new Set(ids).size).toBe(ids.length);
    expect(subscription.status()).toEqual({ transport: 'ws', live: true, reason: 'best' });
    subscription.stop();
  }, 60_000);
});
