/**
 * Issue 24, bug 4: while our own stream is down, other people's presence is
 * unknown (and shown so, greyed), not what it was when the stream dropped;
 * it comes back when the stream does.
 */
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshotWidths } from './browser';
import { expectTransport } from './helpers';
import { befriend, finish, openChatWith, person } from './people';

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

describe('presence while offline', () => {
  it('is unknown while our stream is down, and comes back with it', async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    await befriend(alice, bob);
    await openChatWith(alice, bob);
    const a = alice.page;
    const header = a.getByTestId('presence');
    const dot = a.locator('.pane-header .presence-dot');
    await expect.poll(() => header.textContent(), { timeout: 15_000 }).toBe(`@${bob.user.username} · Online`);

    await alice.context.setOffline(true);
    await expectTransport(a, 'Offline');
    await expect.poll(() => header.textContent()).toBe(`@${bob.user.username} · Status unknown`);
    expect(await dot.getAttribute('class')).toContain('unknown');
    expect(await a.locator('.chat-list .presence-dot.online').count()).toBe(0);
    await maybeScreenshotWidths(a, 'presence-unknown');

    await alice.context.setOffline(false);
    await expectTransport(a, 'WebSocket');
    await expect.poll(() => header.textContent(), { timeout: 15_000 }).toBe(`@${bob.user.username} · Online`);
    expect(await dot.getAttribute('class')).toContain('online');
    await finish(alice, bob);
  });
});
