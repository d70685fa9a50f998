/**
 * Presence and typing: ephemeral (never in the log), live, and only for the
 * people allowed to see them (contacts and co-members).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStream, makeUser, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { makeDirect } from './people';

let t: TestServer;
let alice: Person;
let bob: Person;
let stranger: Person;
let chat: string;

beforeAll(async () => {
  t = await startTestServer({ env: { PRESENCE_OFFLINE_GRACE_SECONDS: '1' } });
  [alice, bob, stranger] = await Promise.all([
    makeUser(t.url, { prefix: 'alice' }),
    makeUser(t.url, { prefix: 'bob' }),
    makeUser(t.url, { prefix: 'stranger' }),
  ]);
  chat = await makeDirect(alice, bob);
});
afterAll(async () => {
  for (const p of [alice, bob, stranger]) p?.client.close();
  await t?.stop();
});

type Item = { type: string; [k: string]: unknown };
const presenceOf = (items: Item[], userId: string) =>
  items.filter((i) => i.type === 'presence' && i.userId === userId).map((i) => i.online);

describe('presence', () => {
  it('contacts see each other come online and go offline, with a last-seen time; strangers see nothing', async () => {
    const watch = collectStream(alice.client);
    const nosy = collectStream(stranger.client);
    await watch.until((i) => i.some((x) => x.type === 'stream.ready'));
    await nosy.until((i) => i.some((x) => x.type === 'stream.ready'));

    const bobStream = collectStream(bob.client);
    await watch.until((i) => presenceOf(i, bob.id).includes(true));
    const listed = await alice.client.api.presence.list.query();
    expect(listed).toContainEqual(expect.objectContaining({ userId: bob.id, online: true }));
    expect(listed.map((p) => p.userId)).not.toContain(stranger.id);

    bobStream.unsubscribe();
    await watch.until((i) => presenceOf(i, bob.id).includes(false));
    const offline = watch.items.filter((i) => i.type === 'presence' && i.userId === bob.id).at(-1);
    expect(offline?.lastSeenAt).toBeInstanceOf(Date);
    expect((await alice.client.api.presence.list.query()).find((p) => p.userId === bob.id)?.online).toBe(false);

    await new Promise((r) => setTimeout(r, 200));
    expect(nosy.items.filter((i) => i.type === 'presence' && i.userId !== stranger.id)).toEqual([]);
    expect((await stranger.client.api.presence.list.query()).map((p) => p.userId)).not.toContain(bob.id);
    watch.unsubscribe();
    nosy.unsubscribe();
  });

  it('a stream that closes and comes back within the grace shows nobody offline; one that stays away does, after it', async () => {
    const watch = collectStream(alice.client);
    await watch.until((i) => i.some((x) => x.type === 'stream.ready'));
    const first = collectStream(bob.client);
    await watch.until((i) => presenceOf(i, bob.id).includes(true));
    first.unsubscribe();
    const again = collectStream(bob.client); // a reconnect, well within the second's grace
    await again.until((i) => i.some((x) => x.type === 'stream.ready'));
    await new Promise((r) => setTimeout(r, 1_500));
    expect(presenceOf(watch.items, bob.id)).toEqual([true]);
    expect((await alice.client.api.presence.list.query()).find((p) => p.userId === bob.id)?.online).toBe(true);

    again.unsubscribe();
    const closedAt = Date.now();
    await watch.until((i) => presenceOf(i, bob.id).includes(false));
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(900);
    expect(presenceOf(watch.items, bob.id)).toEqual([true, false]);
    watch.unsubscribe();
  });

  it('presence is not stored: a resumed stream does not replay it', async () => {
    const first = await alice.client.api.events.poll.query({});
    const bobStream = collectStream(bob.client);
    await bobStream.until((i) => i.some((x) => x.type === 'stream.ready'));
    bobStream.unsubscribe();
    const page = await alice.client.api.events.poll.query({ lastEventId: first.cursor });
    expect(page.items.map((i) => i.data.type)).not.toContain('presence');
  });
});

describe('typing', () => {
  it('the other member sees "typing" in the chat; the typist and strangers do not', async () => {
    const aliceStream = collectStream(alice.client);
    const bobStream = collectStream(bob.client);
    const nosy = collectStream(stranger.client);
    for (const s of [aliceStream, bobStream, nosy]) await s.until((i) => i.some((x) => x.type === 'stream.ready'));
    await bob.client.api.presence.typing.mutate({ chatId: chat });
    await aliceStream.until((i) => i.some((x) => x.type === 'typing'));
    expect(aliceStream.items.find((x) => x.type === 'typing')).toMatchObject({ chatId: chat, userId: bob.id });
    await expect(stranger.client.api.presence.typing.mutate({ chatId: chat })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
    await expect(stranger.client.api.presence.typing.mutate({ chatId: 'nope' })).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
    });
    await alice.client.api.message.send.mutate({ id: randomUUID(), chatId: chat, body: 'a stored event after' });
    await bobStream.until((i) => i.some((x) => x.type === 'message.created'));
    expect(bobStream.items.filter((x) => x.type === 'typing')).toEqual([]);
    expect(nosy.items.filter((x) => x.type === 'typing')).toEqual([]);
    for (const s of [aliceStream, bobStream, nosy]) s.unsubscribe();
  });
});
