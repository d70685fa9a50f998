/**
 * Blocking (issue 27; docs/blocking.md), through the real typed client. Alice
 * blocks Bob. Every refusal Bob meets is compared, code and message, with
 * what Dave meets in the ordinary case it borrows its answer from: Carol
 * removed Dave as a contact. Nothing of Bob's refused attempts is stored.
 */
import { randomUUID } from 'node:crypto';
import { UploadError } from '@chat/api/client';
import { TRPCClientError } from '@trpc/client';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStream, makeUser, type Person } from './clients';
import { pdfBytes } from './files';
import { startTestServer, type TestServer } from './harness';
import { befriend, makeDirect } from './people';

let t: TestServer;
let alice: Person;
let aliceLaptop: Person;
let bob: Person;
let carol: Person;
let dave: Person;
let erin: Person;
let stranger: Person;
/** Alice and Bob's one-to-one chat; Carol and Dave's. */
let ab: string;
let cd: string;
/** Carol's group with Alice and Bob in it. */
let shared: string;
/** A message of Alice's in `ab`, of Carol's in `cd`. */
let aliceWrote: string;
let carolWrote: string;

/** The error a call ends with (code and message), or 'ok'. */
async function outcome(call: Promise<unknown>): Promise<{ code: string; message: string } | 'ok'> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    return { code: String((error.data as { code?: string } | undefined)?.code), message: error.message };
  }
}

const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];

/** How many rows the tables a refusal might touch hold, and the newest event: to show it touched none. */
async function tableCounts(): Promise<Record<string, unknown>> {
  const [row] = rowsOf<Record<string, unknown>>(
    await t.server.deps.db.execute(sql`select
      (select count(*)::int from messages) as messages, (select count(*)::int from reactions) as reactions,
      (select count(*)::int from contacts) as contacts, (select count(*)::int from contact_requests) as requests,
      (select count(*)::int from blocks) as blocks, (select count(*)::int from chat_members) as members,
      (select count(*)::int from chats) as chats, (select count(*)::int from uploads) as uploads,
      (select max(edited_at)::text from messages) as edited,
      (select max(id)::text from events) as last_event`),
  );
  return row ?? {};
}

const bodies = async (p: Person, chatId: string) =>
  (await p.client.api.message.history.query({ chatId })).messages.map((m) => [m.senderId, m.body, m.reactions]);

beforeAll(async () => {
  t = await startTestServer();
  [alice, bob, carol, dave, erin, stranger] = await Promise.all([
    makeUser(t.url, { prefix: 'alice' }),
    makeUser(t.url, { prefix: 'bob' }),
    makeUser(t.url, { prefix: 'carol' }),
    makeUser(t.url, { prefix: 'dave' }),
    makeUser(t.url, { prefix: 'erin' }),
    makeUser(t.url, { prefix: 'stranger' }),
  ]);
  // Alice's second device: the same account, signed in again.
  const { createChatClient } = await import('@chat/api/client');
  const laptop = createChatClient({ url: t.url, transport: 'sse' });
  await laptop.api.auth.login.mutate({ username: alice.username, password: 'correct horse battery' });
  aliceLaptop = { ...alice, client: laptop };

  ab = await makeDirect(alice, bob);
  cd = await makeDirect(carol, dave);
  aliceWrote = (await alice.client.api.message.send.mutate({ id: randomUUID(), chatId: ab, body: 'hi Bob' })).id;
  await bob.client.api.message.send.mutate({ id: randomUUID(), chatId: ab, body: 'hi Alice' });
  carolWrote = (await carol.client.api.message.send.mutate({ id: randomUUID(), chatId: cd, body: 'hi Dave' })).id;
  await dave.client.api.message.send.mutate({ id: randomUUID(), chatId: cd, body: 'hi Carol' });
  await befriend(carol, alice);
  await befriend(carol, bob);
  shared = (await carol.client.api.groups.create.mutate({ name: 'Shared', userIds: [alice.id, bob.id] })).id;
  // Bob's own group, with Erin, to which he might try to add Alice (or Dave his Carol-less one).
  await befriend(bob, erin);
  await befriend(dave, erin);
});
afterAll(async () => {
  for (const p of [alice, aliceLaptop, bob, carol, dave, erin, stranger]) p?.client.close();
  await t?.stop();
});

