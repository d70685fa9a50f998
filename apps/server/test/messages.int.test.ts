/**
 * Messaging through the real server and typed client: sending (idempotent by
 * id), history, edit and delete, receipts and unread counts.
 */
import { randomUUID } from 'node:crypto';
import { contacts, events, messages } from '@chat/db';
import { and, eq, or, sql } from 'drizzle-orm';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStream, makeUser, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { befriend, makeDirect, makeGroup } from './people';

let t: TestServer;
let alice: Person;
let bob: Person;
let carol: Person;
let stranger: Person;
let direct: string;
let group: string;

beforeAll(async () => {
  t = await startTestServer();
  [alice, bob, carol, stranger] = await Promise.all([
    makeUser(t.url, { prefix: 'alice' }),
    makeUser(t.url, { prefix: 'bob' }),
    makeUser(t.url, { prefix: 'carol' }),
    makeUser(t.url, { prefix: 'stranger' }),
  ]);
  direct = await makeDirect(alice, bob);
  group = await makeGroup(alice, [carol]);
  await alice.client.api.groups.addMembers.mutate({ chatId: group, userIds: [bob.id] });
});
afterAll(async () => {
  for (const p of [alice, bob, carol, stranger]) p?.client.close();
  await t?.stop();
});

const rowsWithId = async (id: string) =>
  (await t.server.deps.db.select().from(messages).where(eq(messages.id, id))).length;

describe('message.send', () => {
  it('stores the message, returns it with the next seq, and the chat list shows it', async () => {
    const id = randomUUID();
    const sent = await alice.client.api.message.send.mutate({ id, chatId: direct, body: 'Hello **Bob**' });
    expect(sent).toMatchObject({ id, chatId: direct, senderId: alice.id, body: 'Hello **Bob**', deletedAt: null });
    expect(sent.createdAt).toBeInstanceOf(Date);
    const next = await alice.client.api.message.send.mutate({ id: randomUUID(), chatId: direct, body: 'again' });
    expect(next.seq).toBe(sent.seq + 1);
    const chats = await bob.client.api.chats.list.query();
    const summary = chats.find((c) => c.id === direct);
    expect(summary?.lastMessage?.body).toBe('again');
    expect(summary?.readState.unreadCount).toBeGreaterThanOrEqual(2);
    expect(chats[0]?.id).toBe(direct); // most recent activity first
  });

  it('a retried send (same id) stores one row and returns the same message', async () => {
    const id = randomUUID();
    const first = await alice.client.api.message.send.mutate({ id, chatId: group, body: 'once' });
    const again = await alice.client.api.message.send.mutate({ id, chatId: group, body: 'once' });
    expect(again).toEqual(first);
    expect(await rowsWithId(id)).toBe(1);
  });

  it('concurrent sends of one id store one row and all return it', async () => {
    const id = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => alice.client.api.message.send.mutate({ id, chatId: group, body: 'racing' })),
    );
    expect(new Set(results.map((r) => r.seq)).size).toBe(1);
    expect(await rowsWithId(id)).toBe(1);
  });

  it('the same id with another text, chat or sender is refused and changes nothing', async () => {
    const id = randomUUID();
    await alice.client.api.message.send.mutate({ id, chatId: group, body: 'original' });
    const attempts = [
      () => alice.client.api.message.send.mutate({ id, chatId: group, body: 'different' }),
      () => alice.client.api.message.send.mutate({ id, chatId: direct, body: 'original' }),
      () => bob.client.api.message.send.mutate({ id, chatId: group, body: 'original' }),
    ];
    for (const attempt of attempts) {
      await expect(attempt()).rejects.toMatchObject({
        data: { code: 'CONFLICT', field: 'id' },
        message: 'This message id was already used for a different message.',
      });
    }
    const [row] = await t.server.deps.db.select().from(messages).where(eq(messages.id, id));
    expect(row).toMatchObject({ body: 'original', chatId: group, senderId: alice.id });
  });

  it('refuses empty, blank and over-long text, and bad ids, storing nothing', async () => {
    const before = (await alice.client.api.chats.get.query({ chatId: group })).chat.lastSeq;
    const cases: [string, string, string][] = [
      [randomUUID(), '', 'Write something first: a message cannot be empty.'],
      [randomUUID(), ' \n\t ', 'Write something first: a message cannot be empty.'],
      [randomUUID(), 'x'.repeat(4001), 'A message can be at most 4,000 characters.'],
      ['not-a-uuid', 'hi', 'That is not a valid message id.'],
    ];
    for (const [id, body, message] of cases) {
      await expect(alice.client.api.message.send.mutate({ id, chatId: group, body })).rejects.toMatchObject({
        data: { code: 'BAD_REQUEST' },
        message,
      });
    }
    const ok = await alice.client.api.message.send.mutate({ id: randomUUID(), chatId: group, body: 'x'.repeat(4000) });
    expect(ok.seq).toBe(before + 1);
  });

  it('a stranger cannot send into a chat; a former contact keeps the history but cannot send', async () => {
    await expect(
      stranger.client.api.message.send.mutate({ id: randomUUID(), chatId: direct, body: 'hi' }),
    ).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
    const dave = await makeUser(t.url, { prefix: 'dave' });
    const chat = await makeDirect(alice, dave);
    await dave.client.api.message.send.mutate({ id: randomUUID(), chatId: chat, body: 'before' });
    await alice.client.api.contacts.remove.mutate({ userId: dave.id });
    for (const p of [alice, dave]) {
      await expect(
        p.client.api.message.send.mutate({ id: randomUUID(), chatId: chat, body: 'after' }),
      ).rejects.toMatchObject({
        data: { code: 'FORBIDDEN' },
        message:
          'This chat is not available: you are no longer contacts, so you cannot write or react here. Add them as a contact again to continue.',
      });
      const page = await p.client.api.message.history.query({ chatId: chat });
      expect(page.messages.map((m) => m.body)).toEqual(['before']);
    }
    await befriend(dave, alice);
    await alice.client.api.message.send.mutate({ id: randomUUID(), chatId: chat, body: 'welcome back' });
    dave.client.close();
  });
});

