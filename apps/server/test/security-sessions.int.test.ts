/**
 * Security suite, sessions: cookie flags, a new session id at every sign-in,
 * ending sessions (sign-out, password change, "sign out" from the settings
 * page) refusing the old cookie on HTTP, WebSocket and SSE and closing its
 * open streams within a second, and idle and absolute expiry on a clock the
 * test moves.
 */
import { randomUUID } from 'node:crypto';
import { type ChatClient, createChatClient, signIn } from '@chat/api/client';
import { AdvancingClock } from '@chat/api/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './burst';
import { makeUser, PASSWORD, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { cookieOf, openSocket, openSse, refusal, upgradeStatus } from './raw';

const HOUR = 60 * 60 * 1000;
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';

const clock = new AdvancingClock();
let t: TestServer;
const clients: ChatClient[] = [];

beforeAll(async () => {
  t = await startTestServer({
    clock,
    env: { SESSION_IDLE_DAYS: '1', SESSION_MAX_DAYS: '3' },
    rateLimits: { 'login.account': { points: 3, seconds: 900 } },
  });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await t?.stop();
});

async function person(): Promise<Person> {
  const p = await makeUser(t.url, { prefix: 'sess' });
  clients.push(p.client);
  return p;
}

/** A second session of the same user (another device). */
async function secondDevice(p: Person, password = PASSWORD): Promise<ChatClient> {
  const c = await signIn({ url: t.url, username: p.username, password });
  clients.push(c);
  return c;
}

/** Whether the cookie still opens anything: HTTP, a WebSocket, an SSE stream. */
async function stillWorks(cookie: string) {
  const http = (await createChatClient({ url: t.url, cookie }).api.auth.me.query()) !== null;
  const ws = (await upgradeStatus(t.url, { cookie })) === 101;
  const sse = await openSse(t.url, cookie);
  await until(() => sse.text().length > 0 || sse.status !== 200, 'an SSE answer');
  const streams = sse.status === 200 && !sse.text().includes('UNAUTHORIZED');
  sse.abort();
  return { http, ws, sse: streams };
}

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Lax, Path=/, lasts the absolute lifetime, and is not Secure over http', async () => {
    const username = `cookie_${Date.now().toString(36)}`;
    const res = await fetch(`${t.url}/trpc/auth.register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { username, password: PASSWORD, passwordRepeat: PASSWORD } }),
    });
    expect(res.status).toBe(200);
    const [cookie] = res.headers.getSetCookie();
    expect(cookie).toMatch(/^chat_session=[a-z0-9]{20,};/);
    const attributes = (cookie ?? '').split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=lax');
    expect(attributes).toContain('path=/');
    expect(attributes).toContain(`max-age=${3 * 24 * 3600}`);
    expect(attributes).not.toContain('secure');
  });
});

describe('signing in', () => {
  it('gives a new session id, and the one the browser came with is refused everywhere', async () => {
    const alice = await person();
    const before = cookieOf(alice.client);
    await alice.client.api.auth.login.mutate({ username: alice.username, password: PASSWORD });
    const after = cookieOf(alice.client);
    expect(after).toMatch(/^chat_session=/);
    expect(after).not.toBe(before);
    expect(await stillWorks(before)).toEqual({ http: false, ws: false, sse: false });
    expect(await stillWorks(after)).toEqual({ http: true, ws: true, sse: true });
  });
});

type Ending = 'logout' | 'changePassword' | 'signOut' | 'signOutOthers';

/** Ends session `victim` of `p` the given way, acting from `other` (another session of p) where it takes one. */
async function end(how: Ending, victim: ChatClient, other: ChatClient): Promise<void> {
  if (how === 'logout') await victim.api.auth.logout.mutate();
  else if (how === 'changePassword') {
    await other.api.account.changePassword.mutate({ current: PASSWORD, next: 'a brand new passphrase' });
  } else if (how === 'signOutOthers') await other.api.account.signOutOthers.mutate();
  else {
    const sessions = await other.api.account.sessions.query();
    const target = sessions.find((s) => !s.current);
    if (!target) throw new Error('no other session listed');
    await other.api.account.signOut.mutate({ sessionId: target.id });
  }
}

describe('ending a session', () => {
  it.each<Ending>(['logout', 'changePassword', 'signOut', 'signOutOthers'])(
    '%s: the old cookie is refused on HTTP, WebSocket and SSE, and its open streams close within a second',
    async (how) => {
      const alice = await person();
      const victim = alice.client;
      const other = await secondDevice(alice);
      const cookie = cookieOf(victim);

      const socket = await openSocket(t.url, cookie);
      socket.subscribe(1);
      await socket.next((m) => m.result?.data?.json?.data?.type === 'stream.ready');
      const sse = await openSse(t.url, cookie);
      await until(() => sse.text().includes('stream.ready'), 'the SSE stream to start');

      await end(how, victim, other);
      const endedAt = Date.now();

      const closed = await socket.closed;
      expect(closed.code).toBe(4401);
      expect(closed.at - endedAt).toBeLessThan(1_000);
      expect(socket.messages.some((m) => m.result?.data?.json?.data?.type === 'session.ended')).toBe(true);
      const sseEnded = await sse.ended;
      expect(sseEnded - endedAt).toBeLessThan(1_000);
      expect(sse.text()).toContain('session.ended');

      expect(await stillWorks(cookie)).toEqual({ http: false, ws: false, sse: false });
      // The session that acted is untouched.
      expect(await stillWorks(cookieOf(other))).toEqual({ http: true, ws: true, sse: true });
    },
  );

  it.each<Ending>(['logout', 'changePassword', 'signOut', 'signOutOthers'])(
    '%s: a send right after, by a session the server validated a moment ago, is refused and stores nothing',
    async (how) => {
      // The first send's validation is remembered for a minute: the second is
      // not looked up again, its statement finds the session gone (authedProcedure with meta.checksSession).
      const alice = await person();
      const other = await secondDevice(alice);
      const cookie = cookieOf(alice.client);
      const group = await alice.client.api.groups.create.mutate({ name: 'Notes', userIds: [] });
      await alice.client.api.message.send.mutate({ id: randomUUID(), chatId: group.id, body: 'before' });
      await end(how, alice.client, other);
      const stale = createChatClient({ url: t.url, cookie });
      clients.push(stale);
      const refused = await refusal(
        stale.api.message.send.mutate({ id: randomUUID(), chatId: group.id, body: 'after' }),
      );
      expect(refused).toMatchObject({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
      const page = await other.api.message.history.query({ chatId: group.id });
      // What was written (not the group's lines about itself).
      expect(page.messages.filter((m) => !m.system).map((m) => m.body)).toEqual(['before']);
    },
  );

  it.each<Ending>(['logout', 'changePassword', 'signOut', 'signOutOthers'])(
    '%s: a socket that carries no stream is closed too (4401) within a second; the other session keeps its own',
    async (how) => {
      const alice = await person();
      const other = await secondDevice(alice);
      const bare = await openSocket(t.url, cookieOf(alice.client));
      const kept = await openSocket(t.url, cookieOf(other));
      const me = { method: 'query', params: { path: 'auth.me', input: { json: null } } };
      bare.send({ id: 1, ...me });
      await bare.next((m) => m.id === 1 && m.result?.type === 'data');

      await end(how, alice.client, other);
      const endedAt = Date.now();
      const closed = await Promise.race([bare.closed, new Promise<null>((r) => setTimeout(r, 3_000, null))]);
      expect(closed?.code).toBe(4401);
      expect((closed?.at ?? Number.POSITIVE_INFINITY) - endedAt).toBeLessThan(1_000);
      kept.send({ id: 2, ...me });
      await kept.next((m) => m.id === 2 && m.result?.type === 'data');
      kept.close();
    },
  );

  it('closes a socket opened before its session ended, and starts no stream on it', async () => {
    const alice = await person();
    const other = await secondDevice(alice);
    const socket = await openSocket(t.url, cookieOf(alice.client));
    await other.api.account.signOutOthers.mutate();
    // Closed by the session's end, or (asked first) the stream's opening statement finds the session gone.
    socket.subscribe(7);
    const closed = await socket.closed;
    expect(closed.code).toBe(4401);
    expect(socket.messages.some((m) => m.id === 7 && m.result?.data !== undefined)).toBe(false);
  });

  it('refuses a new stream on a socket opened before its session ended, after a stream there began', async () => {
    // The socket's first stream is checked against the session in the snapshot it starts from; the ending
    // commits between the two streams, so the second must find the session gone.
    const alice = await person();
    const other = await secondDevice(alice);
    const socket = await openSocket(t.url, cookieOf(alice.client));
    socket.subscribe(8);
    await socket.next((m) => m.id === 8 && m.result?.data?.json?.data?.type === 'stream.ready');
    socket.subscribe(9);
    await socket.next((m) => m.id === 9 && m.result?.data?.json?.data?.type === 'stream.ready');
    await other.api.account.signOutOthers.mutate();
    const closed = await socket.closed;
    expect(closed.code).toBe(4401);
    expect(socket.messages.filter((m) => m.result?.data?.json?.data?.type === 'session.ended').length).toBe(2);
  });

  it('after a password change only the new password signs in', async () => {
    const alice = await person();
    await alice.client.api.account.changePassword.mutate({ current: PASSWORD, next: 'another long passphrase' });
    expect(await alice.client.api.auth.me.query()).toMatchObject({ username: alice.username });
    const c = createChatClient({ url: t.url });
    const old = await refusal(c.api.auth.login.mutate({ username: alice.username, password: PASSWORD }));
    expect(old).toMatchObject({ code: 'UNAUTHORIZED', message: 'Wrong username or password.' });
    await c.api.auth.login.mutate({ username: alice.username, password: 'another long passphrase' });
  });

  it('refuses a wrong current password (changing nothing) and throttles guessing it', async () => {
    const alice = await person();
    const other = await secondDevice(alice);
    const wrong = await refusal(
      alice.client.api.account.changePassword.mutate({ current: 'not my password', next: 'whatever long one' }),
    );
    expect(wrong).toMatchObject({
      code: 'BAD_REQUEST',
      field: 'current',
      message: 'Your current password is not right.',
    });
    expect(await other.api.auth.me.query()).not.toBeNull();
    await secondDevice(alice); // the password is unchanged, and a success clears the count
    const same = await refusal(alice.client.api.account.changePassword.mutate({ current: PASSWORD, next: PASSWORD }));
    expect(same).toMatchObject({ code: 'BAD_REQUEST', field: 'next' });
    for (let i = 0; i < 3; i++) {
      await refusal(
        alice.client.api.account.changePassword.mutate({ current: `guess ${i}`, next: 'whatever long one' }),
      );
    }
    const throttled = await refusal(
      alice.client.api.account.changePassword.mutate({ current: PASSWORD, next: 'whatever long one' }),
    );
    expect(throttled.code).toBe('TOO_MANY_REQUESTS');
    expect(throttled.retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe('the sessions list', () => {
  it('shows device, address, created, last active and which is current; never a session id', async () => {
    const alice = await person();
    const res = await fetch(`${t.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': FIREFOX },
      body: JSON.stringify({ json: { username: alice.username, password: PASSWORD } }),
    });
    const firefoxCookie = (res.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    const list = await alice.client.api.account.sessions.query();
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ current: true, device: 'node', ipAddress: '127.0.0.1' });
    expect(list[1]).toMatchObject({ current: false, device: 'Firefox on Windows', userAgent: FIREFOX });
    for (const s of list) {
      expect(s.createdAt).toBeInstanceOf(Date);
      expect(s.lastActiveAt).toBeInstanceOf(Date);
      expect(firefoxCookie).not.toContain(s.id);
      expect(cookieOf(alice.client)).not.toContain(s.id);
    }
  });

  it('refuses to sign out a session that is not one of yours, and changes nothing', async () => {
    const alice = await person();
    const bob = await person();
    const [bobs] = await bob.client.api.account.sessions.query();
    const r = await refusal(alice.client.api.account.signOut.mutate({ sessionId: bobs?.id ?? '' }));
    expect(r).toMatchObject({ code: 'NOT_FOUND', message: 'That session has already ended.' });
    expect(await bob.client.api.auth.me.query()).not.toBeNull();
  });

  it('signing out the current session clears its cookie', async () => {
    const alice = await person();
    const [mine] = await alice.client.api.account.sessions.query();
    await alice.client.api.account.signOut.mutate({ sessionId: mine?.id ?? '' });
    expect(alice.client.cookie()).toBeNull();
  });
});

