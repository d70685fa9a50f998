import { createChatClient } from '@chat/api/client';
import { users } from '@chat/db';
import { TRPCClientError } from '@trpc/client';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { collectStream, makeUser, PASSWORD, uniqueName } from './clients';
import { startTestServer, type TestServer } from './harness';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ rateLimits: { 'login.account': { points: 5, seconds: 900 } } });
});
afterAll(async () => {
  await t?.stop();
});

async function countUsers(name: string): Promise<number> {
  const rows = await t.server.deps.db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(sql`lower(${users.username}) = lower(${name})`);
  return rows[0]?.n ?? -1;
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string; field?: string }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    const data = error.data as { code: string; field?: string } | undefined;
    return { code: data?.code ?? 'UNKNOWN', message: error.message, field: data?.field };
  }
  throw new Error('expected the call to be refused');
}

/** Opens a raw WebSocket to /trpc and reports the upgrade's HTTP status (101 when accepted). */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/trpc`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', reject);
  });
}

describe('registration', () => {
  it('refuses mismatched passwords, and stores no user', async () => {
    const c = createChatClient({ url: t.url });
    const username = uniqueName();
    const r = await refusal(
      c.api.auth.register.mutate({ username, password: PASSWORD, passwordRepeat: `${PASSWORD}x` }),
    );
    expect(r).toMatchObject({
      code: 'BAD_REQUEST',
      field: 'passwordRepeat',
      message: 'The two passwords do not match.',
    });
    expect(await countUsers(username)).toBe(0);
  });

  it('refuses a username taken in another case', async () => {
    const c = createChatClient({ url: t.url });
    const username = uniqueName('Case');
    await c.api.auth.register.mutate({ username, password: PASSWORD, passwordRepeat: PASSWORD });
    const other = createChatClient({ url: t.url });
    const r = await refusal(
      other.api.auth.register.mutate({
        username: username.toUpperCase(),
        password: PASSWORD,
        passwordRepeat: PASSWORD,
      }),
    );
    expect(r).toMatchObject({ code: 'CONFLICT', field: 'username', message: 'That username is taken.' });
    expect(await countUsers(username)).toBe(1);
  });

  it('refuses a short password', async () => {
    const c = createChatClient({ url: t.url });
    const username = uniqueName();
    const r = await refusal(c.api.auth.register.mutate({ username, password: 'short', passwordRepeat: 'short' }));
    expect(r).toMatchObject({ code: 'BAD_REQUEST', field: 'password' });
    expect(r.message).toMatch(/at least 8 characters/);
    expect(await countUsers(username)).toBe(0);
  });

  it.each(['has space', 'semi;colon', '-leading', 'ab', 'ünïcode', 'x'.repeat(33)])(
    'refuses the username %j',
    async (username) => {
      const c = createChatClient({ url: t.url });
      const r = await refusal(c.api.auth.register.mutate({ username, password: PASSWORD, passwordRepeat: PASSWORD }));
      expect(r.code).toBe('BAD_REQUEST');
      expect(r.field).toBe('username');
      expect(r.message.length).toBeGreaterThan(10);
      expect(await countUsers(username)).toBe(0);
    },
  );

  it('signs the new user in', async () => {
    const alice = await makeUser(t.url);
    expect(await alice.client.api.auth.me.query()).toMatchObject({ username: alice.username });
    expect(alice.client.cookie()).toMatch(/^chat_session=/);
  });
});

describe('sign-in', () => {
  it('says the same thing for an unknown user and a wrong password', async () => {
    const alice = await makeUser(t.url);
    const c = createChatClient({ url: t.url });
    const wrong = await refusal(c.api.auth.login.mutate({ username: alice.username, password: 'wrong password' }));
    const unknown = await refusal(
      c.api.auth.login.mutate({ username: uniqueName('nobody'), password: 'wrong password' }),
    );
    expect(wrong).toEqual(unknown);
    expect(wrong).toMatchObject({ code: 'UNAUTHORIZED', message: 'Wrong username or password.' });
  });

  it('gives a new session id at every sign-in and ends the one the browser came with', async () => {
    const alice = await makeUser(t.url);
    const first = alice.client.cookie();
    await alice.client.api.auth.login.mutate({ username: alice.username.toUpperCase(), password: PASSWORD });
    const second = alice.client.cookie();
    expect(second).toMatch(/^chat_session=/);
    expect(second).not.toBe(first);
    const old = createChatClient({ url: t.url, cookie: first });
    expect(await old.api.auth.me.query()).toBeNull();
  });

  it('throttles failed sign-ins per account', async () => {
    const alice = await makeUser(t.url);
    const c = createChatClient({ url: t.url });
    for (let i = 0; i < 5; i++) {
      await refusal(c.api.auth.login.mutate({ username: alice.username, password: 'wrong password' }));
    }
    const r = await refusal(c.api.auth.login.mutate({ username: alice.username, password: PASSWORD }));
    expect(r.code).toBe('TOO_MANY_REQUESTS');
    expect(r.message).toMatch(/Too many failed sign-in attempts/);
  });
});

describe('sessions across HTTP, WebSocket and SSE', () => {
  it('streams over WebSocket and SSE, and refuses the old cookie everywhere after sign-out', async () => {
    const alice = await makeUser(t.url);
    const cookie = alice.client.cookie() ?? '';
    expect(await upgradeStatus(t.url, { cookie })).toBe(101);

    const sse = createChatClient({ url: t.url, transport: 'sse', cookie });
    const wsStream = collectStream(alice.client);
    const sseStream = collectStream(sse);
    await wsStream.until((items) => items.some((i) => i.type === 'stream.ready'));
    await sseStream.until((items) => items.some((i) => i.type === 'stream.ready'));

    await alice.client.api.auth.logout.mutate();
    expect(alice.client.cookie()).toBeNull();

    // Both open streams hear that their session ended.
    await wsStream.until((items) => items.some((i) => i.type === 'session.ended'));
    await sseStream.until((items) => items.some((i) => i.type === 'session.ended'));
    wsStream.unsubscribe();
    sseStream.unsubscribe();

    const stale = createChatClient({ url: t.url, cookie });
    expect(await stale.api.auth.me.query()).toBeNull();
    expect((await refusal(stale.api.auth.logout.mutate())).code).toBe('UNAUTHORIZED');
    expect(await upgradeStatus(t.url, { cookie })).toBe(401);

    const staleSse = createChatClient({ url: t.url, transport: 'sse', cookie });
    const refused = collectStream(staleSse);
    await expect(refused.until(() => false, 5_000)).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    refused.unsubscribe();
    alice.client.close();
    sse.close();
  });

  it('refuses a WebSocket upgrade without a session', async () => {
    expect(await upgradeStatus(t.url, {})).toBe(401);
  });

  it('refuses a WebSocket upgrade from a foreign Origin, even with a valid session', async () => {
    const alice = await makeUser(t.url);
    const cookie = alice.client.cookie() ?? '';
    const host = new URL(t.url).host;
    expect(await upgradeStatus(t.url, { cookie, origin: `http://${host}` })).toBe(101);
    expect(await upgradeStatus(t.url, { cookie, origin: 'https://evil.example' })).toBe(403);
  });

  it('refuses a state-changing request from a foreign Origin and changes nothing', async () => {
    const username = uniqueName();
    const res = await fetch(`${t.url}/trpc/auth.register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ json: { username, password: PASSWORD, passwordRepeat: PASSWORD } }),
    });
    expect(res.status).toBe(403);
    expect(await countUsers(username)).toBe(0);
  });
});

describe('the HTTP surface', () => {
  it('reports database reachability at /healthz', async () => {
    const res = await fetch(`${t.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'up' });
  });
});
