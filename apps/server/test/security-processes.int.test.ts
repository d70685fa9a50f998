/**
 * Security suite, across processes: failed sign-ins are counted in the
 * database, so the limits per account and per address hold when an attacker
 * spreads attempts over two server processes; a session ended on one process
 * closes its sockets on the other. PGlite is one process by design
 * (NOTES.md), so there the same is shown for two clients of one server.
 */
import { createChatClient, signIn } from '@chat/api/client';
import { createTestDatabase, type TestDatabase } from '@chat/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, uniqueName } from './clients';
import { RELAXED_RATE_LIMITS_ENV, startTestServer, type TestServer } from './harness';
import { type ServerProcess, spawnServer } from './process';
import { openSocket, refusal } from './raw';

const onPostgres = process.env.TEST_DB === 'postgres';
/** Per account 4, per address 10 failures in 15 minutes. */
const LIMITS = `${RELAXED_RATE_LIMITS_ENV},login.account=4/900,login.address=10/900`;

let database: TestDatabase | undefined;
const processes: ServerProcess[] = [];
let single: TestServer | undefined;
let urls: [string, string];

beforeAll(async () => {
  if (onPostgres) {
    database = await createTestDatabase();
    processes.push(await spawnServer(database, undefined, { RATE_LIMITS: LIMITS, TRUST_PROXY: '1' }));
    processes.push(await spawnServer(database, undefined, { RATE_LIMITS: LIMITS, TRUST_PROXY: '1' }));
    urls = [processes[0]?.url ?? '', processes[1]?.url ?? ''];
  } else {
    single = await startTestServer({
      env: { TRUST_PROXY: '1' },
      rateLimits: { 'login.account': { points: 4, seconds: 900 }, 'login.address': { points: 10, seconds: 900 } },
    });
    urls = [single.url, single.url];
  }
}, 120_000);
afterAll(async () => {
  for (const p of processes) await p.kill('SIGTERM');
  await database?.drop();
  await single?.stop();
});

/** A sign-in from `address` (X-Forwarded-For: the servers trust one proxy). */
async function login(url: string, username: string, password: string, address: string) {
  const res = await fetch(`${url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ json: { username, password } }),
  });
  const body = (await res.json()) as { error?: { json: { message: string; data: { code: string } } } };
  return { status: res.status, code: body.error?.json.data.code ?? 'OK', retryAfter: res.headers.get('retry-after') };
}

async function register(url: string): Promise<string> {
  const username = uniqueName('victim');
  await createChatClient({ url }).api.auth.register.mutate({ username, password: PASSWORD, passwordRepeat: PASSWORD });
  return username;
}

describe(`failed sign-ins ${onPostgres ? 'across two server processes' : 'on one server (PGlite)'}`, () => {
  it('per account: failures on either process count together, from any address', async () => {
    const victim = await register(urls[0]);
    for (let i = 0; i < 4; i++) {
      const r = await login(urls[i % 2] as string, victim, 'wrong password', `203.0.113.${i + 1}`);
      expect(r.code).toBe('UNAUTHORIZED');
    }
    for (const url of urls) {
      // Even the right password is refused now, from a fresh address.
      const r = await login(url, victim, PASSWORD, '198.51.100.99');
      expect(r).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
    }
  });

  it('per address: failures against many accounts on either process count together', async () => {
    const address = '192.0.2.44';
    for (let i = 0; i < 10; i++) {
      const r = await login(urls[i % 2] as string, uniqueName('guess'), 'wrong password', address);
      expect(r.code).toBe('UNAUTHORIZED');
    }
    const owner = await register(urls[1]);
    for (const url of urls) {
      expect(await login(url, owner, PASSWORD, address)).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
    }
    // Another address signs the same account in.
    expect((await login(urls[0], owner, PASSWORD, '192.0.2.45')).code).toBe('OK');
  });

  it('the refusal is the same for an unknown user and a wrong password, on either process', async () => {
    const known = await register(urls[0]);
    const c = createChatClient({ url: urls[1] });
    const wrong = await refusal(c.api.auth.login.mutate({ username: known, password: 'nope nope nope' }));
    const unknown = await refusal(c.api.auth.login.mutate({ username: uniqueName('ghost'), password: 'nope' }));
    expect(wrong).toEqual(unknown);
  });
});

describe(`a session ended ${onPostgres ? 'on one process' : 'on one server (PGlite)'}`, () => {
  it('closes its WebSockets on the other, with a stream or without (4401)', async () => {
    const username = await register(urls[0]);
    const device = await signIn({ url: urls[1], username, password: PASSWORD });
    const cookie = device.cookie() ?? '';
    const bare = await openSocket(urls[1], cookie);
    const streaming = await openSocket(urls[1], cookie);
    streaming.subscribe(1);
    await streaming.next((m) => m.id === 1 && m.result?.data?.json?.data?.type === 'stream.ready');

    await createChatClient({ url: urls[0], cookie }).api.auth.logout.mutate();
    const timeout = new Promise<null>((r) => setTimeout(r, 3_000, null));
    const [bareClosed, streamClosed] = await Promise.all([
      Promise.race([bare.closed, timeout]),
      Promise.race([streaming.closed, timeout]),
    ]);
    expect(streamClosed?.code).toBe(4401);
    expect(bareClosed?.code).toBe(4401);
  });
});
