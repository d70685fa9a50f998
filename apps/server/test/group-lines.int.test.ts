/**
 * Issue 27, "What happened in a group": lines in a group's timeline for its
 * changes (created, renamed, added, removed, left, ownership passed), through
 * the real typed client. Each is a message of the group with `system` set,
 * written with the change: members get it once over the stream and read it
 * in history; it follows the rule messages follow (current members read the
 * chat; a chat event goes to whoever is a member when it is routed), and
 * a line is read only by those who were members when it was written: someone
 * added later gets none of the earlier lines, live or in history, someone
 * removed gets nothing after, and a stranger gets nothing at all.
 */
import { randomUUID } from 'node:crypto';
import type { MessageView } from '@chat/api';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Collected, collectStream, makeUser, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { befriend } from './people';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.stop();
});

type Stream = Collected<{ type: string; [k: string]: unknown }>;
const people: Person[] = [];
const streams: Stream[] = [];

async function person(prefix: string): Promise<Person> {
  const p = await makeUser(t.url, { prefix });
  people.push(p);
  return p;
}
afterAll(() => {
  for (const s of streams) s.unsubscribe();
  for (const p of people) p.client.close();
});

async function stream(p: Person): Promise<Stream> {
  const s = collectStream(p.client);
  streams.push(s);
  await s.until((items) => items.some((i) => i.type === 'stream.ready'));
  return s;
}

/** The messages a stream got for `chatId` (as the stream carried them). */
function created(s: Stream, chatId: string): MessageView[] {
  return s.items.flatMap((i) => {
    if (i.type !== 'message.created') return [];
    const message = (i.payload as { message: MessageView }).message;
    return message.chatId === chatId ? [message] : [];
  });
}

/** What a line says, compactly: "type actor users...". */
const said = (m: MessageView) => {
  const line = m.system;
  if (!line) return `text ${m.body}`;
  const about = line.type === 'added' ? line.users : 'user' in line ? [line.user] : [];
  return [line.type, line.actor.username, ...about.map((u) => u.username)].join(' ');
};

async function history(p: Person, chatId: string): Promise<MessageView[]> {
  const page = await p.client.api.message.history.query({ chatId, direction: 'newer', limit: 100 });
  return page.messages;
}

async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  const e = error as TRPCClientError<never>;
  return { code: (e.data as unknown as { code: string }).code, message: e.message };
}

