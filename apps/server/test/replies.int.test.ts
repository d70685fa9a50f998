/**
 * Replies through the real server and typed client (issue 27): a reply
 * carries a quote of the message it answers, in the sender's answer, in
 * history, over the live stream (WebSocket and SSE) and in search; the quote
 * follows the original's edits and deletion; a reply into another chat is
 * refused, and a stranger learns nothing by replying.
 */
import { randomUUID } from 'node:crypto';
import { events, messages } from '@chat/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Collected, collectStream, makeUser, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { solid, upload } from './images';
import { befriend, makeDirect } from './people';

let t: TestServer;
let alice: Person;
let bob: Person;
/** On SSE: the quote reaches her over the other stream transport too. */
let carol: Person;
let stranger: Person;
let dave: Person;
let direct: string;
let group: string;
/** The stranger's own chat, with dave. */
let strangersChat: string;

beforeAll(async () => {
  t = await startTestServer();
  [alice, bob, carol, stranger, dave] = await Promise.all([
    makeUser(t.url, { prefix: 'alice' }),
    makeUser(t.url, { prefix: 'bob' }),
    makeUser(t.url, { prefix: 'carol', transport: 'sse' }),
    makeUser(t.url, { prefix: 'stranger' }),
    makeUser(t.url, { prefix: 'dave' }),
  ]);
  direct = await makeDirect(alice, bob);
  await befriend(alice, carol);
  group = (await alice.client.api.groups.create.mutate({ name: 'Launch', userIds: [bob.id, carol.id] })).id;
  strangersChat = await makeDirect(stranger, dave);
});
afterAll(async () => {
  for (const p of [alice, bob, carol, stranger, dave]) p?.client.close();
  await t?.stop();
});

type Item = { type: string; payload?: unknown };
const messageOf = (item: Item) => (item.payload as { message: { id: string; replyTo: unknown } }).message;

/** The message event of `type` for message `id`, once it has arrived. */
async function eventFor(stream: Collected<Item>, type: string, id: string) {
  const match = (i: Item) => i.type === type && messageOf(i).id === id;
  await stream.until((items) => items.some(match));
  const found = stream.items.find(match);
  if (!found) throw new Error('unreachable');
  return { message: messageOf(found), eventId: stream.ids[stream.items.indexOf(found)] ?? null };
}

async function ready(p: Person): Promise<Collected<Item>> {
  const stream = collectStream(p.client);
  await stream.until((items) => items.some((i) => i.type === 'stream.ready'));
  return stream;
}

const send = (p: Person, chatId: string, body: string, replyToId?: string) =>
  p.client.api.message.send.mutate({ id: randomUUID(), chatId, body, replyToId });

const stored = async (id: string) =>
  (await t.server.deps.db.select({ id: messages.id }).from(messages).where(eq(messages.id, id))).length;

const NOT_IN_CHAT = {
  data: { code: 'BAD_REQUEST' },
  message: 'The message you are replying to is not in this chat.',
};

