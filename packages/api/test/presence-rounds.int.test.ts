/**
 * Presence is written and routed in rounds (domain/presence/service.ts): many
 * users coming online at once share a few statements and NOTIFYs of up to 150
 * ids each. What a watcher sees must not change: every one of them online,
 * then offline with a last-seen time, and the database agreeing.
 */
import { contacts, presence, serverProcesses, users } from '@chat/db';
import { openTestDatabase } from '@chat/db/testing';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EphemeralItem } from '../src/domain/events/types';
import { silentLogger } from '../src/logger';
import type { Sink } from '../src/ports';
import { EventHub } from '../src/realtime/hub';
import { PresenceService } from '../src/realtime/presence';
import { makeDeps, makeUser, makeUsers, type TestDeps, type TestUser } from './deps';

let deps: TestDeps;
let watcher: TestUser;
let people: TestUser[];
const COUNT = 320; // more than two NOTIFYs' worth

beforeAll(async () => {
  deps = await makeDeps();
  watcher = await makeUser(deps, 'watcher');
  people = await makeUsers(deps, COUNT, 'p');
  const w = watcher.id;
  await deps.db.insert(contacts).values(
    people.flatMap((p) => [
      { userId: w, contactId: p.id },
      { userId: p.id, contactId: w },
    ]),
  );
}, 120_000);
afterAll(async () => {
  await deps?.close();
});

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The people's presence rows (one per person online in this process). */
const presenceRows = () =>
  deps.db
    .select()
    .from(presence)
    .where(
      inArray(
        presence.userId,
        people.map((p) => p.id),
      ),
    );

describe('presence in rounds', () => {
  it('tells a watcher about each of hundreds of people coming online and going offline together', async () => {
    const seen = new Map<string, { online: boolean; lastSeenAt: Date | null }>();
    const sink: Sink = {
      events: () => {},
      ephemeral: (item: EphemeralItem) => {
        if (item.type === 'presence') seen.set(item.userId, { online: item.online, lastSeenAt: item.lastSeenAt });
      },
    };
    deps.hub.subscribe(watcher.id, sink);
    for (const p of people) deps.presence.connect(p.id);
    await until(() => people.every((p) => seen.get(p.id)?.online === true), 'everyone online');
    expect(await presenceRows()).toHaveLength(COUNT);

    // A second stream of the same person, opened and closed while the first is open, changes nothing.
    deps.presence.connect((people[0] as TestUser).id);
    deps.presence.disconnect((people[0] as TestUser).id);
    for (const p of people) deps.presence.disconnect(p.id);
    await until(() => people.every((p) => seen.get(p.id)?.online === false), 'everyone offline');
    for (const p of people) expect(seen.get(p.id)?.lastSeenAt).toBeInstanceOf(Date);
    expect(await presenceRows()).toHaveLength(0);
    const [one] = await deps.db
      .select()
      .from(users)
      .where(eq(users.id, (people[5] as TestUser).id));
    expect(one?.lastSeenAt).toBeInstanceOf(Date);
    deps.hub.unsubscribe(watcher.id, sink);
  }, 120_000);
});

describe('the heartbeat', () => {
  it('brings its users back, rows and news, after another process swept it as dead', async () => {
    const database = await openTestDatabase();
    const hub = new EventHub(database, silentLogger);
    await hub.start();
    const service = new PresenceService(database, hub, silentLogger, { offlineGraceMs: 0, heartbeatMs: 100 });
    await service.start();
    try {
      const [viewer, ...here] = await makeUsers(database, 41, 'beat');
      const v = (viewer as TestUser).id;
      await database.db.insert(contacts).values(
        here.flatMap((p) => [
          { userId: v, contactId: p.id },
          { userId: p.id, contactId: v },
        ]),
      );
      const seen: { userId: string; online: boolean }[] = [];
      const sink: Sink = {
        events: () => {},
        ephemeral: (item: EphemeralItem) => {
          if (item.type === 'presence') seen.push({ userId: item.userId, online: item.online });
        },
      };
      hub.subscribe(v, sink);
      const rows = () => database.db.select().from(presence).where(eq(presence.processId, service.processId));
      for (const u of here) service.connect(u.id);
      await until(async () => (await rows()).length === here.length, 'every row written');
      await until(() => here.every((u) => seen.some((s) => s.userId === u.id && s.online)), 'everyone online');
      // Swept as another process sweeps one it took for dead during a long
      // pause: the process row goes, and its presence rows with it.
      seen.length = 0;
      await database.db.delete(serverProcesses).where(eq(serverProcesses.id, service.processId));
      expect(await rows()).toHaveLength(0);
      await until(async () => (await rows()).length === here.length, 'the swept rows put back');
      expect((await rows()).map((r) => r.userId).sort()).toEqual(here.map((u) => u.id).sort());
      // Watchers hear they are online again (another process told them they had left).
      await until(() => here.every((u) => seen.some((s) => s.userId === u.id && s.online)), 'the news put back');
      expect((await service.states(here.map((u) => u.id))).every((s) => s.online)).toBe(true);
      hub.unsubscribe(v, sink);
    } finally {
      await service.stop();
      await hub.stop();
      await database.drop();
    }
  }, 60_000);
});
