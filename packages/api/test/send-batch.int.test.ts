/**
 * Group commit of sends (messages/send.ts, batcher.ts): sends that arrive while
 * another is being stored go together in one statement, and each is still
 * judged, numbered and answered as if it had gone alone. Which messages
 * shared a commit is read from their rows' `xmin` (the writing transaction).
 */
import { randomUUID } from 'node:crypto';
import { chats, events, messages, rateLimits, sessions } from '@chat/db';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../src/deps';
import { openDirectChat } from '../src/domain/chats/direct';
import { createGroup } from '../src/domain/chats/groups';
import { removeContact } from '../src/domain/contacts/contacts';
import { createRateLimits } from '../src/domain/limits/limiter';
import { resolveRateLimits } from '../src/domain/limits/rules';
import { NOT_CONTACTS, sendMessage } from '../src/domain/messages/send';
import type { MessageView } from '../src/domain/messages/view';
import { DomainError } from '../src/errors';
import { rowsOf } from '../src/sql';
import { makeContacts, makeDeps, makeUsers, type TestDeps, type TestUser } from './deps';

const onPostgres = process.env.TEST_DB === 'postgres';
let deps: TestDeps;
let owner: TestUser;
let members: TestUser[];

beforeAll(async () => {
  deps = await makeDeps();
  [owner, ...members] = (await makeUsers(deps, 6, 'batch')) as [TestUser, ...TestUser[]];
  await makeContacts(deps, owner, members);
});
afterAll(async () => {
  await deps?.close();
});

const send = (as: TestUser, chatId: string, body: string, id: string = randomUUID(), d: Deps = deps) =>
  sendMessage(d, { userId: as.id }, { id, chatId, body });

/** The transaction that wrote each message: equal for messages stored by one statement. */
async function writers(ids: string[]): Promise<Map<string, string>> {
  const rows = rowsOf(
    await deps.db.execute(
      sql`select id, xmin::text as tx from ${messages} where id = any(${`{${ids.join(',')}}`}::uuid[])`,
    ),
  );
  return new Map(rows.map((r) => [String(r.id), String(r.tx)]));
}

/** What people wrote in the chat (a group's first seq is its "created" line: chats/system-lines.ts). */
async function storedInChat(chatId: string) {
  return deps.db
    .select({ id: messages.id, seq: messages.seq, body: messages.body })
    .from(messages)
    .where(and(eq(messages.chatId, chatId), isNull(messages.system)))
    .orderBy(asc(messages.seq));
}

const kindOf = (error: unknown) => (error instanceof DomainError ? error.kind : String(error));

