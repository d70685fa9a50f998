/**
 * `message.seenBy`: who of a group's members has read a message, who has only
 * received it, and who has not yet, by name; from the read markers, for
 * members only. (Outsiders are also walked in authorization.int.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStream, makeUser, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { makeGroup } from './people';

let t: TestServer;
let owner: Person;
let reader: Person;
let receiver: Person;
let away: Person;
let stranger: Person;
let groupId: string;

beforeAll(async () => {
  t = await startTestServer();
  [owner, reader, receiver, away, stranger] = await Promise.all([
    makeUser(t.url, { prefix: 'owner' }),
    makeUser(t.url, { prefix: 'reader' }),
    makeUser(t.url, { prefix: 'receiver' }),
    makeUser(t.url, { prefix: 'away' }),
    makeUser(t.url, { prefix: 'stranger' }),
  ]);
  groupId = await makeGroup(owner, [reader, receiver, away], 'Seen');
});
afterAll(async () => {
  for (const p of [owner, reader, receiver, away, stranger]) p?.client.close();
  await t?.stop();
});

const ids = (list: { id: string }[]) => list.map((r) => r.id).sort();
const send = (p: Person, body: string) => p.client.api.message.send.mutate({ id: randomUUID(), chatId: groupId, body });

describe('message.seenBy', () => {
  it('splits the other members into read, delivered and waiting, with their names', async () => {
    const first = await send(owner, 'first');
    const second = await send(owner, 'second');
    await reader.client.api.message.markRead.mutate({ chatId: groupId, readSeq: second.seq });
    await receiver.client.api.message.markRead.mutate({
      chatId: groupId,
      deliveredSeq: second.seq,
      readSeq: first.seq,
    });

    const seen = await owner.client.api.message.seenBy.query({ messageId: second.id });
    expect(seen).toMatchObject({ messageId: second.id, chatId: groupId, seq: second.seq });
    expect(ids(seen.read)).toEqual([reader.id]);
    expect(ids(seen.delivered)).toEqual([receiver.id]);
    expect(ids(seen.waiting)).toEqual([away.id]);
    expect(seen.read[0]).toEqual({ id: reader.id, username: reader.username, displayName: reader.username });

    // The earlier message: the receiver read up to it. The sender is never listed.
    const earlier = await reader.client.api.message.seenBy.query({ messageId: first.id });
    expect(ids(earlier.read)).toEqual([reader.id, receiver.id].sort());
    expect(ids(earlier.waiting)).toEqual([away.id]);
    expect([...earlier.read, ...earlier.delivered, ...earlier.waiting].map((r) => r.id)).not.toContain(owner.id);
  });

  it("moves with the read marker, and a reader's move reaches the sender as an event", async () => {
    const message = await send(owner, 'watch me');
    const stream = collectStream(owner.client);
    await stream.until((items) => items.some((i) => i.type === 'stream.ready'));
    await away.client.api.message.markRead.mutate({ chatId: groupId, readSeq: message.seq });
    await stream.until((items) =>
      items.some((i) => i.type === 'receipt.updated' && (i.payload as { userId: string }).userId === away.id),
    );
    const seen = await owner.client.api.message.seenBy.query({ messageId: message.id });
    expect(ids(seen.read)).toContain(away.id);
    stream.unsubscribe();
  });

  it('a removed member drops out; outsiders and unknown ids get NOT_FOUND; bad input is refused', async () => {
    const message = await send(owner, 'after removal');
    await owner.client.api.groups.removeMember.mutate({ chatId: groupId, userId: away.id });
    const seen = await owner.client.api.message.seenBy.query({ messageId: message.id });
    expect(ids([...seen.read, ...seen.delivered, ...seen.waiting])).toEqual([reader.id, receiver.id].sort());

    for (const p of [stranger, away]) {
      await expect(p.client.api.message.seenBy.query({ messageId: message.id })).rejects.toMatchObject({
        data: { code: 'NOT_FOUND' },
      });
    }
    await expect(owner.client.api.message.seenBy.query({ messageId: randomUUID() })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
    await expect(owner.client.api.message.seenBy.query({ messageId: 'not-an-id' })).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
    });
  });
});