describe('lines about a group', () => {
  it('each change is one line for the members, over the stream and in history, in order', async () => {
    const [ana, ben, cal, dan, eve] = (await Promise.all(
      ['ana', 'ben', 'cal', 'dan', 'eve'].map((n) => person(n)),
    )) as [Person, Person, Person, Person, Person];
    for (const other of [ben, cal, dan]) await befriend(ana, other);
    const [benSees, calSees, danSees, eveSees] = (await Promise.all([ben, cal, dan, eve].map(stream))) as [
      Stream,
      Stream,
      Stream,
      Stream,
    ];

    const group = await ana.client.api.groups.create.mutate({ name: 'Crew', userIds: [ben.id] });
    const chatId = group.id;
    expect(group.lastMessage?.system).toMatchObject({ type: 'created', name: 'Crew', actor: { id: ana.id } });
    await ana.client.api.groups.rename.mutate({ chatId, name: 'Crew two' });
    await ana.client.api.groups.rename.mutate({ chatId, name: 'Crew two' }); // the same name: nothing happens
    await ana.client.api.groups.addMembers.mutate({ chatId, userIds: [cal.id] });
    await ana.client.api.message.send.mutate({ id: randomUUID(), chatId, body: 'hello crew' });
    await ana.client.api.groups.removeMember.mutate({ chatId, userId: cal.id });
    await ana.client.api.groups.addMembers.mutate({ chatId, userIds: [dan.id] });
    await dan.client.api.groups.leave.mutate({ chatId });
    await ana.client.api.groups.passOwnership.mutate({ chatId, userId: ben.id });

    const all = [
      `created ${ana.username}`,
      `renamed ${ana.username}`,
      `added ${ana.username} ${cal.username}`,
      'text hello crew',
      `removed ${ana.username} ${cal.username}`,
      `added ${ana.username} ${dan.username}`,
      `left ${dan.username}`,
      `owner ${ana.username} ${ben.username}`,
    ];
    // Ben was there throughout: every line once, in order, live and in history.
    await benSees.until((items) => items.some((i) => i.type === 'chat.owner_changed'));
    await benSees.until(() => created(benSees, chatId).length >= all.length);
    const live = created(benSees, chatId);
    expect(live.map(said)).toEqual(all);
    expect(new Set(live.map((m) => m.id)).size).toBe(all.length);
    const stored = await history(ben, chatId);
    expect(stored.map(said)).toEqual(all);
    expect(stored.map((m) => m.id)).toEqual(live.map((m) => m.id));
    expect(stored.map((m) => m.seq)).toEqual(all.map((_, i) => i + 1));
    const renamed = stored[1]?.system;
    expect(renamed).toMatchObject({ type: 'renamed', name: 'Crew two', from: 'Crew' });
    expect(stored.filter((m) => m.system).every((m) => m.body === null && m.senderId === m.system?.actor.id)).toBe(
      true,
    );

    // Cal saw from his adding to his removal, the line about his removal excepted (he was out by then).
    expect(created(calSees, chatId).map(said)).toEqual([`added ${ana.username} ${cal.username}`, 'text hello crew']);
    // Dan, added later, got none of the earlier lines live, his own adding, and not the line of his leaving.
    expect(created(danSees, chatId).map(said)).toEqual([`added ${ana.username} ${dan.username}`]);
    // Former members read nothing of the group any more.
    for (const former of [cal, dan]) {
      expect(await refusal(history(former, chatId))).toMatchObject({ code: 'NOT_FOUND' });
    }
    // A stranger gets nothing, live or by asking.
    expect(created(eveSees, chatId)).toEqual([]);
    expect(await refusal(history(eve, chatId))).toMatchObject({ code: 'NOT_FOUND' });

    // The chat list's preview is the last line; lines are not unread for whoever caused them.
    const anaList = (await ana.client.api.chats.list.query()).find((c) => c.id === chatId);
    expect(anaList?.lastMessage?.system).toMatchObject({ type: 'owner', user: { id: ben.id }, auto: false });
    expect(anaList?.readState.unreadCount).toBe(0);
    const benList = (await ben.client.api.chats.list.query()).find((c) => c.id === chatId);
    expect(benList).toMatchObject({ name: 'Crew two', ownerId: ben.id, lastSeq: all.length });
    // Ben reads none of it yet: the eight lines and the message are all others' (the created line too).
    expect(benList?.readState.unreadCount).toBe(all.length);
  });

  it('a member added later reads the messages written before, but none of the lines from before they joined', async () => {
    const [ana, ben] = (await Promise.all(['ana', 'ben'].map((n) => person(n)))) as [Person, Person];
    await befriend(ana, ben);
    const group = await ana.client.api.groups.create.mutate({ name: 'Early', userIds: [] });
    await ana.client.api.message.send.mutate({ id: randomUUID(), chatId: group.id, body: 'before ben' });
    await ana.client.api.groups.rename.mutate({ chatId: group.id, name: 'Later' });
    const benSees = await stream(ben);
    await ana.client.api.groups.addMembers.mutate({ chatId: group.id, userIds: [ben.id] });
    await ana.client.api.groups.rename.mutate({ chatId: group.id, name: 'Latest' });
    await benSees.until(() => created(benSees, group.id).length >= 2);
    expect(created(benSees, group.id).map(said)).toEqual([
      `added ${ana.username} ${ben.username}`,
      `renamed ${ana.username}`,
    ]);
    // Ana, there from the start, reads every line; Ben the messages before his adding, and the lines from it on.
    const anas = await history(ana, group.id);
    expect(anas.map(said)).toEqual([
      `created ${ana.username}`,
      'text before ben',
      `renamed ${ana.username}`,
      `added ${ana.username} ${ben.username}`,
      `renamed ${ana.username}`,
    ]);
    expect((await history(ben, group.id)).map(said)).toEqual([
      'text before ben',
      `added ${ana.username} ${ben.username}`,
      `renamed ${ana.username}`,
    ]);
    const older = await ben.client.api.message.history.query({ chatId: group.id, direction: 'older', limit: 100 });
    expect(older.messages.map(said)).toEqual([
      `renamed ${ana.username}`,
      `added ${ana.username} ${ben.username}`,
      'text before ben',
    ]);
    // A link to an earlier line leads him nowhere, as a message of a chat he is not in; around a message, no early line.
    const [createdLine, text, renamedLine] = anas as [MessageView, MessageView, MessageView];
    for (const line of [createdLine, renamedLine]) {
      expect(await refusal(ben.client.api.message.around.query({ messageId: line.id, limit: 10 }))).toEqual({
        code: 'NOT_FOUND',
        message: 'This message does not exist, or you cannot see it.',
      });
      expect(await refusal(ben.client.api.message.locate.query({ messageId: line.id }))).toMatchObject({
        code: 'NOT_FOUND',
      });
    }
    const around = await ben.client.api.message.around.query({ messageId: text.id, limit: 10 });
    expect(around.messages.map(said)).toEqual([
      'text before ben',
      `added ${ana.username} ${ben.username}`,
      `renamed ${ana.username}`,
    ]);
    // His unread count is what he can read: the message and the two lines since he came.
    const benList = (await ben.client.api.chats.list.query()).find((c) => c.id === group.id);
    expect(benList?.readState.unreadCount).toBe(3);
  });

  it('nobody edits, deletes, reacts or replies to a line, its cause included; search finds no line', async () => {
    const [ana, ben] = (await Promise.all(['ana', 'ben'].map((n) => person(n)))) as [Person, Person];
    await befriend(ana, ben);
    const group = await ana.client.api.groups.create.mutate({ name: 'Quartz', userIds: [ben.id] });
    const text = await ana.client.api.message.send.mutate({
      id: randomUUID(),
      chatId: group.id,
      body: 'quartz is a mineral',
    });
    const [line] = await history(ana, group.id);
    if (!line?.system) throw new Error('expected the created line first');
    for (const p of [ana, ben]) {
      for (const call of [
        p.client.api.message.edit.mutate({ messageId: line.id, body: 'changed' }),
        p.client.api.message.delete.mutate({ messageId: line.id }),
        p.client.api.message.react.mutate({ messageId: line.id, emoji: '👍', on: true }),
        p.client.api.message.send.mutate({
          id: randomUUID(),
          chatId: group.id,
          body: 'about that',
          replyToId: line.id,
        }),
      ]) {
        expect(await refusal(call)).toMatchObject({
          code: 'FORBIDDEN',
          message: expect.stringMatching(/cannot be edited/),
        });
      }
    }
    const [after, ...rest] = await history(ben, group.id);
    expect(after).toEqual(line);
    // The refused replies stored nothing: the line and the one message.
    expect(rest.map((m) => m.id)).toEqual([text.id]);
    // The group's name is in the created line, but no search finds the line: by word, or by filters alone.
    for (const q of ['quartz', `from:@${ana.username}`, `in:"Quartz"`]) {
      const page = await ben.client.api.search.messages.query({ q });
      expect(page.hits.map((h) => h.messageId)).toEqual([text.id]);
    }
  });
});