describe('sends that arrive together', () => {
  it('share commits, and each chat numbers them in the order they arrived, with one event each', async () => {
    const group = await createGroup(
      deps,
      owner.id,
      'batch',
      members.map((m) => m.id),
    );
    const direct = await openDirectChat(deps, owner.id, (members[0] as TestUser).username);
    // Text that JSON and SQL must carry exactly.
    const odd = ['NULL', 'quote " and \\ backslash', "it's {a,b}", '𝄞 emoji 👍🏽 and ümlaut', ' padded '];
    const planned = Array.from({ length: 60 }, (_, i) => {
      const sender = i % 3 === 0 ? owner : (members[i % members.length] as TestUser);
      const toDirect = i % 4 === 0;
      return {
        sender: toDirect ? (i % 8 === 0 ? owner : (members[0] as TestUser)) : sender,
        chatId: toDirect ? direct.id : group.id,
        body: `${i}: ${odd[i % odd.length]}`,
        id: randomUUID(),
      };
    });
    const sent = await Promise.all(planned.map((p) => send(p.sender, p.chatId, p.body, p.id)));

    sent.forEach((view, i) => {
      expect(view.id).toBe(planned[i]?.id);
      expect(view.body).toBe(planned[i]?.body);
      expect(view.senderId).toBe(planned[i]?.sender.id);
    });
    for (const chatId of [group.id, direct.id]) {
      const mine = planned.filter((p) => p.chatId === chatId);
      const stored = await storedInChat(chatId);
      // Numbered 1, 2, 3… with no gap (after the group's "created" line), in arrival order, as each sender was told.
      const lines = chatId === group.id ? 1 : 0;
      expect(stored.map((m) => m.id)).toEqual(mine.map((p) => p.id));
      expect(stored.map((m) => m.seq)).toEqual(mine.map((_, i) => i + 1 + lines));
      expect(stored.map((m) => m.body)).toEqual(mine.map((p) => p.body));
      const byId = new Map(sent.map((v) => [v.id, v]));
      expect(stored.map((m) => byId.get(m.id)?.seq)).toEqual(stored.map((m) => m.seq));
      const [chat] = await deps.db.select({ lastSeq: chats.lastSeq }).from(chats).where(eq(chats.id, chatId));
      expect(chat?.lastSeq).toBe(mine.length + lines);
    }
    // One event per message, in each chat's seq order.
    const logged = await deps.db
      .select({ id: events.id, messageId: events.messageId, chatId: events.chatId })
      .from(events)
      .where(
        inArray(
          events.messageId,
          planned.map((p) => p.id),
        ),
      )
      .orderBy(asc(events.id));
    expect(logged).toHaveLength(planned.length);
    for (const chatId of [group.id, direct.id]) {
      expect(logged.filter((e) => e.chatId === chatId).map((e) => e.messageId)).toEqual(
        planned.filter((p) => p.chatId === chatId).map((p) => p.id),
      );
    }
    // And they did share commits: far fewer transactions than messages.
    const txs = new Set((await writers(planned.map((p) => p.id))).values());
    expect(txs.size).toBeLessThan(planned.length / 4);
  });

  it('judges each send of a batch on its own: strangers, former contacts, taken ids and limits', async () => {
    // New people: their send limits are counted from nothing.
    const [owner, a, b, c, stranger] = (await makeUsers(deps, 5, 'judged')) as [
      TestUser,
      TestUser,
      TestUser,
      TestUser,
      TestUser,
    ];
    await makeContacts(deps, owner, [a, b, c]);
    // Everyone may send 6 messages in this window (its own limiter: its own queue too).
    const strict: Deps = {
      ...deps,
      limits: createRateLimits(deps.db, resolveRateLimits({ 'message.send': { points: 6, seconds: 60 } })),
    };
    const group = await createGroup(strict, owner.id, 'judged', [a.id, b.id]);
    const withC = await openDirectChat(strict, owner.id, c.username);
    await send(owner, withC.id, 'before the removal', undefined, strict);
    await removeContact(strict, owner.id, c.id);
    const taken = await send(a, group.id, 'first use of an id', undefined, strict);
    // `b` has 3 of its 6 left.
    for (let i = 0; i < 3; i++) await strict.limits.consume('message.send', b.id);

    const attempts = [
      send(owner, group.id, 'owner 1', undefined, strict),
      send(owner, group.id, 'owner 2', undefined, strict),
      send(stranger, group.id, 'let me in', undefined, strict),
      send(b, group.id, 'b 1', undefined, strict),
      send(owner, withC.id, 'after the removal', undefined, strict),
      send(b, group.id, 'b 2', undefined, strict),
      send(a, group.id, 'another text, same id', taken.id, strict),
      send(a, group.id, 'first use of an id', taken.id, strict),
      send(b, group.id, 'b 3', undefined, strict),
      send(b, group.id, 'b 4: over the limit', undefined, strict),
      send(owner, group.id, 'owner 3', undefined, strict),
      send(b, group.id, 'b 5: over the limit', undefined, strict),
    ];
    const outcomes = await Promise.allSettled(attempts);
    const summary = outcomes.map((o) => (o.status === 'fulfilled' ? (o.value as MessageView).body : kindOf(o.reason)));
    expect(summary).toEqual([
      'owner 1',
      'owner 2',
      'not_found',
      'b 1',
      'forbidden',
      'b 2',
      'conflict',
      'first use of an id',
      'b 3',
      'rate_limited',
      'owner 3',
      'rate_limited',
    ]);
    const forbidden = outcomes[4];
    expect(forbidden?.status === 'rejected' && (forbidden.reason as Error).message).toBe(NOT_CONTACTS);
    // The repeat answered with the stored message, unchanged.
    const repeat = outcomes[7];
    expect(repeat?.status === 'fulfilled' && repeat.value.seq).toBe(taken.seq);

    const stored = await storedInChat(group.id);
    expect(stored.map((m) => m.body)).toEqual([
      'first use of an id',
      'owner 1',
      'owner 2',
      'b 1',
      'b 2',
      'b 3',
      'owner 3',
    ]);
    expect(stored.map((m) => m.seq)).toEqual([2, 3, 4, 5, 6, 7, 8]); // 1: the "created" line
    expect((await storedInChat(withC.id)).map((m) => m.body)).toEqual(['before the removal']);
    // The refused sends went in a statement with accepted ones.
    const ids = stored.slice(2).map((m) => m.id);
    expect(new Set((await writers(ids)).values()).size).toBeLessThan(ids.length);
  });
});

