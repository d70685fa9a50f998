import { createServer } from 'node:net';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshotWidths, newContext, watchPage } from './browser';
import { expectTransport, freshUsername, mutateViaApi, registerViaApi } from './helpers';

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

/**
 * As behind a proxy that does not pass WebSockets (the server answers the
 * upgrade with 404), until the page sets `window.__letWebSocketsThrough`.
 */
async function blockWebSockets(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Real = window.WebSocket;
    window.WebSocket = class extends Real {
      constructor(url: string | URL, protocols?: string | string[]) {
        const through = (window as unknown as { __letWebSocketsThrough?: boolean }).__letWebSocketsThrough;
        super(through ? url : String(url).replace(/\/trpc$/, '/no-websockets-here'), protocols);
      }
    };
  });
}

/** As behind a proxy that buffers whole responses: the SSE stream's request is held and never answered. */
const STREAM_REQUESTS = /\/trpc\/events\.stream/;
const holdStreams = (context: BrowserContext) => context.route(STREAM_REQUESTS, () => {});

/** Someone else, in a context of their own (to be sent a contact request). */
async function registerOther() {
  const other = await newContext(browser, server.url);
  const user = await registerViaApi(other, freshUsername());
  await other.close();
  return user;
}

const transportOf = (page: Page) => page.getByTestId('transport').getAttribute('data-transport');

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
    await page.getByText('Your network blocks WebSocket.').waitFor();
    expect(await transportOf(page)).toBe('sse');

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

  it('long-polls events.poll when ?transport=poll forces it, with no stream opened', async () => {
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
      if (request.url().includes('events.poll')) polls.push(decodeURIComponent(request.url()));
    });

    const routeBefore = server.server.pollRouteAnswers();
    await page.goto('/?transport=poll');
    await expectTransport(page, 'Polling');
    await page.getByText('Forced with').waitFor();
    // The first poll is answered at once; the next is held by the server, from the position it was given.
    await expect.poll(() => polls.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(polls.at(-1)).toMatch(/"lastEventId":"[^"]+"/);
    expect(polls.at(-1)).toMatch(/"waitMs":25000/);
    // An event answers the held poll, and the next is asked at once.
    const before = polls.length;
    await mutateViaApi(context, 'contacts.request', { username: (await registerOther()).username });
    await expect.poll(() => polls.length, { timeout: 5_000 }).toBeGreaterThan(before);
    // Every one of them answered by the server's own poll route, none left to tRPC's adapter.
    await expect.poll(() => server.server.pollRouteAnswers() - routeBefore, { timeout: 5_000 }).toBe(polls.length);
    expect(sockets).toEqual([]);
    expect(streams).toEqual([]);

    await page.goto('/?transport=auto');
    await expectTransport(page, 'WebSocket');
    expect(problems.uncaught).toEqual([]);
    await context.close();
  });

  it('long-polls by itself when SSE sends nothing either, and says why', async () => {
    const context = await newContext(browser, server.url);
    await registerViaApi(context, freshUsername());
    await blockWebSockets(context);
    await holdStreams(context);
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto('/');
    await expectTransport(page, 'Polling');
    await page.getByText('Your network blocks live connections.').waitFor();
    expect(await transportOf(page)).toBe('poll');
    await maybeScreenshotWidths(page, 'transport-poll');
    expect(problems.uncaught).toEqual([]);
    await context.close();
  });

  it.each([
    ['SSE', false],
    ['polling', true],
  ])('goes back up to WebSocket from %s once it gets through, without a reload', async (_from, sseHeld) => {
    const context = await newContext(browser, server.url);
    await registerViaApi(context, freshUsername());
    await blockWebSockets(context);
    if (sseHeld) await holdStreams(context);
    const page = await context.newPage();
    const problems = watchPage(page);
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto('/');
    await expectTransport(page, sseHeld ? 'Polling' : 'SSE');
    await maybeScreenshotWidths(page, sseHeld ? 'transport-poll-before-up' : 'transport-sse');

    await page.evaluate(() => {
      (window as unknown as { __letWebSocketsThrough?: boolean }).__letWebSocketsThrough = true;
    });
    if (sseHeld) await context.unroute(STREAM_REQUESTS);
    await expectTransport(page, 'Live (WebSocket)');
    expect(await transportOf(page)).toBe('ws');
    await expect(page.getByTestId('transport-why').count()).resolves.toBe(0);
    await maybeScreenshotWidths(page, 'transport-ws');
    expect(loads).toBe(1);
    expect(problems.uncaught).toEqual([]);
    await context.close();
  });
});