describe('passing ownership', () => {
  it('only the owner passes it, to a member; every refusal says why and changes nothing', async () => {
    const [ana, ben, cal, eve] = (await Promise.all(['ana', 'ben', 'cal', 'eve'].map((n) => person(n)))) as [
      Person,
      Person,
      Person,
      Person,
    ];
    await befriend(ana, ben);
    await befriend(ana, cal);
    const group = await ana.client.api.groups.create.mutate({ name: 'Owned', userIds: [ben.id] });
    const chatId = group.id;
    const pass = (p: Person, userId: string) => p.client.api.groups.passOwnership.mutate({ chatId, userId });

    expect(await refusal(pass(ben, ben.id))).toEqual({
      code: 'FORBIDDEN',
      message: "Only the group's owner can do that.",
    });
    expect(await refusal(pass(eve, eve.id))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(pass(ana, cal.id))).toEqual({
      code: 'BAD_REQUEST',
      message: 'That user is not in this group.',
    });
    expect(await refusal(pass(ana, ana.id))).toEqual({ code: 'BAD_REQUEST', message: 'You already own this group.' });
    expect(await refusal(pass(ana, 'not an id'))).toMatchObject({ code: 'BAD_REQUEST' });
    const unchanged = await ana.client.api.chats.get.query({ chatId });
    expect(unchanged.chat.ownerId).toBe(ana.id);
    expect((await history(ana, chatId)).map(said)).toEqual([`created ${ana.username}`]);

    await pass(ana, ben.id);
    const details = await ben.client.api.chats.get.query({ chatId });
    expect(details.chat.ownerId).toBe(ben.id);
    // The former owner is a member like any other now.
    expect(await refusal(ana.client.api.groups.rename.mutate({ chatId, name: 'Mine' }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    await ben.client.api.groups.rename.mutate({ chatId, name: 'Bens' });
    expect((await history(ana, chatId)).map(said)).toEqual([
      `created ${ana.username}`,
      `owner ${ana.username} ${ben.username}`,
      `renamed ${ben.username}`,
    ]);
  });

  it('an owner who leaves hands the group to the longest-standing member, said in two lines', async () => {
    const [ana, ben, cal] = (await Promise.all(['ana', 'ben', 'cal'].map((n) => person(n)))) as [
      Person,
      Person,
      Person,
    ];
    await befriend(ana, ben);
    await befriend(ana, cal);
    const group = await ana.client.api.groups.create.mutate({ name: 'Heirs', userIds: [] });
    const chatId = group.id;
    await ana.client.api.groups.addMembers.mutate({ chatId, userIds: [cal.id] });
    await ana.client.api.groups.addMembers.mutate({ chatId, userIds: [ben.id] });
    const benSees = await stream(ben);
    await ana.client.api.groups.leave.mutate({ chatId });
    await benSees.until(() => created(benSees, chatId).length >= 2);
    const expected = [`left ${ana.username}`, `owner ${ana.username} ${cal.username}`];
    expect(created(benSees, chatId).map(said)).toEqual(expected);
    const lines = (await history(cal, chatId)).slice(-2);
    expect(lines.map(said)).toEqual(expected);
    expect(lines[1]?.system).toMatchObject({ type: 'owner', auto: true });
    expect((await cal.client.api.chats.get.query({ chatId })).chat.ownerId).toBe(cal.id);
    // The last member's leaving deletes the group: nobody is left to read a line.
    await ben.client.api.groups.leave.mutate({ chatId });
    await cal.client.api.groups.leave.mutate({ chatId });
    expect(await refusal(history(cal, chatId))).toMatchObject({ code: 'NOT_FOUND' });
  });
});
