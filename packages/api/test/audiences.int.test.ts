/**
 * The hub keeps each chat's members between events (audiences.ts) and
 * forgets them when it routes a change of them. Members who join get the
 * events after their joining, members who leave or are removed get none
 * after it, on the hub of the process that made the change and on another
 * process's hub alike.
 */
import { openDatabase } from '@chat/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMembers, createGroup, leaveGroup, removeMember } from '../src/domain/chats/groups';
import type { StreamItem } from '../src/domain/events/types';
import { sendMessage } from '../src/domain/messages/send';
import { silentLogger } from '../src/logger';
import { AudienceCache } from '../src/realtime/audiences';
import { EventHub } from '../src/realtime/hub';
import { makeContacts, makeDeps, makeUsers, type TestDeps } from './deps';
import { type Recorder, recordStream } from './events';

const onPostgres = process.env.TEST_DB === 'postgres';

let deps: TestDeps;
beforeAll(async () => {
  deps = await makeDeps();
});
afterAll(async () => {
  await deps?.close();
});

/** Messages' bodies, and lines about the group as "(added)", "(removed)"… (they follow the same audience). */
const bodies = (items: StreamItem[]) =>
  items.flatMap((i) => {
    if (i.type !== 'message.created') return [];
    const { body, system } = i.payload.message;
    return [system ? `(${system.type})` : (body ?? '')];
  });

async function send(actorId: string, chatId: string, body: string): Promise<void> {
  await sendMessage(deps, { userId: actorId }, { id: crypto.randomUUID(), chatId, body });
}

/** Waits for `body` in every stream that should have it, then checks each stream's whole list. */
async function expectBodies(streams: Map<Recorder, string[]>): Promise<void> {
  for (const [stream, want] of streams) {
    const last = want.at(-1);
    if (last) await stream.until((items) => bodies(items).includes(last));
  }
  // Time for a wrong delivery to arrive, too.
  await new Promise((r) => setTimeout(r, 200));
  for (const [stream, want] of streams) expect(bodies(stream.items)).toEqual(want);
}

describe('a chat’s members, kept between events', () => {
  it('joiners get what follows their joining; leavers and the removed get nothing after', async () => {
    const [owner, a, b, c] = await makeUsers(deps, 4, 'aud');
    if (!owner || !a || !b || !c) throw new Error('users');
    await makeContacts(deps, owner, [a, b, c]);
    const group = await createGroup(deps, owner.id, 'Kept', [a.id, b.id]);
    const [sa, sb, sc] = await Promise.all([a, b, c].map((u) => recordStream(deps, u.id)));
    if (!sa || !sb || !sc) throw new Error('streams');

    await send(owner.id, group.id, 'one'); // the group's members are now kept
    await expectBodies(
      new Map([
        [sa, ['one']],
        [sb, ['one']],
        [sc, []],
      ]),
    );
    // The line about a change goes to the members after it: the newcomer gets "added", the removed
    // and the leaver not the line about them.
    await addMembers(deps, owner.id, group.id, [c.id]);
    await send(owner.id, group.id, 'two');
    await expectBodies(
      new Map([
        [sa, ['one', '(added)', 'two']],
        [sc, ['(added)', 'two']],
      ]),
    );
    await removeMember(deps, owner.id, group.id, a.id);
    await send(owner.id, group.id, 'three');
    await expectBodies(
      new Map([
        [sb, ['one', '(added)', 'two', '(removed)', 'three']],
        [sc, ['(added)', 'two', '(removed)', 'three']],
        [sa, ['one', '(added)', 'two']],
      ]),
    );
    await leaveGroup(deps, b.id, group.id);
    await send(c.id, group.id, 'four');
    await expectBodies(
      new Map([
        [sc, ['(added)', 'two', '(removed)', 'three', '(left)', 'four']],
        [sb, ['one', '(added)', 'two', '(removed)', 'three']],
        [sa, ['one', '(added)', 'two']],
      ]),
    );
    for (const s of [sa, sb, sc]) s.stop();
  });

  it.skipIf(!onPostgres)('the same on another process’s hub, which learns of the changes from the log', async () => {
    const second = await openDatabase({ databaseUrl: deps.databaseUrl, dataDir: '' });
    const otherHub = new EventHub(second, silentLogger);
    await otherHub.start();
    const other = { ...deps, db: second.db, hub: otherHub };
    try {
      const [owner, a, c] = await makeUsers(deps, 3, 'aud2');
      if (!owner || !a || !c) throw new Error('users');
      await makeContacts(deps, owner, [a, c]);
      const group = await createGroup(deps, owner.id, 'Kept elsewhere', [a.id]);
      // Streams on the other process; every change is made on the first.
      const [sa, sc] = await Promise.all([a, c].map((u) => recordStream(other, u.id)));
      if (!sa || !sc) throw new Error('streams');
      await send(owner.id, group.id, 'one');
      await expectBodies(
        new Map([
          [sa, ['one']],
          [sc, []],
        ]),
      );
      await addMembers(deps, owner.id, group.id, [c.id]);
      await removeMember(deps, owner.id, group.id, a.id);
      await send(owner.id, group.id, 'two');
      await expectBodies(
        new Map([
          [sc, ['(added)', '(removed)', 'two']],
          [sa, ['one', '(added)']],
        ]),
      );
      sa.stop();
      sc.stop();
    } finally {
      await otherHub.stop();
      await second.close();
    }
  });

  it('keeps at most its limit of memberships, dropping the least recently used chats', async () => {
    const [owner, a, b] = await makeUsers(deps, 3, 'aud3');
    if (!owner || !a || !b) throw new Error('users');
    await makeContacts(deps, owner, [a, b]);
    const g1 = await createGroup(deps, owner.id, 'Three', [a.id, b.id]);
    const g2 = await createGroup(deps, owner.id, 'Two', [a.id]);
    const cache = new AudienceCache(4);
    const first = await cache.read(deps.db, [g1.id]);
    expect([...(first.get(g1.id) ?? [])].sort()).toEqual([owner.id, a.id, b.id].sort());
    expect(cache.size).toEqual({ chats: 1, memberships: 3 });
    await cache.read(deps.db, [g2.id]); // 3 + 2 > 4: the first group goes
    expect(cache.size).toEqual({ chats: 1, memberships: 2 });
    cache.forget(g2.id);
    expect(cache.size).toEqual({ chats: 0, memberships: 0 });
    const none = await cache.read(deps.db, [crypto.randomUUID()]);
    expect([...none.values()]).toEqual([[]]);
  });
});
