/**
 * Security suite, rate limits: each limited action refused past its limit
 * with TOO_MANY_REQUESTS, a human message and a retry-after (in the error's
 * data, and as a Retry-After header over HTTP), per key: one user's flood
 * refuses that user only.
 */
import { randomUUID } from 'node:crypto';
import { createChatClient } from '@chat/api/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, PASSWORD, type Person, uniqueName } from './clients';
import { startTestServer, type TestServer } from './harness';
import { solid, upload } from './images';
import { makeGroup } from './people';
import { cookieOf, refusal } from './raw';

let t: TestServer;
let alice: Person;
let bob: Person;
let carol: Person;
let chatId: string;

const window = (points: number) => ({ points, seconds: 600 });

beforeAll(async () => {
  t = await startTestServer({
    // Addresses from X-Forwarded-For, so a test can come from elsewhere.
    env: { TRUST_PROXY: '1' },
    rateLimits: {
      'message.send': window(5),
      'message.change': window(3),
      'contact.request': window(4),
      'group.create': window(3),
      search: window(3),
      upload: window(2),
      register: window(6),
      'profile.update': window(2),
    },
  });
  [alice, bob, carol] = [await makeUser(t.url), await makeUser(t.url), await makeUser(t.url)];
  chatId = await makeGroup(alice, [bob, carol]);
});
afterAll(async () => {
  for (const p of [alice, bob, carol]) p?.client.close();
  await t?.stop();
});

function expectTooMany(r: Awaited<ReturnType<typeof refusal>>, message: RegExp) {
  expect(r.code).toBe('TOO_MANY_REQUESTS');
  expect(r.message).toMatch(message);
  expect(r.retryAfterSeconds).toBeGreaterThan(0);
  expect(r.retryAfterSeconds).toBeLessThanOrEqual(600);
}