describe('blocking', () => {
  it("is Alice's alone: her list, her other devices told live, Bob told nothing but what a removal tells", async () => {
    const laptop = collectStream(aliceLaptop.client);
    const bobs = collectStream(bob.client);
    const daves = collectStream(dave.client);
    for (const s of [laptop, bobs, daves]) await s.until((items) => items.some((i) => i.type === 'stream.ready'));
    // The third transport: polling, from before the block (Alice's) and Bob's.
    const [alicePoll, bobPoll] = await Promise.all([
      alice.client.api.events.poll.query({}),
      bob.client.api.events.poll.query({}),
    ]);

    const blocked = await alice.client.api.blocks.block.mutate({ userId: bob.id });
    expect(blocked.user).toMatchObject({ id: bob.id, username: bob.username });
    expect(blocked.at).toBeInstanceOf(Date);
    await carol.client.api.contacts.remove.mutate({ userId: dave.id });

    await laptop.until((items) => items.some((i) => i.type === 'block.changed'));
    await bobs.until((items) => items.some((i) => i.type === 'contact.removed'));
    await daves.until((items) => items.some((i) => i.type === 'contact.removed'));
    expect(laptop.items.filter((i) => i.type === 'block.changed').map((i) => i.payload)).toEqual([
      { userId: bob.id, blocked: true },
    ]);
    // Bob's stream carries what Dave's does, and nothing about blocking.
    await new Promise((r) => setTimeout(r, 300));
    const kinds = (items: { type: string }[]) => items.map((i) => i.type).filter((k) => k !== 'presence');
    expect(kinds(bobs.items)).toEqual(kinds(daves.items));
    expect(kinds(bobs.items)).toEqual(['stream.ready', 'contact.removed']);
    const polled = async (p: Person, cursor: string) =>
      (await p.client.api.events.poll.query({ lastEventId: cursor })).items.map((i) => i.data);
    expect(await polled(alice, alicePoll.cursor)).toContainEqual(
      expect.objectContaining({ type: 'block.changed', payload: { userId: bob.id, blocked: true } }),
    );
    expect((await polled(bob, bobPoll.cursor)).map((i) => i.type)).toEqual(['contact.removed']);

    // Again: nothing changes, nobody is told.
    const again = await alice.client.api.blocks.block.mutate({ userId: bob.id });
    expect(again.at).toEqual(blocked.at);
    const list = await aliceLaptop.client.api.blocks.list.query();
    expect(list).toEqual([{ user: expect.objectContaining({ id: bob.id }), at: blocked.at }]);
    await new Promise((r) => setTimeout(r, 300));
    expect(laptop.items.filter((i) => i.type === 'block.changed')).toHaveLength(1);
    for (const s of [laptop, bobs, daves]) s.unsubscribe();
    expect(await bob.client.api.blocks.list.query()).toEqual([]);
    expect((await alice.client.api.contacts.list.query()).map((c) => c.id)).not.toContain(bob.id);
  });

  it("refuses Bob's message, edit, reaction, typing and file in the chat exactly as Dave's, storing nothing", async () => {
    const before = await bodies(alice, ab);
    const counts = await tableCounts();
    const bobsOwn = (await bob.client.api.message.history.query({ chatId: ab })).messages.find(
      (m) => m.senderId === bob.id,
    );
    const davesOwn = (await dave.client.api.message.history.query({ chatId: cd })).messages.find(
      (m) => m.senderId === dave.id,
    );
    const pairs: [() => Promise<unknown>, () => Promise<unknown>][] = [
      [
        () => bob.client.api.message.send.mutate({ id: randomUUID(), chatId: ab, body: 'let me in' }),
        () => dave.client.api.message.send.mutate({ id: randomUUID(), chatId: cd, body: 'let me in' }),
      ],
      [
        () => bob.client.api.message.edit.mutate({ messageId: bobsOwn?.id ?? '', body: 'changed' }),
        () => dave.client.api.message.edit.mutate({ messageId: davesOwn?.id ?? '', body: 'changed' }),
      ],
      [
        () => bob.client.api.message.react.mutate({ messageId: aliceWrote, emoji: '👎', on: true }),
        () => dave.client.api.message.react.mutate({ messageId: carolWrote, emoji: '👎', on: true }),
      ],
      [
        () => bob.client.api.presence.typing.mutate({ chatId: ab }),
        () => dave.client.api.presence.typing.mutate({ chatId: cd }),
      ],
    ];
    for (const [bobs, daves] of pairs) {
      const [b, d] = [await outcome(bobs()), await outcome(daves())];
      expect(b).toEqual(d);
      expect(b).toEqual({
        code: 'FORBIDDEN',
        message:
          'This chat is not available: you are no longer contacts, so you cannot write or react here. Add them as a contact again to continue.',
      });
    }
    // A file for the chat: the upload route's refusal, the same for both, storing nothing.
    const uploadRefusal = (p: Person, chatId: string) =>
      p.client.upload(chatId, pdfBytes('let me in'), 'in.pdf').then(
        () => 'stored',
        (e: unknown) => (e instanceof UploadError ? { status: e.status, message: e.message } : String(e)),
      );
    const bobsUpload = await uploadRefusal(bob, ab);
    expect(bobsUpload).toEqual(await uploadRefusal(dave, cd));
    expect(bobsUpload).toMatchObject({ status: 403, message: expect.stringMatching(/^This chat is not available/) });
    expect(await tableCounts()).toEqual(counts);
    expect(await bodies(alice, ab)).toEqual(before);
    expect(await bodies(bob, ab)).toEqual(before);
    // The chat and its history stay Bob's to read, as Dave's stay his.
    expect((await bob.client.api.chats.direct.mutate({ username: alice.username })).id).toBe(ab);
    expect((await dave.client.api.chats.direct.mutate({ username: carol.username })).id).toBe(cd);
    // Alice, blocking, cannot write there either (her composer says why: the web app).
    expect(await outcome(alice.client.api.message.send.mutate({ id: randomUUID(), chatId: ab, body: 'x' }))).toEqual(
      await outcome(carol.client.api.message.send.mutate({ id: randomUUID(), chatId: cd, body: 'x' })),
    );
  });

  it("holds Bob's contact request unseen: he gets the answer of a request not yet answered", async () => {
    const alicesStream = collectStream(alice.client);
    await alicesStream.until((items) => items.some((i) => i.type === 'stream.ready'));
    const toAlice = await bob.client.api.contacts.request.mutate({ username: alice.username });
    const toCarol = await dave.client.api.contacts.request.mutate({ username: carol.username });
    expect(toAlice.status).toBe('requested');
    expect(toCarol.status).toBe('requested');
    expect(toAlice).toEqual({ status: 'requested', to: expect.objectContaining({ id: alice.id }) });
    // Asking again: the ordinary "already asked", both.
    const [b, d] = [
      await outcome(bob.client.api.contacts.request.mutate({ username: alice.username })),
      await outcome(dave.client.api.contacts.request.mutate({ username: carol.username })),
    ];
    expect(b).toMatchObject({
      code: 'CONFLICT',
      message: `You have already asked @${alice.username}; waiting for an answer.`,
    });
    expect(d).toMatchObject({
      code: 'CONFLICT',
      message: `You have already asked @${carol.username}; waiting for an answer.`,
    });
    // Bob's list shows his request waiting, as Dave's does; Alice's does not show it, nor was she told.
    expect((await bob.client.api.contacts.requests.query()).outgoing.map((r) => r.to.id)).toEqual([alice.id]);
    expect((await dave.client.api.contacts.requests.query()).outgoing.map((r) => r.to.id)).toEqual([carol.id]);
    expect((await alice.client.api.contacts.requests.query()).incoming).toEqual([]);
    expect((await carol.client.api.contacts.requests.query()).incoming.map((r) => r.from.id)).toEqual([dave.id]);
    await new Promise((r) => setTimeout(r, 300));
    expect(alicesStream.items.filter((i) => i.type.startsWith('contact.'))).toEqual([]);
    alicesStream.unsubscribe();
    // Alice herself is told plainly why she cannot ask or accept him.
    const blockedMsg = `You blocked @${bob.username}. Unblock them first to add them as a contact.`;
    expect(await outcome(alice.client.api.contacts.request.mutate({ username: bob.username }))).toEqual({
      code: 'CONFLICT',
      message: blockedMsg,
    });
    expect(await outcome(alice.client.api.contacts.accept.mutate({ userId: bob.id }))).toEqual({
      code: 'CONFLICT',
      message: 'You blocked them. Unblock them first to add them as a contact.',
    });
    expect((await alice.client.api.contacts.list.query()).map((c) => c.id)).not.toContain(bob.id);
    // Carol declines Dave (the control pair goes on as strangers).
    await carol.client.api.contacts.decline.mutate({ userId: dave.id });
  });

  it('Bob cannot put Alice in a group, with the refusal of any non-contact; the shared group goes on', async () => {
    const bobsGroup = (await bob.client.api.groups.create.mutate({ name: 'Bob', userIds: [erin.id] })).id;
    const davesGroup = (await dave.client.api.groups.create.mutate({ name: 'Dave', userIds: [erin.id] })).id;
    const counts = await tableCounts();
    const [b, d] = [
      await outcome(bob.client.api.groups.addMembers.mutate({ chatId: bobsGroup, userIds: [alice.id] })),
      await outcome(dave.client.api.groups.addMembers.mutate({ chatId: davesGroup, userIds: [carol.id] })),
    ];
    expect(b).toEqual(d);
    expect(b).toEqual({ code: 'BAD_REQUEST', message: 'You can only add people from your contacts.' });
    const [bc, dc] = [
      await outcome(bob.client.api.groups.create.mutate({ name: 'Grab', userIds: [alice.id] })),
      await outcome(dave.client.api.groups.create.mutate({ name: 'Grab', userIds: [carol.id] })),
    ];
    expect(bc).toEqual(dc);
    expect(await tableCounts()).toEqual(counts);
    expect((await alice.client.api.chats.list.query()).map((c) => c.id)).not.toContain(bobsGroup);
    expect((await alice.client.api.chats.list.query()).map((c) => c.name)).not.toContain('Grab');

    // In the group they share, Bob's words stay visible to Alice (the group is shared space).
    const said = await bob.client.api.message.send.mutate({ id: randomUUID(), chatId: shared, body: 'still here' });
    const seen = await alice.client.api.message.history.query({ chatId: shared });
    expect(seen.messages.map((m) => m.id)).toContain(said.id);
    await alice.client.api.message.send.mutate({ id: randomUUID(), chatId: shared, body: 'me too' });
  });

  it('bad inputs and strangers change nothing, and nobody reads another person’s list', async () => {
    const counts = await tableCounts();
    expect(await outcome(alice.client.api.blocks.block.mutate({ userId: alice.id }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'You cannot block yourself.',
    });
    const notFound = { code: 'NOT_FOUND', message: 'No such user, or you cannot see them.' };
    expect(await outcome(alice.client.api.blocks.block.mutate({ userId: randomUUID() }))).toEqual(notFound);
    expect(await outcome(alice.client.api.blocks.unblock.mutate({ userId: randomUUID() }))).toEqual(notFound);
    expect(await outcome(alice.client.api.blocks.block.mutate({ userId: 'bob' }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('not a valid user id'),
    });
    // The stranger sees nobody here: no block, no unblock, and only their own (empty) list.
    for (const target of [alice, bob]) {
      expect(await outcome(stranger.client.api.blocks.block.mutate({ userId: target.id }))).toEqual(notFound);
      expect(await outcome(stranger.client.api.blocks.unblock.mutate({ userId: target.id }))).toEqual(notFound);
    }
    expect(await stranger.client.api.blocks.list.query()).toEqual([]);
    expect(await tableCounts()).toEqual(counts);
    expect((await alice.client.api.blocks.list.query()).map((b) => b.user.id)).toEqual([bob.id]);
    // Unblocking someone who is not blocked changes nothing.
    await alice.client.api.blocks.unblock.mutate({ userId: carol.id });
    expect((await alice.client.api.blocks.list.query()).map((b) => b.user.id)).toEqual([bob.id]);
  });

  it('unblocking: her devices follow, his waiting request shows, and they can be contacts and write again', async () => {
    const laptop = collectStream(aliceLaptop.client);
    await laptop.until((items) => items.some((i) => i.type === 'stream.ready'));
    await alice.client.api.blocks.unblock.mutate({ userId: bob.id });
    await laptop.until((items) => items.some((i) => i.type === 'block.changed'));
    expect(laptop.items.filter((i) => i.type === 'block.changed').map((i) => i.payload)).toEqual([
      { userId: bob.id, blocked: false },
    ]);
    laptop.unsubscribe();
    expect(await alice.client.api.blocks.list.query()).toEqual([]);
    expect((await alice.client.api.contacts.requests.query()).incoming.map((r) => r.from.id)).toEqual([bob.id]);
    await alice.client.api.contacts.accept.mutate({ userId: bob.id });
    await bob.client.api.message.send.mutate({ id: randomUUID(), chatId: ab, body: 'thanks' });
    await alice.client.api.message.react.mutate({ messageId: aliceWrote, emoji: '🎉', on: true });
    expect((await alice.client.api.message.history.query({ chatId: ab })).messages[0]?.body).toBe('thanks');
  });

  it('blocking someone with no contact (a requester, a co-member) holds their requests from then on', async () => {
    // Erin asks Carol; Carol, who cannot otherwise see Erin, blocks her from the request.
    const fresh = await makeUser(t.url, { prefix: 'fresh' });
    await fresh.client.api.contacts.request.mutate({ username: carol.username });
    await carol.client.api.blocks.block.mutate({ userId: fresh.id });
    expect((await carol.client.api.contacts.requests.query()).incoming.map((r) => r.from.id)).not.toContain(fresh.id);
    expect((await fresh.client.api.contacts.requests.query()).outgoing.map((r) => r.to.id)).toEqual([carol.id]);
    // She can still see and undo it from her list.
    expect((await carol.client.api.blocks.list.query()).map((b) => b.user.username)).toEqual([fresh.username]);
    await carol.client.api.blocks.unblock.mutate({ userId: fresh.id });
    expect((await carol.client.api.contacts.requests.query()).incoming.map((r) => r.from.id)).toContain(fresh.id);
    fresh.client.close();
  });
});
