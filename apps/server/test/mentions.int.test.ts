/**
 * Mentions (`@username`, `@all`): the chat list counts a member's unread
 * messages that mention them, apart from the unread count, and the receipt
 * that moves their read position brings the new count to their devices.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStream, makeUser, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { makeGroup } from './people';

let t: TestServer;
let alice: Person;
let bob: Person;
let carol: Person;
let stranger: Person;
let group: string;

beforeAll(async () => {
  t = await startTestServer();
  [alice, bob, carol, stranger] = await Promise.all([
    makeUser(t.url, { prefix: 'alice' }),
    makeUser(t.url, { prefix: 'bob' }),
    makeUser(t.url, { prefix: 'carol' }),
    makeUser(t.url, { prefix: 'stranger' }),
  ]);
  group = await makeGroup(alice, [bob, carol]);
});
afterAll(async () => {
  for (const p of [alice, bob, carol, stranger]) p?.client.close();
  await t?.stop();
});

const send = async (from: Person, body: string) =>
  (await from.client.api.message.send.mutate({ id: randomUUID(), chatId: group, body })).seq;
const stateOf = async (p: Person) => (await p.client.api.chats.list.query()).find((c) => c.id === group)?.readState;

describe('mentions in the chat list', () => {
  it("counts the unread messages that mention the member or everyone, and nobody's own", async () => {
    // Sending reads the chat up to one's own message: bob's comes first.
    await send(bob, `@${bob.username} talking to myself`);
    const before = { bob: await stateOf(bob), carol: await stateOf(carol) };
    await send(alice, `Hi @${bob.username}, have a look`);
    await send(alice, `@${bob.username.toUpperCase()}: case does not matter`);
    await send(alice, `not a mention: ${bob.username}@example.com, @${bob.username}x, @${bob.username}.more`);
    await send(alice, `@all standup in five`);
    const last = await send(alice, `a mention at the end of a sentence, @${carol.username}.`);

    const bobs = await stateOf(bob);
    expect(bobs?.unreadCount).toBe((before.bob?.unreadCount ?? 0) + 5);
    // Two by name and @all; not his own, nor the lookalikes.
    expect(before.bob?.mentionCount).toBe(0);
    expect(bobs?.mentionCount).toBe(3);
    const carols = await stateOf(carol);
    expect(carols?.unreadCount).toBe((before.carol?.unreadCount ?? 0) + 5);
    // @all and the last one.
    expect(carols?.mentionCount).toBe((before.carol?.mentionCount ?? 0) + 2);
    // The sender's own list counts nothing of theirs.
    expect((await stateOf(alice))?.mentionCount).toBe(0);

    // Reading up to the end clears both, and the receipt brings the count to bob's other streams.
    const stream = collectStream(bob.client);
    await stream.until((items) => items.some((x) => x.type === 'stream.ready'));
    const read = await bob.client.api.message.markRead.mutate({ chatId: group, readSeq: last });
    expect(read).toMatchObject({ unreadCount: 0, mentionCount: 0 });
    const bobsReceipt = (x: { type: string; [k: string]: unknown }) =>
      x.type === 'receipt.updated' && (x.payload as { userId: string }).userId === bob.id;
    await stream.until((items) => items.some(bobsReceipt));
    expect(stream.items.find(bobsReceipt)?.payload).toMatchObject({ unreadCount: 0, mentionCount: 0 });
    stream.unsubscribe();
    expect(await stateOf(bob)).toMatchObject({ unreadCount: 0, mentionCount: 0 });
  });

  it('counts a mention only once a message is unread, and not after it is deleted', async () => {
    const seq = await send(carol, `ping @${alice.username}`);
    expect((await stateOf(alice))?.mentionCount).toBe(1);
    const page = await carol.client.api.message.history.query({ chatId: group, limit: 1 });
    const id = page.messages.at(-1)?.id ?? '';
    expect(page.messages.at(-1)?.seq).toBe(seq);
    await carol.client.api.message.delete.mutate({ messageId: id });
    expect((await stateOf(alice))?.mentionCount).toBe(0);
  });

  it('tells a stranger nothing of the chat', async () => {
    expect((await stranger.client.api.chats.list.query()).find((c) => c.id === group)).toBeUndefined();
  });
});
