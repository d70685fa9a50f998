/**
 * A commit's NOTIFY is for the other processes (hub.ts): a hub that has
 * heard no other sends none, and one that hears another starts again, so the
 * other's streams get the event at once and not at its slow safety poll.
 */
import { openDatabase } from '@chat/db';
import { openTestDatabase } from '@chat/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUserEvent } from '../src/domain/events/store';
import { silentLogger } from '../src/logger';
import type { Sink } from '../src/ports';
import { EventHub } from '../src/realtime/hub';
import { makeUser, type TestUser } from './deps';

const onPostgres = process.env.TEST_DB === 'postgres';
const SILENT_MS = 300;

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let hub: EventHub;
let user: TestUser;

beforeAll(async () => {
  database = await openTestDatabase();
  user = await makeUser(database);
  hub = new EventHub(database, silentLogger, 600_000, SILENT_MS);
  await hub.start();
});
afterAll(async () => {
  await hub?.stop();
  await database?.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function commitOne(label: string): Promise<void> {
  await database.db.transaction((tx) => insertUserEvent(tx, user.id, 'contact.removed', { userId: label }));
  hub.announce();
}

describe('NOTIFY after a commit', () => {
  it('is sent while the hub has just started listening, and not once it has heard no other hub for a while', async () => {
    expect(hub.othersListening).toBe(true);
    await commitOne('early');
    await sleep(50);
    const early = hub.notifies;
    expect(early).toBeGreaterThanOrEqual(2); // its hello, and the commit's
    await sleep(SILENT_MS + 100);
    expect(hub.othersListening).toBe(false);
    for (let i = 0; i < 5; i++) await commitOne(`alone ${i}`);
    await sleep(50);
    expect(hub.notifies).toBe(early);
  });

  it.skipIf(!onPostgres)('is sent again once another hub is there, whose streams get the event at once', async () => {
    const second = await openDatabase({ databaseUrl: database.url, dataDir: '' });
    const other = new EventHub(second, silentLogger, 600_000);
    const got: string[] = [];
    const sink: Sink = {
      events: (rows) => got.push(...rows.map((r) => (r.event.payload as { userId: string }).userId)),
      ephemeral: () => {},
    };
    try {
      await other.start();
      other.subscribe(user.id, sink);
      await sleep(100); // its hello reaches the first hub
      expect(hub.othersListening).toBe(true);
      const before = hub.notifies;
      await commitOne('seen by the other');
      const deadline = Date.now() + 2_000;
      while (!got.includes('seen by the other') && Date.now() < deadline) await sleep(10);
      expect(got).toContain('seen by the other');
      expect(hub.notifies).toBe(before + 1);
      // The counters the load tool reads (docs/capacity.md): the other hub heard that NOTIFY and read the event.
      expect(other.counters.notifiesHeard).toBeGreaterThanOrEqual(1);
      expect(other.counters.reads).toBeGreaterThanOrEqual(1);
      expect(other.counters.rowsRead).toBeGreaterThanOrEqual(1);
      expect(hub.counters.notifiesSent).toBe(hub.notifies);
    } finally {
      await other.stop();
      await second.close();
    }
  });
});