describe('message.send stores its event with it', () => {
  it('the stored event holds exactly the message the sender was answered with', async () => {
    const bodies = ['plain', 'quotes " and \\ backslash', 'línea\nnueva\t🙂 **md** <b>x</b>', '\u2028 and \u00e9'];
    for (const body of bodies) {
      const sent = await alice.client.api.message.send.mutate({ id: randomUUID(), chatId: group, body });
      const [row] = await t.server.deps.db.select().from(events).where(eq(events.messageId, sent.id));
      expect(row?.type).toBe('message.created');
      expect(row?.chatId).toBe(group);
      // What the hub reads back and sends to every member: the same JSON superjson makes of the answer.
      expect(row?.payload).toEqual(JSON.parse(JSON.stringify(superjson.serialize({ message: sent }))));
      expect(sent.body).toBe(body);
    }
  });

  it.skipIf(process.env.TEST_DB !== 'postgres')(
    'a send waiting on a contact removal is refused once the removal commits, and stores nothing',
    async () => {
      const [fay, gus] = await Promise.all([makeUser(t.url, { prefix: 'fay' }), makeUser(t.url, { prefix: 'gus' })]);
      const chat = await makeDirect(fay, gus);
      let commit: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        commit = resolve;
      });
      let deleted: () => void = () => {};
      const rowsGone = new Promise<void>((resolve) => {
        deleted = resolve;
      });
      const removal = t.server.deps.db.transaction(async (tx) => {
        await tx
          .delete(contacts)
          .where(
            or(
              and(eq(contacts.userId, fay.id), eq(contacts.contactId, gus.id)),
              and(eq(contacts.userId, gus.id), eq(contacts.contactId, fay.id)),
            ),
          );
        deleted();
        await held;
      });
      await rowsGone;
      const id = randomUUID();
      const send = fay.client.api.message.send.mutate({ id, chatId: chat, body: 'too late' });
      const outcome = send.then(
        () => 'stored',
        (error: { data?: { code?: string } }) => error.data?.code,
      );
      // The send waits on the contact row the removal holds; it must not answer before the removal ends.
      const early = await Promise.race([outcome, new Promise((r) => setTimeout(() => r('waiting'), 300))]);
      expect(early).toBe('waiting');
      commit();
      await removal;
      expect(await outcome).toBe('FORBIDDEN');
      expect(await rowsWithId(id)).toBe(0);
      fay.client.close();
      gus.client.close();
    },
  );
});

