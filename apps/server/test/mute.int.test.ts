/**
 * Muting a chat: the member's own setting, in their chat list and on their
 * other devices (`chat.muted`); a stranger can neither set it nor learn the
 * chat exists, and a bad input changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStream, makeUser, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { makeGroup } from './people';

let t: TestServer;
let alice: Person;
let bob: Person;
let stranger: Person;
let group: string;

beforeAll(async () => {
  t = await startTestServer();
  [alice, bob, stranger] = await Promise.all([
    makeUser(t.url, { prefix: 'alice' }),
    makeUser(t.url, { prefix: 'bob' }),
    makeUser(t.url, { prefix: 'stranger' }),
  ]);
  group = await makeGroup(alice, [bob]);
});
afterAll(async () => {
  for (const p of [alice, bob, stranger]) p?.client.close();
  await t?.stop();
});

const mutedIn = async (p: Person) => (await p.client.api.chats.list.query()).find((c) => c.id === group)?.muted;

describe('muting a chat', () => {
  it("is the member's own, shown in their list and told to their other devices once", async () => {
    expect(await mutedIn(bob)).toBe(false);
    const stream = collectStream(bob.client);
    await stream.until((items) => items.some((x) => x.type === 'stream.ready'));
    expect(await bob.client.api.chats.setMuted.mutate({ chatId: group, muted: true })).toEqual({
      chatId: group,
      muted: true,
    });
    // Again: nothing changes, nothing is told.
    await bob.client.api.chats.setMuted.mutate({ chatId: group, muted: true });
    await stream.until((items) => items.some((x) => x.type === 'chat.muted'));
    expect(await mutedIn(bob)).toBe(true);
    expect(await mutedIn(alice)).toBe(false);

    await bob.client.api.chats.setMuted.mutate({ chatId: group, muted: false });
    await stream.until((items) => items.filter((x) => x.type === 'chat.muted').length === 2);
    expect(stream.items.filter((x) => x.type === 'chat.muted').map((x) => x.payload)).toEqual([
      { chatId: group, muted: true },
      { chatId: group, muted: false },
    ]);
    stream.unsubscribe();
    expect(await mutedIn(bob)).toBe(false);
  });

  it('tells a stranger the chat is not there, and refuses a bad input, changing nothing', async () => {
    await expect(stranger.client.api.chats.setMuted.mutate({ chatId: group, muted: true })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
    await expect(
      bob.client.api.chats.setMuted.mutate({ chatId: group, muted: 'yes' as unknown as boolean }),
    ).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' }, message: expect.stringContaining('true or false') });
    await expect(bob.client.api.chats.setMuted.mutate({ chatId: 'nope', muted: true })).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
    });
    expect(await mutedIn(bob)).toBe(false);
  });
});
