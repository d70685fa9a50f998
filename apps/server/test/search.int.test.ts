/**
 * search.messages through the real server and typed client: what a hit
 * carries over the wire (superjson dates, snippet segments), paging, who
 * finds what, and bad input answered with BAD_REQUEST and a human message.
 * The operators themselves are covered at the domain level
 * (packages/api/test/search.int.test.ts).
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
let group: string;
let direct: string;

beforeAll(async () => {
  t = await startTestServer();
  [alice, bob, carol, stranger] = await Promise.all([
    makeUser(t.url, { prefix: 'alice' }),
    makeUser(t.url, { prefix: 'bob' }),
    makeUser(t.url, { prefix: 'carol' }),
    makeUser(t.url, { prefix: 'stranger' }),
  ]);
  group = await makeGroup(alice, [bob, carol], 'Launch crew');
  direct = await makeDirect(stranger, carol);
});
afterAll(async () => {
  for (const p of [alice, bob, carol, stranger]) p?.client.close();
  await t?.stop();
});

const send = (p: Person, chatId: string, body: string) =>
  p.client.api.message.send.mutate({ id: randomUUID(), chatId, body });

async function badRequest(p: Promise<unknown>): Promise<string> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  expect((error as TRPCClientError<never>).data).toMatchObject({ code: 'BAD_REQUEST' });
  return (error as Error).message;
}

describe('search.messages', () => {
  it('returns the hit with its chat, sender, time and marked snippet', async () => {
    const sent = await send(bob, group, 'The rocket launch is on Thursday');
    const page = await alice.client.api.search.messages.query({ q: 'rocket thurs' });
    expect(page.nextCursor).toBeNull();
    expect(page.hits).toHaveLength(1);
    const [hit] = page.hits;
    expect(hit).toMatchObject({
      messageId: sent.id,
      seq: sent.seq,
      chat: { id: group, kind: 'group', name: 'Launch crew', peer: null },
      sender: { id: bob.id, username: bob.username },
      editedAt: null,
    });
    expect(hit?.createdAt).toEqual(sent.createdAt);
    expect(hit?.snippet).toEqual([
      { text: 'The ', match: false },
      { text: 'rocket', match: true },
      { text: ' launch is on ', match: false },
      { text: 'Thursday', match: true },
    ]);
  });

  it('pages with the cursor, newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await send(alice, group, `countdown ${i}`)).id);
    const first = await bob.client.api.search.messages.query({ q: 'countdown', limit: 3 });
    expect(first.hits.map((h) => h.messageId)).toEqual(ids.slice(2).reverse());
    const second = await bob.client.api.search.messages.query({ q: 'countdown', limit: 3, cursor: first.nextCursor });
    expect(second.hits.map((h) => h.messageId)).toEqual(ids.slice(0, 2).reverse());
    expect(second.nextCursor).toBeNull();
  });

  it('finds nothing of others’ chats, and nothing of a group once its member has left', async () => {
    await send(stranger, direct, 'orbital secrets');
    await send(bob, group, 'orbital mechanics');
    expect((await alice.client.api.search.messages.query({ q: 'orbital' })).hits.map((h) => h.chat.id)).toEqual([
      group,
    ]);
    expect((await carol.client.api.search.messages.query({ q: 'orbital' })).hits).toHaveLength(2);
    await carol.client.api.groups.leave.mutate({ chatId: group });
    const after = await carol.client.api.search.messages.query({ q: 'orbital' });
    expect(after.hits.map((h) => h.chat)).toEqual([
      { id: direct, kind: 'direct', name: null, peer: expect.objectContaining({ id: stranger.id }) },
    ]);
  });

  it('answers bad input with BAD_REQUEST and a message saying what to write', async () => {
    const search = alice.client.api.search.messages;
    expect(await badRequest(search.query({ q: 'x'.repeat(501) }))).toBe('A search can be at most 500 characters.');
    expect(await badRequest(search.query({ q: 'rocket', limit: 51 }))).toMatch(/50/);
    expect(await badRequest(search.query({ q: 'rocket before:31-12-2024' }))).toBe(
      'Write dates as YYYY-MM-DD, like before:2024-05-31.',
    );
    expect(await badRequest(search.query({ q: 'has:pdf' }))).toBe('has: can only be has:image.');
    expect(await badRequest(search.query({ q: '' }))).toBe('Type something to search for.');
    expect(await badRequest(search.query({ q: 'rocket', cursor: 'bm9wZQ' }))).toBe(
      'This search cursor is not valid: start the search again.',
    );
  });
});
