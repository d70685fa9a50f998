/**
 * Issue 24, bugs 2 and 3 on the server: a message link resolves through the
 * message's own chat, as each member sees it (`message.locate`); the names in
 * a chat's history outlive membership (`message.authors`), for members of the
 * chat only and only for people found in its history. Outsiders get nothing
 * (also in authorization.int.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { makeDirect, makeGroup } from './people';

let t: TestServer;
let alice: Person;
let bob: Person;
let carol: Person;
let stranger: Person;

beforeAll(async () => {
  t = await startTestServer();
  [alice, bob, carol, stranger] = await Promise.all([
    makeUser(t.url, { prefix: 'alice' }),
    makeUser(t.url, { prefix: 'bob' }),
    makeUser(t.url, { prefix: 'carol' }),
    makeUser(t.url, { prefix: 'stranger' }),
  ]);
});
afterAll(async () => {
  for (const p of [alice, bob, carol, stranger]) p?.client.close();
  await t?.stop();
});

const send = async (p: Person, chatId: string, body: string) =>
  (await p.client.api.message.send.mutate({ id: randomUUID(), chatId, body })).id;

const codeOf = (e: unknown) => (e instanceof TRPCClientError ? (e.data as { code?: string }).code : String(e));
const failure = (p: Promise<unknown>) => p.then(() => 'no error', codeOf);

describe('message.locate', () => {
  it('gives each member of a one-to-one chat their own view of it; others learn nothing', async () => {
    const chatId = await makeDirect(alice, bob);
    const messageId = await send(alice, chatId, 'link me');
    const forAlice = await alice.client.api.message.locate.query({ messageId });
    const forBob = await bob.client.api.message.locate.query({ messageId });
    expect([forAlice.id, forAlice.kind, forAlice.peer?.username]).toEqual([chatId, 'direct', bob.username]);
    expect([forBob.id, forBob.kind, forBob.peer?.username]).toEqual([chatId, 'direct', alice.username]);
    expect(await failure(stranger.client.api.message.locate.query({ messageId }))).toBe('NOT_FOUND');
    expect(await failure(stranger.client.api.message.locate.query({ messageId: randomUUID() }))).toBe('NOT_FOUND');
    expect(await failure(alice.client.api.message.locate.query({ messageId: 'nope' }))).toBe('BAD_REQUEST');
  });

  it('gives a group message its group', async () => {
    const groupId = await makeGroup(alice, [carol], 'Locators');
    const messageId = await send(carol, groupId, 'in the group');
    const found = await alice.client.api.message.locate.query({ messageId });
    expect([found.id, found.kind, found.name]).toEqual([groupId, 'group', 'Locators']);
  });
});

describe('message.authors', () => {
  it('keeps the names of people who left, were removed, or left the last member alone', async () => {
    // People of their own, so that the other tests' contacts do not matter.
    const [bob, carol, dave] = await Promise.all(['bob', 'carol', 'dave'].map((prefix) => makeUser(t.url, { prefix })));
    if (!bob || !carol || !dave) throw new Error('three people were made');
    const groupId = await makeGroup(alice, [bob, carol, dave], 'Leavers');
    await send(bob, groupId, 'bob was here');
    await send(alice, groupId, 'alice too');
    const carolsId = await send(carol, groupId, 'carol as well');
    await dave.client.api.message.react.mutate({ messageId: carolsId, emoji: '👍', on: true });

    await bob.client.api.groups.leave.mutate({ chatId: groupId });
    await alice.client.api.groups.removeMember.mutate({ chatId: groupId, userId: carol.id });
    await alice.client.api.groups.removeMember.mutate({ chatId: groupId, userId: dave.id });
    // Alice is alone in the group now, with three former members in its history.
    const ids = [bob.id, carol.id, dave.id, alice.id, stranger.id];
    const names = await alice.client.api.message.authors.query({ chatId: groupId, userIds: ids });
    const byId = new Map(names.map((n) => [n.id, n]));
    expect(byId.get(bob.id)).toEqual({ id: bob.id, username: bob.username, displayName: bob.username });
    expect(byId.get(carol.id)?.username).toBe(carol.username);
    expect(byId.get(dave.id)?.username).toBe(dave.username); // reacted only
    expect(byId.get(alice.id)?.username).toBe(alice.username);
    // Someone who never wrote or reacted there is not named, whoever asks.
    expect(byId.has(stranger.id)).toBe(false);
    // Only names: profile details stay behind their own rule.
    expect(Object.keys(byId.get(bob.id) ?? {}).sort()).toEqual(['displayName', 'id', 'username']);

    // Those outside the chat now (Bob, who left) get nothing, not even for their own messages.
    expect(await failure(bob.client.api.message.authors.query({ chatId: groupId, userIds: ids }))).toBe('NOT_FOUND');
    expect(await failure(stranger.client.api.message.authors.query({ chatId: groupId, userIds: ids }))).toBe(
      'NOT_FOUND',
    );
    expect(await failure(alice.client.api.message.authors.query({ chatId: groupId, userIds: [] }))).toBe('BAD_REQUEST');
  });
});
