import { createServer } from 'node:net';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, watchPage } from './browser';
import { expectTransport, freshUsername, registerViaApi } from './helpers';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Makes every WebSocket the pages of `context` open go elsewhere: `url.replace(RegExp(pattern), replacement)`. */
async function redirectWebSockets(context: BrowserContext, pattern: string, replacement: string): Promise<void> {
  await context.addInitScript(
    (rule) => {
      const Real = window.WebSocket;
      window.WebSocket = class extends Real {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(String(url).replace(new RegExp(rule.pattern), rule.replacement), protocols);
        }
      };
    },
    { pattern, replacement },
  );
}

describe('the event stream transport', () => {
  it('uses SSE when ?transport=sse asks for it, and remembers it until ?transport=auto', async () => {
    const context = await newContext(browser, server.url);
    const username = freshUsername();
    await registerViaApi(context, username);
    const page = await context.newPage();
    const problems = watchPage(page);
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));

    await page.goto('/?transport=sse');
    await page
      .getByTestId('user-menu')
      .filter({ hasText: `@${username}` })
      .waitFor();
    await expectTransport(page, 'SSE');
    expect(sockets).toEqual([]);

    await page.goto('/contacts');
    await expectTransport(page, 'SSE');
    await page.goto('/contacts?transport=auto');
    await expectTransport(page, 'WebSocket');

    expect(problems.uncaught).toEqual([]);
    await context.close();
  });

  it('falls back to SSE when the WebSocket upgrade is refused', async () => {
    const context = await newContext(browser, server.url);
    await registerViaApi(context, freshUsername());
    // As behind a proxy that does not pass WebSockets: the server answers the upgrade with 404.
    await redirectWebSockets(context, '/trpc$', '/no-websockets-here');
    const page = await context.newPage();
    const problems = watchPage(page);

    await page.goto('/');
    await expectTransport(page, 'SSE');

    expect(problems.uncaught).toEqual([]);
    await context.close();
  });

  it('falls back to SSE when the WebSocket never opens', async () => {
    // Accepts the TCP connection and never answers the upgrade.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const context = await newContext(browser, server.url);
      await registerViaApi(context, freshUsername());
      await redirectWebSockets(context, '^.*$', `ws://127.0.0.1:${port}/trpc`);
      const page = await context.newPage();
      await page.goto('/');
      await expectTransport(page, 'Connecting…');
      await expectTransport(page, 'SSE');
      await context.close();
    } finally {
      silent.close();
    }
  });

  it('polls events.poll when ?transport=poll turns streaming off, with no stream opened', async () => {
    const context = await newContext(browser, server.url);
    await registerViaApi(context, freshUsername());
    const page = await context.newPage();
    const problems = watchPage(page);
    const sockets: string[] = [];
    const streams: string[] = [];
    const polls: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    page.on('request', (request) => {
      if (request.url().includes('events.stream')) streams.push(request.url());
      if (request.url().includes('events.poll')) polls.push(request.url());
    });

    await page.goto('/?transport=poll');
    await expectTransport(page, 'Polling');
    await page.getByText('Polling was chosen').waitFor();
    // Every ~3 s, resuming from the last position it was given.
    await expect.poll(() => polls.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    expect(decodeURIComponent(polls.at(-1) ?? '')).toMatch(/"lastEventId":"[^"]+"/);
    expect(sockets).toEqual([]);
    expect(streams).toEqual([]);

    await page.goto('/?transport=auto');
    await expectTransport(page, 'WebSocket');
    expect(problems.uncaught).toEqual([]);
    await context.close();
  });
});
