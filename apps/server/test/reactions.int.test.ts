/** Emoji reactions: set and cleared explicitly, once per person and emoji, live for every member. */
import { randomUUID } from 'node:crypto';
import { reactions } from '@chat/db';
import { eq } from 'drizzle-orm';
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

const send = (body: string) => alice.client.api.message.send.mutate({ id: randomUUID(), chatId: group, body });
const stored = async (messageId: string) =>
  (await t.server.deps.db.select().from(reactions).where(eq(reactions.messageId, messageId))).length;

describe('message.react', () => {
  it('adds and removes; counts and who show in history; the other member sees it live', async () => {
    const msg = await send('react to me');
    const watch = collectStream(alice.client);
    await watch.until((i) => i.some((x) => x.type === 'stream.ready'));
    expect(await bob.client.api.message.react.mutate({ messageId: msg.id, emoji: '👍', on: true })).toEqual([
      { emoji: '👍', userIds: [bob.id] },
    ]);
    await alice.client.api.message.react.mutate({ messageId: msg.id, emoji: '👍', on: true });
    await alice.client.api.message.react.mutate({ messageId: msg.id, emoji: '🎉', on: true });
    await watch.until((i) => i.filter((x) => x.type === 'reaction.updated').length >= 3);
    expect(watch.items.find((x) => x.type === 'reaction.updated')).toMatchObject({
      payload: { messageId: msg.id, emoji: '👍', userId: bob.id, on: true },
    });
    const [view] = (await bob.client.api.message.history.query({ chatId: group, limit: 1 })).messages;
    expect(view?.reactions).toEqual([
      { emoji: '👍', userIds: [bob.id, alice.id] },
      { emoji: '🎉', userIds: [alice.id] },
    ]);
    expect(await bob.client.api.message.react.mutate({ messageId: msg.id, emoji: '👍', on: false })).toEqual([
      { emoji: '👍', userIds: [alice.id] },
      { emoji: '🎉', userIds: [alice.id] },
    ]);
    // Clearing what is not there changes nothing and sends nothing.
    const before = watch.items.length;
    await bob.client.api.message.react.mutate({ messageId: msg.id, emoji: '👍', on: false });
    await new Promise((r) => setTimeout(r, 200));
    expect(watch.items.slice(before).filter((x) => x.type === 'reaction.updated')).toHaveLength(1); // only the removal above
    watch.unsubscribe();
  });

  it('concurrent identical reactions by one person are stored once', async () => {
    const msg = await send('race');
    await Promise.all(
      Array.from({ length: 10 }, () =>
        bob.client.api.message.react.mutate({ messageId: msg.id, emoji: '❤️', on: true }),
      ),
    );
    expect(await stored(msg.id)).toBe(1);
  });

  it('accepts real emoji (skin tones, sequences, flags, keycaps) and refuses anything else', async () => {
    const msg = await send('emoji zoo');
    for (const e of ['👍🏽', '👩‍💻', '🇫🇷', '1️⃣', '❤️']) {
      await bob.client.api.message.react.mutate({ messageId: msg.id, emoji: e, on: true });
    }
    for (const bad of ['', 'a', '👍👍', '<script>', 'x'.repeat(40)]) {
      await expect(
        bob.client.api.message.react.mutate({ messageId: msg.id, emoji: bad, on: true }),
      ).rejects.toMatchObject({
        data: { code: 'BAD_REQUEST' },
      });
    }
    expect(await stored(msg.id)).toBe(5);
  });

  it('a non-member is refused and changes nothing; a deleted message takes no reactions', async () => {
    const msg = await send('members only');
    await expect(
      stranger.client.api.message.react.mutate({ messageId: msg.id, emoji: '👍', on: true }),
    ).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
      message: 'This message does not exist, or you cannot see it.',
    });
    expect(await stored(msg.id)).toBe(0);
    await alice.client.api.message.delete.mutate({ messageId: msg.id });
    await expect(
      bob.client.api.message.react.mutate({ messageId: msg.id, emoji: '👍', on: true }),
    ).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
      message: 'This message was deleted.',
    });
  });
});
