/**
 * The proxy harness itself (proxy.ts), proved against the real server before
 * the transport tests rely on it: in the restrictive modes nginx answers a
 * WebSocket upgrade with 403; it passes the event stream as it comes while the
 * server's `X-Accel-Buffering: no` is heeded, and holds it back entirely in
 * `buffered`, where it ignores that header; a reload switches modes.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { type ProxyMode, startProxy, type TestProxy } from './proxy';

let server: TestServer;
let user: Person;
const proxies: TestProxy[] = [];

beforeAll(async () => {
  server = await startTestServer();
  user = await makeUser(server.url, { prefix: 'proxied' });
});

afterAll(async () => {
  user?.client.close();
  for (const proxy of proxies) await proxy.stop();
  await server?.stop();
});

async function proxy(mode: ProxyMode): Promise<TestProxy> {
  const started = await startProxy(server.url, mode);
  proxies.push(started);
  return started;
}

/** The status a WebSocket upgrade of /trpc gets through `base` (101 when it is let through). */
function upgradeStatus(base: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/trpc`, {
      agent: false,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        cookie,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the event stream over SSE through `base` and returns the status (0: no answer yet) and the body bytes read within `ms`. */
function sseBytesWithin(base: string, cookie: string, ms: number): Promise<{ status: number; body: string }> {
  const input = encodeURIComponent(JSON.stringify({ json: { lastEventId: null } }));
  return new Promise((resolve, reject) => {
    let status = 0;
    let body = '';
    const req = request(`${base}/trpc/events.stream?input=${input}`, {
      agent: false,
      // As browsers and fetch ask: the buffering proxy holds back what it compresses.
      headers: { accept: 'text/event-stream', 'accept-encoding': 'gzip, deflate', cookie },
    });
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      res.setEncoding('latin1');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
    });
    setTimeout(() => {
      req.destroy();
      resolve({ status, body });
    }, ms);
    req.on('error', (error) => {
      if (!req.destroyed) reject(error);
    });
    req.end();
  });
}

describe('the nginx proxy harness', () => {
  it('refuses WebSocket upgrades with 403 when told to, and passes them when open', async () => {
    const cookie = user.client.cookie() ?? '';
    const open = await proxy('open');
    const blocking = await proxy('no-websocket');
    const buffering = await proxy('buffered');
    expect(await upgradeStatus(open.url, cookie)).toBe(101);
    expect(await upgradeStatus(blocking.url, cookie)).toBe(403);
    expect(await upgradeStatus(buffering.url, cookie)).toBe(403);
    await expect.poll(() => blocking.accessLog()).toContain('403 GET /trpc upgrade=websocket');
    // Plain requests go through in every mode.
    const health = await fetch(`${buffering.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('streams SSE as it comes when the server asks it not to buffer, and holds it all back in buffered mode', async () => {
    const cookie = user.client.cookie() ?? '';
    const blocking = await proxy('no-websocket');
    const buffering = await proxy('buffered');
    const passed = await sseBytesWithin(blocking.url, cookie, 1_000);
    expect(passed.status).toBe(200);
    expect(passed.body).toContain('event: connected');
    // Not a byte, not even the status line, for longer than the client waits before it polls instead.
    expect(await sseBytesWithin(buffering.url, cookie, 6_000)).toEqual({ status: 0, body: '' });
  });

  it('switches mode on reload: a lifted block lets the next upgrade through', async () => {
    const cookie = user.client.cookie() ?? '';
    const switching = await proxy('no-websocket');
    expect(await upgradeStatus(switching.url, cookie)).toBe(403);
    await switching.setMode('open');
    expect(switching.mode()).toBe('open');
    expect(await upgradeStatus(switching.url, cookie)).toBe(101);
    await switching.setMode('buffered');
    expect(await sseBytesWithin(switching.url, cookie, 2_000)).toEqual({ status: 0, body: '' });
  });
});
