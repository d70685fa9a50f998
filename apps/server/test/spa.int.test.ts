import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness';

let t: TestServer;
let dist: string;
beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'chat-spa-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>chat</title><div id="app"></div>');
  writeFileSync(join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
  t = await startTestServer({ env: { WEB_DIST: dist } });
});
afterAll(async () => {
  await t?.stop();
  rmSync(dist, { recursive: true, force: true });
});

describe('serving the SPA', () => {
  it.each(['/', '/login', '/chats/@alice', '/groups/123/messages/456', '/search?q=x'])(
    'answers the client route %s with index.html',
    async (path) => {
      const res = await fetch(`${t.url}${path}`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(await res.text()).toContain('<div id="app">');
    },
  );

  it('serves assets with a long cache, and a missing asset is a 404, not index.html', async () => {
    const ok = await fetch(`${t.url}/assets/app-1234.js`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toContain('immutable');
    const missing = await fetch(`${t.url}/assets/missing.js`, { headers: { accept: 'text/html' } });
    expect(missing.status).toBe(404);
  });
});