describe('replies', () => {
  it('in a one-to-one chat: the quote is in the answer, the history and the other side’s stream', async () => {
    const aliceStream = await ready(alice);
    const original = await send(alice, direct, 'Lunch at noon?\nOr later, if you are busy.');
    const reply = await send(bob, direct, 'Noon works', original.id);
    const quote = {
      messageId: original.id,
      senderId: alice.id,
      text: 'Lunch at noon?',
      hasImage: false,
      deleted: false,
      fileName: null,
    };
    expect(reply).toMatchObject({ replyToId: original.id, replyTo: quote, body: 'Noon works' });
    expect((await eventFor(aliceStream, 'message.created', reply.id)).message.replyTo).toEqual(quote);
    aliceStream.unsubscribe();
    const page = await alice.client.api.message.history.query({ chatId: direct, limit: 5 });
    expect(page.messages.find((m) => m.id === reply.id)?.replyTo).toEqual(quote);
    // Not a reply: no quote.
    expect(page.messages.find((m) => m.id === original.id)).toMatchObject({ replyToId: null, replyTo: null });
  });

  it('in a group: a reply to an image shows that it is one, over WebSocket and SSE alike', async () => {
    const [aliceStream, carolStream] = await Promise.all([ready(alice), ready(carol)]);
    const image = (await upload(t.url, alice, group, await solid(16, 16).png().toBuffer())).body.id;
    const original = await alice.client.api.message.send.mutate({
      id: randomUUID(),
      chatId: group,
      body: '',
      attachmentIds: [image],
    });
    const reply = await send(bob, group, 'Nice **shot**', original.id);
    const quote = {
      messageId: original.id,
      senderId: alice.id,
      text: '',
      hasImage: true,
      deleted: false,
      fileName: null,
    };
    expect(reply.replyTo).toEqual(quote);
    expect((await eventFor(aliceStream, 'message.created', reply.id)).message.replyTo).toEqual(quote);
    expect((await eventFor(carolStream, 'message.created', reply.id)).message.replyTo).toEqual(quote);
    aliceStream.unsubscribe();
    carolStream.unsubscribe();
    // A reply to a reply quotes the reply, not the first message.
    const again = await send(carol, group, 'Agreed', reply.id);
    expect(again.replyTo).toMatchObject({ messageId: reply.id, senderId: bob.id, text: 'Nice **shot**' });
  });

  it('a reply to one of yours counts as a mention of you in the chat list; to someone else’s, not', async () => {
    const stateOf = async (p: Person) => (await p.client.api.chats.list.query()).find((c) => c.id === group)?.readState;
    const mine = await send(alice, group, 'Who takes the release notes?');
    const carols = await send(carol, group, 'And the changelog?');
    const before = await stateOf(alice);
    await send(bob, group, 'I do', mine.id);
    await send(bob, group, 'Me too', carols.id);
    const after = await stateOf(alice);
    expect(after?.unreadCount).toBe((before?.unreadCount ?? 0) + 2);
    expect(after?.mentionCount).toBe((before?.mentionCount ?? 0) + 1);
  });

  it('refuses a reply to a message of another chat, or of none, and stores nothing', async () => {
    const inGroup = await send(alice, group, 'group only');
    for (const replyToId of [inGroup.id, randomUUID()]) {
      const id = randomUUID();
      await expect(
        bob.client.api.message.send.mutate({ id, chatId: direct, body: 'wrong chat', replyToId }),
      ).rejects.toMatchObject(NOT_IN_CHAT);
      expect(await stored(id)).toBe(0);
    }
    await expect(
      bob.client.api.message.send.mutate({ id: randomUUID(), chatId: direct, body: 'x', replyToId: 'nope' }),
    ).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' }, message: 'That is not a valid message id.' });
  });

  it('a stranger can neither reply into a chat nor learn by a reply that a message exists', async () => {
    const secret = await send(alice, group, 'the launch code is 1234');
    const intruding = randomUUID();
    await expect(
      stranger.client.api.message.send.mutate({ id: intruding, chatId: group, body: 'hi', replyToId: secret.id }),
    ).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
      message: 'This chat does not exist, or you are not in it.',
    });
    // From the stranger's own chat: the same answer for a real message elsewhere as for no message at all.
    const answers = [];
    for (const replyToId of [secret.id, randomUUID()]) {
      const id = randomUUID();
      const error = await stranger.client.api.message.send
        .mutate({ id, chatId: strangersChat, body: 'probe', replyToId })
        .then(
          () => null,
          (e: { message: string; data: { code: string; httpStatus: number } }) => e,
        );
      answers.push({ message: error?.message, code: error?.data.code, status: error?.data.httpStatus });
      expect(await stored(id)).toBe(0);
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toMatchObject({ message: NOT_IN_CHAT.message, code: 'BAD_REQUEST' });
    expect(await stored(intruding)).toBe(0);
    const found = await stranger.client.api.search.messages.query({ q: 'launch code' });
    expect(found.hits).toEqual([]);
  });

  it('an edited original shows its new text and a deleted one shows deleted: history, around, search, replayed stream', async () => {
    const bobStream = await ready(bob);
    const original = await send(alice, group, 'Draft plan: alpha');
    const { eventId: beforeReply } = await eventFor(bobStream, 'message.created', original.id);
    const reply = await send(bob, group, 'Looks good, zebrafish', original.id);
    expect(reply.replyTo).toMatchObject({ text: 'Draft plan: alpha' });

    await alice.client.api.message.edit.mutate({ messageId: original.id, body: '\nFinal plan: beta\nwith details' });
    // Live: the original's edit arrives, carrying what the quote now shows.
    await eventFor(bobStream, 'message.edited', original.id);
    const edited = {
      messageId: original.id,
      senderId: alice.id,
      text: 'Final plan: beta',
      hasImage: false,
      deleted: false,
      fileName: null,
    };
    const replyNow = async () =>
      (await carol.client.api.message.history.query({ chatId: group, limit: 10 })).messages.find(
        (m) => m.id === reply.id,
      )?.replyTo;
    expect(await replyNow()).toEqual(edited);
    const hit = (await carol.client.api.search.messages.query({ q: 'zebrafish' })).hits.find(
      (h) => h.messageId === reply.id,
    );
    expect(hit?.replyTo).toEqual(edited);
    // A client resuming from before the reply gets the reply's event with the quote as it is now.
    const replay = collectStream(bob.client, beforeReply);
    expect((await eventFor(replay, 'message.created', reply.id)).message.replyTo).toEqual(edited);
    replay.unsubscribe();

    await alice.client.api.message.delete.mutate({ messageId: original.id });
    await eventFor(bobStream, 'message.deleted', original.id);
    bobStream.unsubscribe();
    const gone = {
      messageId: original.id,
      senderId: alice.id,
      text: null,
      hasImage: false,
      deleted: true,
      fileName: null,
    };
    expect(await replyNow()).toEqual(gone);
    const around = await bob.client.api.message.around.query({ messageId: reply.id, limit: 2 });
    expect(around.target.replyTo).toEqual(gone);
    const again = collectStream(bob.client, beforeReply);
    expect((await eventFor(again, 'message.created', reply.id)).message.replyTo).toEqual(gone);
    again.unsubscribe();
    // The deleted text has left the event log, replies' events included.
    const leaks = await t.server.deps.db
      .select({ id: events.id })
      .from(events)
      .where(sql`${events.payload}::text like '%Final plan%' or ${events.payload}::text like '%Draft plan%'`);
    expect(leaks).toEqual([]);
  });
});
