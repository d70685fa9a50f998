/**
 * The hub routes an event its writer handed it (`announce(written)`) without
 * reading it back, only when it is the next event the hub expects; anything
 * else is read from the log. The handed events here are made up (not in the
 * log), so a test can tell which of the two the hub did.
 */
import { openTestDatabase } from '@chat/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUserEvent, readHead, type StoredEvent } from '../src/domain/events/store';
import { silentLogger } from '../src/logger';
import type { Sink } from '../src/ports';
import { EventHub } from '../src/realtime/hub';
import { rowsOf } from '../src/sql';
import { makeUser, type TestUser } from './deps';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let hub: EventHub;
let user: TestUser;
/** What the hub routed: "id label". */
const seen: string[] = [];
const sink: Sink = {
  events: (rows) => seen.push(...rows.map((r) => `${r.position.id} ${(r.event.payload as { userId: string }).userId}`)),
  ephemeral: () => {},
};

beforeAll(async () => {
  database = await openTestDatabase();
  user = await makeUser(database);
  // The safety poll is slowed down: only `announce` makes this hub read.
  hub = new EventHub(database, silentLogger, 600_000);
  await hub.start();
  hub.subscribe(user.id, sink);
});
afterAll(async () => {
  await hub?.stop();
  await database?.drop();
});

const madeUp = (id: number): StoredEvent => ({
  position: { id },
  userId: user.id,
  event: { id, type: 'contact.removed', chatId: null, payload: { userId: 'made up' }, at: new Date() },
});

/** Waits until the hub has settled (its reads are a few round trips). */
const settle = () => new Promise((r) => setTimeout(r, 300));

async function writeReal(): Promise<number> {
  await database.db.transaction((tx) => insertUserEvent(tx, user.id, 'contact.removed', { userId: 'real' }));
  return (await readHead(database.db)).id;
}

/** Takes an id from the log's sequence that no row will have (as a rolled-back send leaves). */
async function burnId(): Promise<number> {
  const [row] = rowsOf(await database.db.execute(sql`select nextval(pg_get_serial_sequence('events', 'id')) as id`));
  return Number(row?.id);
}

describe('events handed to the hub by their writer', () => {
  it('takes the next event as handed, unread; reads the log when one may lie before it; ignores what it routed', async () => {
    const first = await writeReal();
    hub.announce();
    await settle();
    expect(seen).toEqual([`${first} real`]);

    // The next id, handed: routed as is (the log does not hold it).
    const next = await burnId();
    expect(next).toBe(first + 1);
    hub.announce(madeUp(next));
    await settle();
    expect(seen).toEqual([`${first} real`, `${next} made up`]);

    // Handed again, or an older one: already routed, nothing happens.
    hub.announce(madeUp(next));
    hub.announce(madeUp(first));
    await settle();
    expect(seen).toHaveLength(2);

    // An id is missing before the handed one (here a gap; it could be
    // another writer's event): the hub reads the log, and routes the row.
    await burnId();
    const real = await writeReal();
    expect(real).toBe(next + 2);
    hub.announce(madeUp(real));
    await settle();
    expect(seen).toEqual([`${first} real`, `${next} made up`, `${real} real`]);
  });

  it('holds runs handed over while it reads, and routes them after, unread', async () => {
    seen.length = 0;
    const a = await burnId();
    const b = await burnId();
    expect(b).toBe(a + 1);
    // A wake without events: the hub starts reading the log (there is nothing
    // new in it) once this turn is over. Handed over during that read: the
    // next two ids, then one already held.
    hub.announce();
    await new Promise((r) => setImmediate(r));
    hub.announce(madeUp(a));
    hub.announce([madeUp(b)]);
    hub.announce(madeUp(a));
    await settle();
    // Made up, so not read: held, and routed after the read, once each.
    expect(seen).toEqual([`${a} made up`, `${b} made up`]);

    // A run after a gap, then the real event that fills it: read, in order.
    const gap = await burnId();
    const after = await writeReal();
    expect(after).toBe(gap + 1);
    hub.announce(madeUp(after + 1));
    await settle();
    // The run could not follow what was routed: the log was read instead,
    // which holds the real event and not the made-up one.
    expect(seen.slice(2)).toEqual([`${after} real`]);
  });
});
