/**
 * The user's status (issue 27): chosen with `presence.setStatus`, kept on the
 * user's row, shown live on presence items to those who may see presence
 * (and to nobody else), turned to Away when every tab of a user says it is
 * idle, never over a chosen Do not disturb or Away (docs/presence.md, "Status").
 */
import { randomUUID } from 'node:crypto';
import { createChatClient, type EventSubscription, type Transport } from '@chat/api/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { befriend } from './people';

let t: TestServer;
let alice: Person; // watches over WebSocket
let carol: Person; // watches over SSE
let dave: Person; // watches over long-polling
let bob: Person; // whose status changes
let stranger: Person;

type Item = { type: string; [k: string]: unknown };

interface Watch {
  items: Item[];
  sub: EventSubscription;
  until(predicate: (items: Item[]) => boolean, timeoutMs?: number): Promise<void>;
}

/** Follows a person's stream through the typed client's own `events()`, optionally as a named tab. */
function watch(person: Person, tabId?: string): Watch {
  const items: Item[] = [];
  const sub = person.client.events((item) => items.push(item as Item), tabId ? { tabId } : {});
  return {
    items,
    sub,
    async until(predicate, timeoutMs = 10_000) {
      const start = Date.now();
      while (!predicate(items)) {
        if (Date.now() - start > timeoutMs)
          throw new Error(`timed out; got ${JSON.stringify(items.map((i) => i.type))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

const ready = (w: Watch) => w.until((items) => items.some((i) => i.type === 'stream.ready'));
const statusesOf = (items: Item[], userId: string) =>
  items.filter((i) => i.type === 'presence' && i.userId === userId).map((i) => i.status);
const lastStatusOf = (items: Item[], userId: string) => statusesOf(items, userId).at(-1);
const listed = async (viewer: Person, userId: string) =>
  (await viewer.client.api.presence.list.query()).find((p) => p.userId === userId);
const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));

async function person(prefix: string, transport: Transport = 'ws'): Promise<Person> {
  return makeUser(t.url, { prefix, transport });
}

beforeAll(async () => {
  t = await startTestServer({ env: { PRESENCE_OFFLINE_GRACE_SECONDS: '0', AWAY_AFTER_IDLE_SECONDS: '3' } });
  [alice, carol, dave, bob, stranger] = await Promise.all([
    person('alice'),
    person('carol', 'sse'),
    person('dave', 'poll'),
    person('bob'),
    person('stranger'),
  ]);
  for (const p of [alice, carol, dave]) await befriend(p, bob);
});
afterAll(async () => {
  for (const p of [alice, carol, dave, bob, stranger]) p?.client.close();
  await t?.stop();
});

describe('choosing a status', () => {
  it('starts Available; presence.mine names the idle time the server is configured with', async () => {
    expect(await bob.client.api.presence.mine.query()).toEqual({ status: 'available', awayAfterIdleMs: 3_000 });
  });

  it('refuses anything but available, away or dnd, and changes nothing', async () => {
    for (const status of ['busy', '', 'DND', 3, null]) {
      await expect(
        // @ts-expect-error: a bad status, as a client might send it
        bob.client.api.presence.setStatus.mutate({ status }),
      ).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' }, message: 'The status must be available, away or dnd.' });
    }
    await expect(
      // @ts-expect-error: no status
      bob.client.api.presence.setStatus.mutate({}),
    ).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
    await expect(bob.client.api.presence.setIdle.mutate({ tabId: 'tab-1', idle: true })).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
      message: 'tabId must be a UUID the client made for its tab.',
    });
    await expect(
      // @ts-expect-error: idle is a boolean
      bob.client.api.presence.setIdle.mutate({ tabId: randomUUID(), idle: 'yes' }),
    ).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
    expect((await bob.client.api.presence.mine.query()).status).toBe('available');
  });

  it('contacts see it change live over WebSocket, SSE and long-polling; a stranger sees nothing', async () => {
    const watchers = [watch(alice), watch(carol), watch(dave)];
    const nosy = watch(stranger);
    for (const w of [...watchers, nosy]) await ready(w);
    const bobStream = watch(bob, randomUUID());
    await ready(bobStream);
    for (const w of watchers) await w.until((items) => lastStatusOf(items, bob.id) === 'available');

    expect(await bob.client.api.presence.setStatus.mutate({ status: 'dnd' })).toMatchObject({ status: 'dnd' });
    for (const w of watchers) await w.until((items) => lastStatusOf(items, bob.id) === 'dnd');
    // Bob's own stream hears it too (his other tabs and devices follow).
    await bobStream.until((items) => lastStatusOf(items, bob.id) === 'dnd');
    expect(await listed(alice, bob.id)).toMatchObject({ online: true, status: 'dnd' });

    await bob.client.api.presence.setStatus.mutate({ status: 'away' });
    for (const w of watchers) await w.until((items) => lastStatusOf(items, bob.id) === 'away');
    await bob.client.api.presence.setStatus.mutate({ status: 'available' });
    for (const w of watchers) await w.until((items) => lastStatusOf(items, bob.id) === 'available');

    await settle();
    expect(nosy.items.filter((i) => i.type === 'presence' && i.userId !== stranger.id)).toEqual([]);
    expect(await listed(stranger, bob.id)).toBeUndefined();
    for (const w of [...watchers, nosy, bobStream]) w.sub.stop();
  });
});

describe('away by itself', () => {
  it('away only when every tab is idle, back on input in any; a stranger cannot idle someone else’s tab', async () => {
    const viewer = watch(alice);
    await ready(viewer);
    const [tab1, tab2] = [randomUUID(), randomUUID()];
    const one = watch(bob, tab1);
    const two = watch(bob, tab2);
    await ready(one);
    await ready(two);

    await bob.client.api.presence.setIdle.mutate({ tabId: tab1, idle: true });
    await settle();
    expect(await listed(alice, bob.id)).toMatchObject({ online: true, status: 'available' });

    // Tab ids are the user's own: the same ids from another account touch nothing of Bob's.
    await stranger.client.api.presence.setIdle.mutate({ tabId: tab2, idle: true });
    await settle();
    expect(await listed(alice, bob.id)).toMatchObject({ status: 'available' });

    await bob.client.api.presence.setIdle.mutate({ tabId: tab2, idle: true });
    await viewer.until((items) => lastStatusOf(items, bob.id) === 'away');
    expect(await listed(alice, bob.id)).toMatchObject({ online: true, status: 'away' });
    // Chosen is still Available: only the shown status changed.
    expect((await bob.client.api.presence.mine.query()).status).toBe('available');

    await bob.client.api.presence.setIdle.mutate({ tabId: tab1, idle: false });
    await viewer.until((items) => lastStatusOf(items, bob.id) === 'available');

    // Closing the one active tab leaves only idle ones: away.
    one.sub.stop();
    await viewer.until((items) => lastStatusOf(items, bob.id) === 'away');
    // A new tab (not idle) brings him back.
    const three = watch(bob, randomUUID());
    await viewer.until((items) => lastStatusOf(items, bob.id) === 'available');
    for (const w of [viewer, two, three]) w.sub.stop();
  });

  it('never over a chosen Do not disturb or Away', async () => {
    const viewer = watch(alice);
    await ready(viewer);
    const tab = randomUUID();
    const stream = watch(bob, tab);
    await ready(stream);
    await bob.client.api.presence.setStatus.mutate({ status: 'dnd' });
    await viewer.until((items) => lastStatusOf(items, bob.id) === 'dnd');
    await bob.client.api.presence.setIdle.mutate({ tabId: tab, idle: true });
    await settle();
    expect(await listed(alice, bob.id)).toMatchObject({ online: true, status: 'dnd' });
    await bob.client.api.presence.setIdle.mutate({ tabId: tab, idle: false });
    await settle();
    expect(lastStatusOf(viewer.items, bob.id)).toBe('dnd');

    await bob.client.api.presence.setStatus.mutate({ status: 'away' });
    await viewer.until((items) => lastStatusOf(items, bob.id) === 'away');
    await bob.client.api.presence.setIdle.mutate({ tabId: tab, idle: false });
    await settle();
    expect(await listed(alice, bob.id)).toMatchObject({ status: 'away' });
    await bob.client.api.presence.setStatus.mutate({ status: 'available' });
    await viewer.until((items) => lastStatusOf(items, bob.id) === 'available');
    for (const w of [viewer, stream]) w.sub.stop();
  });
});

describe('kept', () => {
  it('a chosen Do not disturb survives a restart of the server', async () => {
    const erin = await person('erin');
    await befriend(alice, erin);
    await erin.client.api.presence.setStatus.mutate({ status: 'dnd' });
    const cookies = { erin: erin.client.cookie(), alice: alice.client.cookie() };
    erin.client.close();

    const db = t.database;
    await t.server.close();
    const again = await startTestServer({ database: db, env: { PRESENCE_OFFLINE_GRACE_SECONDS: '0' } });
    try {
      const erinAgain = createChatClient({ url: again.url, cookie: cookies.erin });
      const aliceAgain = createChatClient({ url: again.url, cookie: cookies.alice });
      expect(await erinAgain.api.presence.mine.query()).toEqual({ status: 'dnd', awayAfterIdleMs: 600_000 });
      expect((await aliceAgain.api.presence.list.query()).find((p) => p.userId === erin.id)).toMatchObject({
        online: false,
        status: 'dnd',
      });
      erinAgain.close();
      aliceAgain.close();
    } finally {
      // Its database is the first server's, dropped by that one's stop (afterAll).
      await again.server.close();
    }
  });
});

describe('limits', () => {
  it('a flood of status changes and idle reports is refused (TOO_MANY_REQUESTS) and changes nothing more', async () => {
    const limited = await startTestServer({ rateLimits: { 'presence.change': { points: 3, seconds: 600 } } });
    const hal = await makeUser(limited.url, { prefix: 'hal' });
    try {
      await hal.client.api.presence.setStatus.mutate({ status: 'away' });
      await hal.client.api.presence.setIdle.mutate({ tabId: randomUUID(), idle: true });
      await hal.client.api.presence.setStatus.mutate({ status: 'dnd' });
      await expect(hal.client.api.presence.setStatus.mutate({ status: 'available' })).rejects.toMatchObject({
        data: { code: 'TOO_MANY_REQUESTS' },
        message: 'You are changing your status too fast. Wait a moment and try again.',
      });
      await expect(hal.client.api.presence.setIdle.mutate({ tabId: randomUUID(), idle: true })).rejects.toMatchObject({
        data: { code: 'TOO_MANY_REQUESTS' },
      });
      expect((await hal.client.api.presence.mine.query()).status).toBe('dnd');
    } finally {
      hal.client.close();
      await limited.stop();
    }
  });
});

describe.skipIf(process.env.TEST_DB !== 'postgres')('across server processes', () => {
  it('idle tabs on two processes combine, reports and changes cross to the process holding the stream', async () => {
    const first = await startTestServer({ env: { PRESENCE_OFFLINE_GRACE_SECONDS: '0' } });
    const second = await startTestServer({ database: first.database, env: { PRESENCE_OFFLINE_GRACE_SECONDS: '0' } });
    const people: Person[] = [];
    try {
      const fay = await makeUser(first.url, { prefix: 'fay' });
      const gus = await makeUser(first.url, { prefix: 'gus' });
      people.push(fay, gus);
      await befriend(fay, gus);
      // Gus's second device is signed in to the second process; Fay watches there too.
      const gusThere: Person = { ...gus, client: createChatClient({ url: second.url, cookie: gus.client.cookie() }) };
      const fayThere: Person = { ...fay, client: createChatClient({ url: second.url, cookie: fay.client.cookie() }) };
      people.push(gusThere, fayThere);
      const viewer = watch(fayThere);
      await ready(viewer);
      const [here, there] = [randomUUID(), randomUUID()];
      const onFirst = watch(gus, here);
      const onSecond = watch(gusThere, there);
      await ready(onFirst);
      await ready(onSecond);
      await viewer.until((items) => lastStatusOf(items, gus.id) === 'available');

      // Each report goes to the other process than the one holding its tab's stream.
      await gusThere.client.api.presence.setIdle.mutate({ tabId: here, idle: true });
      await settle();
      expect(await listed(fayThere, gus.id)).toMatchObject({ status: 'available' });
      await gus.client.api.presence.setIdle.mutate({ tabId: there, idle: true });
      await viewer.until((items) => lastStatusOf(items, gus.id) === 'away');
      expect(await listed(fay, gus.id)).toMatchObject({ online: true, status: 'away' });

      await gus.client.api.presence.setStatus.mutate({ status: 'dnd' });
      await viewer.until((items) => lastStatusOf(items, gus.id) === 'dnd');
      await gusThere.client.api.presence.setStatus.mutate({ status: 'available' });
      await viewer.until((items) => lastStatusOf(items, gus.id) === 'away');
      await gusThere.client.api.presence.setIdle.mutate({ tabId: there, idle: false });
      await viewer.until((items) => lastStatusOf(items, gus.id) === 'available');
      for (const w of [viewer, onFirst, onSecond]) w.sub.stop();
    } finally {
      for (const p of people) p.client.close();
      await second.server.close();
      await first.stop();
    }
  });
});