describe('rate limits', () => {
  it('message.send: a flood refuses its sender only, with a retry-after, and stores nothing past the limit', async () => {
    const flood = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        alice.client.api.message.send.mutate({ id: randomUUID(), chatId, body: `flood ${i}` }),
      ),
    );
    expect(flood.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const r = await refusal(alice.client.api.message.send.mutate({ id: randomUUID(), chatId, body: 'more' }));
    expectTooMany(r, /sending messages too fast/);
    // Bob, in the same chat, is not held back by Alice's flood.
    await bob.client.api.message.send.mutate({ id: randomUUID(), chatId, body: 'hello' });
    const history = await bob.client.api.message.history.query({ chatId, limit: 100 });
    // What alice wrote (the group's lines about itself are hers too).
    expect(history.messages.filter((m) => m.senderId === alice.id && !m.system)).toHaveLength(5);
  });

  it('message.send: text and image sends count against one limit, whichever comes first', async () => {
    // A text send counts in its own statement, one with images through the limiter: the same counter.
    const frank = await makeUser(t.url);
    const own = await makeGroup(frank, []);
    const png = await solid(8, 8).png().toBuffer();
    const withImage = async () => {
      const uploaded = await upload(t.url, frank, own, png);
      expect(uploaded.status).toBe(201);
      return frank.client.api.message.send.mutate({
        id: randomUUID(),
        chatId: own,
        body: '',
        attachmentIds: [uploaded.body.id],
      });
    };
    const text = (body: string) => frank.client.api.message.send.mutate({ id: randomUUID(), chatId: own, body });
    await withImage();
    for (let i = 0; i < 4; i++) await text(`text ${i}`);
    expectTooMany(await refusal(text('one too many')), /sending messages too fast/);
    expectTooMany(await refusal(withImage()), /sending messages too fast/);
    const history = await frank.client.api.message.history.query({ chatId: own, limit: 100 });
    expect(
      history.messages
        .filter((m) => !m.system)
        .map((m) => m.body)
        .sort(),
    ).toEqual(['', 'text 0', 'text 1', 'text 2', 'text 3']);
    frank.client.close();
  });

  it('answers over HTTP with 429 and a Retry-After header', async () => {
    const res = await fetch(`${t.url}/trpc/message.send`, {
      method: 'POST',
      headers: { cookie: cookieOf(alice.client), 'content-type': 'application/json' },
      body: JSON.stringify({ json: { id: randomUUID(), chatId, body: 'again' } }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await res.json()) as { error: { json: { data: { retryAfterSeconds: number } } } };
    expect(body.error.json.data.retryAfterSeconds).toBe(Number(res.headers.get('retry-after')));
  });

  it('message.change: edits, deletions and reactions share one limit', async () => {
    const m = await bob.client.api.message.send.mutate({ id: randomUUID(), chatId, body: 'mine' });
    await bob.client.api.message.edit.mutate({ messageId: m.id, body: 'edited' });
    await bob.client.api.message.react.mutate({ messageId: m.id, emoji: '👍', on: true });
    await bob.client.api.message.react.mutate({ messageId: m.id, emoji: '👍', on: false });
    expectTooMany(await refusal(bob.client.api.message.delete.mutate({ messageId: m.id })), /changing messages/);
    const history = await bob.client.api.message.history.query({ chatId, limit: 100 });
    expect(history.messages.find((x) => x.id === m.id)?.deletedAt).toBeNull();
  });

  it('contact requests', async () => {
    const dave = await makeUser(t.url);
    for (let i = 0; i < 4; i++) await refusal(dave.client.api.contacts.request.mutate({ username: uniqueName() }));
    expectTooMany(
      await refusal(dave.client.api.contacts.request.mutate({ username: alice.username })),
      /too many contact requests/,
    );
    expect((await alice.client.api.contacts.requests.query()).incoming).toEqual([]);
    dave.client.close();
  });

  it('searches', async () => {
    for (let i = 0; i < 3; i++) await carol.client.api.search.messages.query({ q: 'flood' });
    expectTooMany(await refusal(carol.client.api.search.messages.query({ q: 'flood' })), /searching too fast/);
    // Another user searches freely.
    await bob.client.api.search.messages.query({ q: 'flood' });
  });

  it('uploads: 429 with Retry-After, before the body is read', async () => {
    const png = await solid(8, 8).png().toBuffer();
    expect((await upload(t.url, carol, chatId, png)).status).toBe(201);
    expect((await upload(t.url, carol, chatId, png)).status).toBe(201);
    const res = await fetch(`${t.url}/api/uploads?chatId=${chatId}`, {
      method: 'POST',
      headers: { cookie: cookieOf(carol.client), 'content-type': 'application/octet-stream' },
      body: new Uint8Array(png),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/uploaded too many/);
    expect((await upload(t.url, bob, chatId, png)).status).toBe(201);
  });

  it('groups created, and profile changes', async () => {
    const erin = await makeUser(t.url);
    for (let i = 0; i < 3; i++) await erin.client.api.groups.create.mutate({ name: `g${i}`, userIds: [] });
    expectTooMany(
      await refusal(erin.client.api.groups.create.mutate({ name: 'one more', userIds: [] })),
      /created too many groups/,
    );
    expect(await erin.client.api.chats.list.query()).toHaveLength(3);
    await erin.client.api.profiles.update.mutate({ about: 'one' });
    await erin.client.api.profiles.update.mutate({ about: 'two' });
    expectTooMany(await refusal(erin.client.api.profiles.update.mutate({ about: 'three' })), /profile too fast/);
    expect((await erin.client.api.profiles.me.query()).about).toBe('two');
    erin.client.close();
  });

  it('registrations per address: another address is not held back', async () => {
    const register = (address: string) =>
      fetch(`${t.url}/trpc/auth.register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
        body: JSON.stringify({ json: { username: uniqueName(), password: PASSWORD, passwordRepeat: PASSWORD } }),
      });
    for (let i = 0; i < 6; i++) expect((await register('203.0.113.7')).status).toBe(200);
    const refused = await register('203.0.113.7');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await register('198.51.100.20')).status).toBe(200);
  });

  it('a refused sign-in says the same for an unknown user and a wrong password (code, message, status)', async () => {
    const c = createChatClient({ url: t.url });
    const wrong = await refusal(c.api.auth.login.mutate({ username: alice.username, password: 'wrong password' }));
    const unknown = await refusal(c.api.auth.login.mutate({ username: uniqueName('nobody'), password: PASSWORD }));
    expect(wrong).toEqual(unknown);
    expect(wrong).toMatchObject({ code: 'UNAUTHORIZED', message: 'Wrong username or password.' });
  });
});