describe('sends by a session the caller did not look up (meta.checksSession)', () => {
  it('store nothing and count nothing once it has ended, alone or in a batch; the other sends are kept', async () => {
    const [owner, a, b] = (await makeUsers(deps, 3, 'unchecked')) as [TestUser, TestUser, TestUser];
    await makeContacts(deps, owner, [a, b]);
    const group = await createGroup(deps, owner.id, 'unchecked', [a.id, b.id]);
    const sessionOf = async (u: TestUser) =>
      (await deps.sessions.create(u.id, { userAgent: 'test', ipAddress: '127.0.0.1' })).session.id;
    const [ownerSession, aSession, bSession] = (await Promise.all([owner, a, b].map(sessionOf))) as [
      string,
      string,
      string,
    ];
    const sendAs = (as: TestUser, body: string, session: string | undefined) =>
      sendMessage(deps, { userId: as.id, uncheckedSessionId: session }, { id: randomUUID(), chatId: group.id, body });
    const pointsOf = async (u: TestUser) => {
      const key = deps.limits.limitKey('message.send', u.id);
      const [row] = await deps.db.select().from(rateLimits).where(eq(rateLimits.key, key));
      return row?.points ?? 0;
    };

    await sendAs(a, 'a, signed in', aSession);
    // Ended as another process would end it: nothing in this process knows.
    await deps.db.delete(sessions).where(eq(sessions.id, aSession));
    await expect(sendAs(a, 'a, alone, after', aSession)).rejects.toMatchObject({
      kind: 'unauthorized',
      message: 'Please sign in.',
    });
    // Another session's id does not stand in for the sender's.
    await expect(sendAs(a, "a, with b's session", bSession)).rejects.toMatchObject({ kind: 'unauthorized' });

    const attempts = [
      sendAs(owner, 'owner', ownerSession),
      sendAs(a, 'a 1, after', aSession),
      sendAs(b, 'b 1', bSession),
      sendAs(a, 'a 2, after', aSession),
      sendAs(b, 'b 2, checked by the caller', undefined),
    ];
    const outcomes = await Promise.allSettled(attempts);
    const summary = outcomes.map((o) => (o.status === 'fulfilled' ? (o.value as MessageView).body : kindOf(o.reason)));
    expect(summary).toEqual(['owner', 'unauthorized', 'b 1', 'unauthorized', 'b 2, checked by the caller']);

    const stored = await storedInChat(group.id);
    expect(stored.map((m) => m.body)).toEqual(['a, signed in', 'owner', 'b 1', 'b 2, checked by the caller']);
    expect(stored.map((m) => m.seq)).toEqual([2, 3, 4, 5]); // 1: the "created" line
    // a's sends after the end were not counted; b's two were.
    expect(await pointsOf(a)).toBe(1);
    expect(await pointsOf(b)).toBe(2);
    // The refused sends went in one statement with accepted ones.
    const ids = stored.slice(1).map((m) => m.id);
    expect(new Set((await writers(ids)).values()).size).toBeLessThan(ids.length);
  });
});

describe.runIf(onPostgres)('a batch that fails as a whole', () => {
  it('is stored again send by send: the others are kept, the repeat answers with its message, no seq is skipped', async () => {
    const [a] = members as [TestUser];
    const group = await createGroup(deps, owner.id, 'fails', [a.id]);
    const elsewhere = await createGroup(deps, owner.id, 'elsewhere', [a.id]);
    const racedId = randomUUID();
    // Another process is storing `racedId` (the same send, retried there):
    // its transaction holds the chat's row and the message until we let go.
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      holding = resolve;
    });
    const other = deps.db.transaction(async (tx) => {
      const [chat] = await tx
        .update(chats)
        .set({ lastSeq: sql`${chats.lastSeq} + 1` })
        .where(eq(chats.id, group.id))
        .returning({ lastSeq: chats.lastSeq });
      await tx
        .insert(messages)
        .values({ id: racedId, chatId: group.id, senderId: a.id, seq: chat?.lastSeq ?? 0, body: 'raced' });
      holding();
      await released;
    });
    await held;

    // Sent together: one batch, which waits for the held chat row, then fails on the raced id.
    const attempts = [
      send(owner, elsewhere.id, 'elsewhere 1'),
      send(owner, elsewhere.id, 'elsewhere 2'),
      send(owner, group.id, 'batched before'),
      send(a, group.id, 'raced', racedId),
      send(a, group.id, 'batched after'),
    ];
    // Let go once a batch's statement waits on the held chat row.
    let seenWaiting = false;
    for (let i = 0; i < 100 && !seenWaiting; i++) {
      const waiting = rowsOf(
        await deps.db.execute(
          sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%jsonb_to_recordset%'`,
        ),
      );
      seenWaiting = Number(waiting[0]?.n) > 0;
      if (!seenWaiting) await new Promise((r) => setTimeout(r, 50));
    }
    release();
    expect(seenWaiting).toBe(true);
    await other;
    const outcomes = await Promise.all(attempts);
    expect(outcomes.map((m) => m.body)).toEqual([
      'elsewhere 1',
      'elsewhere 2',
      'batched before',
      'raced',
      'batched after',
    ]);
    const stored = await storedInChat(group.id);
    expect(stored.map((m) => m.body)).toEqual(['raced', 'batched before', 'batched after']);
    expect(stored.map((m) => m.seq)).toEqual([2, 3, 4]); // 1: the "created" line
    expect(stored.find((m) => m.id === racedId)?.seq).toBe(outcomes[3]?.seq);
    // The batch's four new messages were stored one by one after it failed, in order.
    const ids = [0, 1, 2, 4].map((i) => outcomes[i]?.id).filter((id): id is string => id !== undefined);
    expect(new Set((await writers(ids)).values()).size).toBe(4);
    expect((await storedInChat(elsewhere.id)).map((m) => m.body)).toEqual(['elsewhere 1', 'elsewhere 2']);
  });
});