describe('message.history and message.around', () => {
  let chat: string;
  const sent: { id: string; seq: number; body: string | null }[] = [];

  beforeAll(async () => {
    const erin = await makeUser(t.url, { prefix: 'erin' });
    chat = await makeDirect(alice, erin);
    for (let i = 1; i <= 120; i++) {
      sent.push(await alice.client.api.message.send.mutate({ id: randomUUID(), chatId: chat, body: `m${i}` }));
    }
    erin.client.close();
  });

  it('pages newest first with a cursor, and back down with `newer`', async () => {
    const bodies: string[] = [];
    let cursor: number | undefined;
    for (;;) {
      const page = await alice.client.api.message.history.query({ chatId: chat, cursor, limit: 50 });
      bodies.push(...page.messages.map((m) => m.body ?? ''));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(bodies).toEqual(sent.map((m) => m.body).reverse());
    const newer = await alice.client.api.message.history.query({
      chatId: chat,
      direction: 'newer',
      cursor: sent[9]?.seq,
      limit: 5,
    });
    expect(newer.messages.map((m) => m.body)).toEqual(['m11', 'm12', 'm13', 'm14', 'm15']);
    expect(newer.nextCursor).toBe(sent[14]?.seq);
  });

  it('filters by date range', async () => {
    const db = t.server.deps.db;
    // Spread the first 30 messages over days past, as if sent long ago.
    await db.execute(sql`update messages set created_at = date_trunc('second', now()) - make_interval(days => 100 - seq::int)
      where chat_id = ${chat} and seq <= ${sent[29]?.seq ?? 0}`);
    const all = await alice.client.api.message.history.query({
      chatId: chat,
      limit: 100,
      cursor: (sent[29]?.seq ?? 0) + 1,
    });
    const tenth = all.messages.find((m) => m.body === 'm10');
    const twentieth = all.messages.find((m) => m.body === 'm20');
    if (!tenth || !twentieth) throw new Error('seed missing');
    const page = await alice.client.api.message.history.query({
      chatId: chat,
      from: tenth.createdAt,
      to: twentieth.createdAt,
    });
    expect(page.messages.map((m) => m.body)).toEqual(Array.from({ length: 11 }, (_, i) => `m${20 - i}`));
    await expect(
      alice.client.api.message.history.query({ chatId: chat, from: twentieth.createdAt, to: tenth.createdAt }),
    ).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' }, message: 'The start date must be before the end date.' });
  });

  it('loads a message with its neighbours for a permalink', async () => {
    const target = sent[59];
    if (!target) throw new Error('seed missing');
    const around = await alice.client.api.message.around.query({ messageId: target.id, limit: 3 });
    expect(around.chatId).toBe(chat);
    expect(around.messages.map((m) => m.body)).toEqual(['m57', 'm58', 'm59', 'm60', 'm61', 'm62', 'm63']);
    expect(around.target.id).toBe(target.id);
    expect(around.olderCursor).toBe(sent[56]?.seq);
    expect(around.newerCursor).toBe(sent[62]?.seq);
    const edge = await alice.client.api.message.around.query({ messageId: sent[119]?.id ?? '', limit: 3 });
    expect(edge.newerCursor).toBeNull();
    await expect(stranger.client.api.message.around.query({ messageId: target.id })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
      message: 'This message does not exist, or you cannot see it.',
    });
  });
});

describe('edit and delete', () => {
  it('the sender edits and deletes; members see both live; the text is gone from the database', async () => {
    const stream = collectStream(bob.client);
    await stream.until((items) => items.some((i) => i.type === 'stream.ready'));
    const id = randomUUID();
    await alice.client.api.message.send.mutate({ id, chatId: group, body: 'a secret plan' });
    const edited = await alice.client.api.message.edit.mutate({ messageId: id, body: 'a secret plan, revised' });
    expect(edited.editedAt).toBeInstanceOf(Date);
    await expect(bob.client.api.message.edit.mutate({ messageId: id, body: 'mine' })).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
      message: 'You can only edit your own messages.',
    });
    await expect(bob.client.api.message.delete.mutate({ messageId: id })).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
    const deleted = await alice.client.api.message.delete.mutate({ messageId: id });
    expect(deleted).toMatchObject({ id, body: null });
    expect(deleted.deletedAt).toBeInstanceOf(Date);
    await stream.until((items) => items.some((i) => i.type === 'message.deleted'));
    const mine = stream.items.filter((i) => i.type.startsWith('message.'));
    expect(mine.map((i) => i.type)).toEqual(['message.created', 'message.edited', 'message.deleted']);
    stream.unsubscribe();

    const db = t.server.deps.db;
    const [row] = await db.select().from(messages).where(eq(messages.id, id));
    expect(row?.body).toBeNull();
    const leaks = await db
      .select({ id: events.id })
      .from(events)
      .where(sql`${events.payload}::text like '%secret plan%'`);
    expect(leaks).toEqual([]);
    await expect(alice.client.api.message.edit.mutate({ messageId: id, body: 'undo' })).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
      message: 'This message was deleted.',
    });
    const page = await carol.client.api.message.history.query({ chatId: group, limit: 5 });
    expect(page.messages.find((m) => m.id === id)).toMatchObject({ body: null });
  });
});

