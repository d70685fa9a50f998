/**
 * The event stream across disconnects (DESIGN.md invariants 2 and 5): a
 * client away while 500 messages were sent resumes with its last id and gets
 * exactly those, in order, over WebSocket, SSE and polling. Plus removal,
 * retention (resync) and bad cursors.
 */
import { randomUUID } from 'node:crypto';
import { type EventTransport, type StreamItem, signIn } from '@chat/api/client';
import { pruneEvents } from '@chat/api/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStream, makeUser, PASSWORD, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { makeDirect, makeGroup } from './people';

let t: TestServer;
let sender: Person;
let receiver: Person;
let direct: string;
let group: string;

beforeAll(async () => {
  t = await startTestServer();
  [sender, receiver] = await Promise.all([
    makeUser(t.url, { prefix: 'sender' }),
    makeUser(t.url, { prefix: 'receiver' }),
  ]);
  direct = await makeDirect(sender, receiver);
  group = await makeGroup(sender, []);
  await sender.client.api.groups.addMembers.mutate({ chatId: group, userIds: [receiver.id] });
});
afterAll(async () => {
  sender?.client.close();
  receiver?.client.close();
  await t?.stop();
});

interface Received {
  items: StreamItem[];
  until(predicate: (items: StreamItem[]) => boolean, timeoutMs?: number): Promise<void>;
}

function follow(client: Awaited<ReturnType<typeof signIn>>, lastEventId: string | null) {
  const received: Received = {
    items: [],
    async until(predicate, timeoutMs = 30_000) {
      const start = Date.now();
      while (!predicate(received.items)) {
        if (Date.now() - start > timeoutMs) throw new Error(`timed out with ${received.items.length} items`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
  const sub = client.events((item) => received.items.push(item), { lastEventId, pollIntervalMs: 200 });
  return { received, sub };
}

const created = (items: StreamItem[]) =>
  items.flatMap((i) => (i.type === 'message.created' ? [i.payload.message] : []));

/** Sends `count` messages, alternating chats, ten at a time; returns their ids in each chat's seq order. */
async function burst(count: number): Promise<Map<string, string[]>> {
  const sent: { id: string; chatId: string; seq: number }[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = Array.from({ length: Math.min(10, count - i) }, (_, k) => {
      const chatId = (i + k) % 2 === 0 ? direct : group;
      return sender.client.api.message.send.mutate({ id: randomUUID(), chatId, body: `burst ${i + k}` });
    });
    sent.push(...(await Promise.all(batch)));
  }
  const byChat = new Map<string, string[]>();
  for (const m of sent.sort((a, b) => a.seq - b.seq)) byChat.set(m.chatId, [...(byChat.get(m.chatId) ?? []), m.id]);
  return byChat;
}

describe.each<EventTransport>(['ws', 'sse', 'poll'])('resuming over %s', (transport) => {
  it('a client away during 500 sends gets exactly those, in order, once', async () => {
    const client = await signIn({ url: t.url, username: receiver.username, password: PASSWORD, transport });
    const first = follow(client, null);
    await first.received.until((items) => items.some((i) => i.type === 'stream.ready'));
    const resumeFrom = first.sub.lastEventId;
    first.sub.stop();
    client.close();

    const sent = await burst(500);

    const again = await signIn({ url: t.url, username: receiver.username, password: PASSWORD, transport });
    const second = follow(again, resumeFrom);
    await second.received.until((items) => created(items).length >= 500);
    await new Promise((r) => setTimeout(r, 500)); // anything extra would arrive now
    second.sub.stop();
    again.close();

    const got = created(second.received.items);
    expect(got).toHaveLength(500);
    for (const [chatId, ids] of sent) {
      expect(got.filter((m) => m.chatId === chatId).map((m) => m.id)).toEqual(ids);
    }
  }, 120_000);
});

describe('membership and the stream', () => {
  it('a removed member stops receiving the chat at once', async () => {
    const owner = await makeUser(t.url, { prefix: 'owner' });
    const member = await makeUser(t.url, { prefix: 'member' });
    const chatId = await makeGroup(owner, [member]);
    const stream = collectStream(member.client);
    await stream.until((i) => i.some((x) => x.type === 'stream.ready'));
    await owner.client.api.message.send.mutate({ id: randomUUID(), chatId, body: 'before' });
    await owner.client.api.groups.removeMember.mutate({ chatId, userId: member.id });
    await owner.client.api.message.send.mutate({ id: randomUUID(), chatId, body: 'after' });
    await owner.client.api.groups.rename.mutate({ chatId, name: 'Renamed' });
    await stream.until((i) => i.some((x) => x.type === 'chat.left'));
    await new Promise((r) => setTimeout(r, 300));
    const bodies = stream.items.flatMap((i) =>
      i.type === 'message.created' ? [(i.payload as { message: { body: string } }).message.body] : [],
    );
    expect(bodies).toEqual(['before']);
    expect(stream.items.map((i) => i.type)).not.toContain('chat.renamed');
    await expect(member.client.api.message.history.query({ chatId })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
    stream.unsubscribe();
    owner.client.close();
    member.client.close();
  });
});

describe('retention', () => {
  it('a client resuming from before pruned events is told to resync, then goes on live', async () => {
    const start = await receiver.client.api.events.poll.query({});
    await sender.client.api.message.send.mutate({ id: randomUUID(), chatId: direct, body: 'will be pruned' });
    await new Promise((r) => setTimeout(r, 100));
    expect(await pruneEvents(t.server.deps.db, new Date(Date.now() + 60_000))).toBeGreaterThan(0);

    const polled = await receiver.client.api.events.poll.query({ lastEventId: start.cursor });
    expect(polled.items.map((i) => i.data.type)).toEqual(['stream.resync']);

    const stream = collectStream(receiver.client, start.cursor);
    await stream.until((i) => i.length > 0);
    expect(stream.items[0]?.type).toBe('stream.resync');
    await sender.client.api.message.send.mutate({ id: randomUUID(), chatId: direct, body: 'after the cut' });
    await stream.until((i) => i.some((x) => x.type === 'message.created'));
    stream.unsubscribe();

    // From the cursor given with the resync on, nothing is missing.
    const next = await receiver.client.api.events.poll.query({ lastEventId: polled.cursor });
    expect(next.items.map((i) => i.data.type)).toContain('message.created');
  });

  it('refuses a cursor the server never handed out', async () => {
    await expect(receiver.client.api.events.poll.query({ lastEventId: 'bogus' })).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
      message: 'That stream position is not one this server handed out.',
    });
  });
});
