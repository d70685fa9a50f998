/**
 * Security suite, the HTTP surface: headers on every answer, no caching of
 * API answers, HSTS and Secure cookies when the public origin is https, and
 * cross-site requests refused: form posts of each content type, foreign
 * Origins and Sec-Fetch-Site on queries, mutations, SSE, uploads and the
 * WebSocket upgrade.
 */
import { users } from '@chat/db';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, PASSWORD, type Person, uniqueName } from './clients';
import { startTestServer, type TestServer } from './harness';
import { solid } from './images';
import { makeGroup } from './people';
import { cookieOf, upgradeStatus } from './raw';

const HTTPS_ORIGIN = 'https://chat.example.test';
let t: TestServer;
let https: TestServer;
let alice: Person;
let bob: Person;
let chatId: string;

beforeAll(async () => {
  [t, https] = await Promise.all([startTestServer(), startTestServer({ env: { PUBLIC_ORIGIN: HTTPS_ORIGIN } })]);
  [alice, bob] = await Promise.all([makeUser(t.url), makeUser(t.url)]);
  chatId = await makeGroup(alice, [bob]);
});
afterAll(async () => {
  alice?.client.close();
  bob?.client.close();
  await Promise.all([t?.stop(), https?.stop()]);
});

async function userCount(server: TestServer): Promise<number> {
  const [row] = await server.server.deps.db.select({ n: count() }).from(users);
  return row?.n ?? -1;
}

async function messageCount(): Promise<number> {
  const history = await alice.client.api.message.history.query({ chatId });
  return history.messages.length;
}

describe('headers', () => {
  it.each(['/', '/login', '/healthz', '/trpc/auth.me', '/api/images/00000000-0000-4000-8000-000000000000'])(
    '%s carries CSP, nosniff, Referrer-Policy and frame denial',
    async (path) => {
      const res = await fetch(`${t.url}${path}`, { headers: { accept: 'text/html', cookie: cookieOf(alice.client) } });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/default-src 'self'|default-src 'none'/);
      if (!path.startsWith('/api/images')) {
        expect(csp).toContain("script-src 'self'");
        expect(csp).not.toContain('unsafe-inline');
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toMatch(/img-src [^;]*blob:/);
      }
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('strict-transport-security')).toBeNull();
    },
  );

  it('API answers are never cached', async () => {
    const me = await fetch(`${t.url}/trpc/auth.me`, { headers: { cookie: cookieOf(alice.client) } });
    expect(me.headers.get('cache-control')).toBe('no-store, no-transform');
    const input = encodeURIComponent(JSON.stringify({ json: { lastEventId: null } }));
    const controller = new AbortController();
    const sse = await fetch(`${t.url}/trpc/events.stream?input=${input}`, {
      headers: { cookie: cookieOf(alice.client) },
      signal: controller.signal,
    });
    expect(sse.headers.get('cache-control')).toContain('no-store');
    controller.abort();
    const upload = await fetch(`${t.url}/api/uploads?chatId=${chatId}`, {
      method: 'POST',
      headers: { cookie: cookieOf(alice.client), 'content-type': 'application/octet-stream' },
      body: new Uint8Array(await solid(8, 8).png().toBuffer()),
    });
    expect(upload.status).toBe(201);
    expect(upload.headers.get('cache-control')).toBe('no-store');
  });

  it('over https (PUBLIC_ORIGIN): HSTS on every answer and a Secure cookie', async () => {
    const health = await fetch(`${https.url}/healthz`);
    expect(health.headers.get('strict-transport-security')).toBe('max-age=31536000');
    const res = await fetch(`${https.url}/trpc/auth.register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: HTTPS_ORIGIN },
      body: JSON.stringify({ json: { username: uniqueName(), password: PASSWORD, passwordRepeat: PASSWORD } }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie()[0] ?? '';
    expect(cookie.split(';').map((a) => a.trim().toLowerCase())).toContain('secure');
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
  });

  it('with PUBLIC_ORIGIN set, only that exact origin may call (not the http one, not the host seen)', async () => {
    const before = await userCount(https);
    for (const origin of ['http://chat.example.test', new URL(https.url).origin, 'https://evil.example']) {
      const res = await fetch(`${https.url}/trpc/auth.register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ json: { username: uniqueName(), password: PASSWORD, passwordRepeat: PASSWORD } }),
      });
      expect(res.status).toBe(403);
    }
    expect(await userCount(https)).toBe(before);
  });
});