describe('expiry (idle 1 day, absolute 3 days, on a clock the test moves)', () => {
  it('ends a session unused for a day; each use renews it', async () => {
    const alice = await person();
    const cookie = cookieOf(alice.client);
    clock.advance(23 * HOUR);
    expect(await alice.client.api.auth.me.query()).not.toBeNull();
    clock.advance(23 * HOUR);
    expect(await alice.client.api.auth.me.query()).not.toBeNull();
    const [listed] = await alice.client.api.account.sessions.query();
    expect(listed?.lastActiveAt.getTime()).toBeGreaterThan(clock.now().getTime() - 60_000);
    clock.advance(24 * HOUR + 60_000);
    expect(await stillWorks(cookie)).toEqual({ http: false, ws: false, sse: false });
  });

  it('refuses a new stream on a socket whose session ran out of time after the upgrade', async () => {
    const alice = await person();
    const socket = await openSocket(t.url, cookieOf(alice.client));
    clock.advance(24 * HOUR + 60_000);
    socket.subscribe(3);
    const answer = await socket.next((m) => m.id === 3 && m.error !== undefined);
    expect(answer.error?.json?.data?.code).toBe('UNAUTHORIZED');
    socket.close();
  });

  it('ends a session three days after sign-in however much it is used', async () => {
    const alice = await person();
    const cookie = cookieOf(alice.client);
    for (let h = 0; h < 72 - 20; h += 20) {
      clock.advance(20 * HOUR);
      expect(await alice.client.api.auth.me.query()).not.toBeNull();
    }
    clock.advance(20 * HOUR); // 80 hours in, last used 20 hours ago
    expect(await stillWorks(cookie)).toEqual({ http: false, ws: false, sse: false });
  });

  it('lists only sessions that have not expired', async () => {
    const alice = await person();
    const other = await secondDevice(alice);
    clock.advance(20 * HOUR);
    expect(await other.api.auth.me.query()).not.toBeNull();
    clock.advance(20 * HOUR); // alice's first session: 40 hours unused
    const list = await other.api.account.sessions.query();
    expect(list.map((s) => s.current)).toEqual([true]);
  });
});