describe('receipts and unread counts', () => {
  it('delivered and read travel to the sender; unread counts follow across devices', async () => {
    const frank = await makeUser(t.url, { prefix: 'frank' });
    const chat = await makeDirect(alice, frank);
    const frankPhone = await makeUser(t.url, { prefix: 'x' }).then(async (p) => {
      p.client.close();
      const { signIn } = await import('@chat/api/client');
      return signIn({ url: t.url, username: frank.username, password: 'correct horse battery' });
    });
    const aliceStream = collectStream(alice.client);
    const phoneStream = collectStream(frankPhone);
    await aliceStream.until((i) => i.some((x) => x.type === 'stream.ready'));
    await phoneStream.until((i) => i.some((x) => x.type === 'stream.ready'));
    let last = 0;
    for (let i = 0; i < 3; i++) {
      last = (await alice.client.api.message.send.mutate({ id: randomUUID(), chatId: chat, body: `n${i}` })).seq;
    }
    const unread = async (p: { api: typeof frank.client.api }) =>
      (await p.api.chats.list.query()).find((c) => c.id === chat)?.readState.unreadCount;
    expect(await unread(frank.client)).toBe(3);

    await frank.client.api.message.markRead.mutate({ chatId: chat, deliveredSeq: last });
    await aliceStream.until((i) => i.some((x) => x.type === 'receipt.updated'));
    const read = await frank.client.api.message.markRead.mutate({ chatId: chat, readSeq: last - 1 });
    expect(read).toEqual({ deliveredSeq: last, readSeq: last - 1, unreadCount: 1, mentionCount: 0 });
    await phoneStream.until((i) =>
      i.some((x) => x.type === 'receipt.updated' && (x.payload as { unreadCount: number }).unreadCount === 1),
    );
    expect(await unread(frankPhone)).toBe(1);

    // Never backwards, never past the end.
    const after = await frank.client.api.message.markRead.mutate({ chatId: chat, readSeq: last + 50, deliveredSeq: 1 });
    expect(after).toEqual({ deliveredSeq: last, readSeq: last, unreadCount: 0, mentionCount: 0 });
    const receipts = await alice.client.api.message.receipts.query({ chatId: chat });
    expect(receipts).toContainEqual({ userId: frank.id, deliveredSeq: last, readSeq: last });
    await expect(stranger.client.api.message.receipts.query({ chatId: chat })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
    await expect(stranger.client.api.message.markRead.mutate({ chatId: chat, readSeq: 1 })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
    aliceStream.unsubscribe();
    phoneStream.unsubscribe();
    for (const c of [frank.client, frankPhone]) c.close();
  });

  it('unread counts are capped at 100 and exclude your own messages', async () => {
    const gina = await makeUser(t.url, { prefix: 'gina' });
    const chat = await makeDirect(gina, alice);
    await gina.client.api.message.send.mutate({ id: randomUUID(), chatId: chat, body: 'my own' });
    const unreadFor = async (p: Person) =>
      (await p.client.api.chats.list.query()).find((c) => c.id === chat)?.readState.unreadCount;
    expect(await unreadFor(gina)).toBe(0);
    await Promise.all(
      Array.from({ length: 105 }, (_, i) =>
        alice.client.api.message.send.mutate({ id: randomUUID(), chatId: chat, body: `flood ${i}` }),
      ),
    );
    expect(await unreadFor(gina)).toBe(100);
    gina.client.close();
  });
});
