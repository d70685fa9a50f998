import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness';

let t: TestServer;
let dist: string;
const SCRIPT = `console.log(${JSON.stringify('compressible '.repeat(500))});`;

/** GET with exactly these headers (fetch would add its own Accept-Encoding and undo the encoding). */
function get(
  url: string,
  headers: Record<string, string>,
): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}
beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'chat-spa-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>chat</title><div id="app"></div>');
  writeFileSync(join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'big-5678.js'), SCRIPT);
  writeFileSync(join(dist, 'assets', 'big-5678.js.br'), brotliCompressSync(SCRIPT));
  writeFileSync(join(dist, 'assets', 'big-5678.js.gz'), gzipSync(SCRIPT));
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

  it('sends the precompressed copy the browser accepts, and the file as it is to one that accepts none', async () => {
    const br = await get(`${t.url}/assets/big-5678.js`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('Accept-Encoding');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.body.length).toBeLessThan(SCRIPT.length / 10);
    expect(brotliDecompressSync(br.body).toString()).toBe(SCRIPT);
    const gz = await get(`${t.url}/assets/big-5678.js`, { 'accept-encoding': 'gzip, deflate' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await get(`${t.url}/assets/big-5678.js`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(SCRIPT);
  });
});
