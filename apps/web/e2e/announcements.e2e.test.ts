/**
 * Issue 30, screen readers: what arrives in the open chat from others is
 * announced politely, one announcement per burst (a busy chat is summed up,
 * not read message by message), and one's own messages are not announced.
 */
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser';
import { mutateViaApi } from './helpers';
import { befriend, finish, messageRow, openChatWith, person, send } from './people';

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

const announced = (page: Page) => page.getByRole('status').and(page.getByTestId('arrivals'));

describe('announcements of arriving messages', () => {
  it('reads out one message, sums up a burst, and never one’s own', async () => {
    const ana = await person(browser, server.url);
    const ben = await person(browser, server.url);
    await befriend(ana, ben);
    await openChatWith(ben, ana);
    await openChatWith(ana, ben);
    const chatId = (await mutateViaApi<{ id: string }>(ana.context, 'chats.direct', { username: ben.user.username }))
      .id;

    await send(ana.page, 'lunch at noon?');
    await messageRow(ben.page, 'lunch at noon?').waitFor();
    await expect
      .poll(() => announced(ben.page).textContent(), { timeout: 10_000 })
      .toBe(`New message from ${ana.user.displayName}: lunch at noon?`);
    // Her own message is not read out to her.
    expect(await announced(ana.page).textContent()).toBe('');

    // Three at once: one announcement for all three.
    await Promise.all(
      ['one', 'two', 'three'].map((body) =>
        mutateViaApi(ana.context, 'message.send', { id: randomUUID(), chatId, body }),
      ),
    );
    for (const body of ['one', 'two', 'three']) await messageRow(ben.page, body).waitFor();
    await expect
      .poll(() => announced(ben.page).textContent(), { timeout: 10_000 })
      .toBe(`3 new messages from ${ana.user.displayName}`);
    await finish(ana, ben);
  });
});
