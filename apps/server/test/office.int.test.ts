/**
 * An office behind one NAT on its first morning (issue 24): 200 people
 * register from one address, and a morning's typos at sign-in, under the
 * default limits, are all let through.
 */
import { createChatClient } from '@chat/api/client';
import { RATE_LIMIT_DEFAULTS } from '@chat/api/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, uniqueName } from './clients';
import { startTestServer, type TestServer } from './harness';

let t: TestServer;
const OFFICE = '203.0.113.50';

beforeAll(async () => {
  t = await startTestServer({
    env: { TRUST_PROXY: '1' },
    rateLimits: { register: RATE_LIMIT_DEFAULTS.register, 'login.address': RATE_LIMIT_DEFAULTS['login.address'] },
  });
});
afterAll(async () => {
  await t?.stop();
});

const call = (path: string, json: object) =>
  fetch(`${t.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': OFFICE },
    body: JSON.stringify({ json }),
  });

describe('an office of 200 behind one address', () => {
  it('registers everyone, and a morning of typos at sign-in refuses nobody', async () => {
    const names = Array.from({ length: 200 }, () => uniqueName('office'));
    const statuses: number[] = [];
    for (let i = 0; i < names.length; i += 10) {
      const batch = names.slice(i, i + 10);
      const answers = await Promise.all(
        batch.map((username) => call('auth.register', { username, password: PASSWORD, passwordRepeat: PASSWORD })),
      );
      statuses.push(...answers.map((a) => a.status));
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    // One in three mistypes their password once, then signs in.
    for (const username of names.slice(0, 70)) {
      expect((await call('auth.login', { username, password: 'wrong horse battery' })).status).toBe(401);
    }
    for (const username of names.slice(0, 70)) {
      expect((await call('auth.login', { username, password: PASSWORD })).status).toBe(200);
    }
    const client = createChatClient({ url: t.url });
    expect(await client.api.auth.me.query()).toBeNull();
    client.close();
  }, 120_000);
});
