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