const FORM_BODIES: [string, () => { body: BodyInit; type?: string }][] = [
  ['text/plain', () => ({ body: '{"json":{"x":1}}', type: 'text/plain;charset=UTF-8' })],
  ['application/x-www-form-urlencoded', () => ({ body: new URLSearchParams({ json: '{}' }) })],
  [
    'multipart/form-data',
    () => {
      const form = new FormData();
      form.set('json', '{}');
      return { body: form };
    },
  ],
];

describe('cross-site requests', () => {
  describe.each(FORM_BODIES)('a form post as %s', (_type, make) => {
    const post = async (path: string, body: unknown, origin?: string) => {
      const form = make();
      // The form's fields carry a valid tRPC body where the type allows it.
      const text = typeof form.body === 'string' ? JSON.stringify({ json: body }) : form.body;
      return fetch(`${t.url}${path}`, {
        method: 'POST',
        headers: {
          cookie: cookieOf(alice.client),
          ...(form.type ? { 'content-type': form.type } : {}),
          ...(origin ? { origin } : {}),
        },
        body: text,
      });
    };

    it('is refused from a foreign origin, from a browser sending no Origin, and even from our own', async () => {
      const username = uniqueName();
      const users = await userCount(t);
      const messages = await messageCount();
      const register = { username, password: PASSWORD, passwordRepeat: PASSWORD };
      const send = { id: crypto.randomUUID(), chatId, body: 'forged' };
      expect((await post('/trpc/auth.register', register, 'https://evil.example')).status).toBe(403);
      expect((await post('/trpc/message.send', send, 'https://evil.example')).status).toBe(403);
      expect((await post('/trpc/auth.register', register)).status).toBe(415);
      expect((await post('/trpc/message.send', send)).status).toBe(415);
      expect((await post('/trpc/message.send', send, new URL(t.url).origin)).status).toBe(415);
      expect((await post(`/api/uploads?chatId=${chatId}`, {}, 'https://evil.example')).status).toBe(403);
      expect((await post(`/api/uploads?chatId=${chatId}`, {})).status).toBe(415);
      expect(await userCount(t)).toBe(users);
      expect(await messageCount()).toBe(messages);
    });
  });

  it('a foreign Origin or Sec-Fetch-Site: cross-site / same-site is refused on queries, SSE and images', async () => {
    const cookie = cookieOf(alice.client);
    const input = encodeURIComponent(JSON.stringify({ json: { lastEventId: null } }));
    const foreign: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of foreign) {
      for (const path of ['/trpc/auth.me', `/trpc/events.stream?input=${input}`, '/api/images/x']) {
        const res = await fetch(`${t.url}${path}`, { headers: { cookie, ...headers } });
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
        await res.body?.cancel();
      }
    }
    const ok = await fetch(`${t.url}/trpc/auth.me`, {
      headers: { cookie, 'sec-fetch-site': 'same-origin', origin: new URL(t.url).origin },
    });
    expect(ok.status).toBe(200);
  });

  it('a WebSocket upgrade from a foreign Origin or another site is refused, even with a valid session', async () => {
    const cookie = cookieOf(alice.client);
    expect(await upgradeStatus(t.url, { cookie, origin: new URL(t.url).origin })).toBe(101);
    expect(await upgradeStatus(t.url, { cookie, origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(t.url, { cookie, origin: 'null' })).toBe(403);
    expect(await upgradeStatus(t.url, { cookie, 'sec-fetch-site': 'same-site' })).toBe(403);
  });
});

describe('sizes', () => {
  it('refuses a request body over 1 MB and a batch of more than 50 calls', async () => {
    const big = await fetch(`${t.url}/trpc/message.send`, {
      method: 'POST',
      headers: { cookie: cookieOf(alice.client), 'content-type': 'application/json' },
      body: JSON.stringify({ json: { id: crypto.randomUUID(), chatId, body: 'x'.repeat(1_100_000) } }),
    });
    expect(big.status).toBe(413);
    const paths = Array.from({ length: 51 }, () => 'auth.me').join(',');
    const batch = await fetch(`${t.url}/trpc/${paths}?batch=1&input=${encodeURIComponent('{}')}`, {
      headers: { cookie: cookieOf(alice.client) },
    });
    expect(batch.status).toBe(400);
  });
});
