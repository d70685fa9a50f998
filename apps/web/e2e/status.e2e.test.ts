/**
 * Issue 27, the user's status, in two browsers (and two tabs of one): Alice
 * chooses Do not disturb in her user menu and Bob sees her red dot and the
 * words live; Bob's message then hands Alice's page no notification and no
 * sound, and once she is Available again it does. Without input for the
 * server's AWAY_AFTER_IDLE_SECONDS (shortened here, as an operator would set
 * it; the page reads it from `presence.mine`) she shows as away, and back at
 * her next input; only when every tab of hers is idle; never over Do not disturb.
 */
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshotWidths, newContext, watchPage } from './browser';
import { expectTransport, freshUsername, mutateViaApi, registerViaApi } from './helpers';
import { befriend, finish, openChatWith, type Person, person } from './people';

const IDLE_SECONDS = 3;

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({ env: { AWAY_AFTER_IDLE_SECONDS: String(IDLE_SECONDS) } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

declare global {
  interface Window {
    __shownBodies: string[];
    __notes: number;
  }
}

/** Wraps the real Notification (the permission stays the browser's) and counts the sound's notes. */
function recordNotifications() {
  window.__shownBodies = [];
  window.__notes = 0;
  const Real = window.Notification;
  if (Real) {
    class Recording extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        window.__shownBodies.push(options?.body ?? '');
      }
    }
    window.Notification = Recording;
  }
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args: Parameters<OscillatorNode['start']>) {
    window.__notes += 1;
    return start.apply(this, args);
  };
}

/** Alice: notifications granted, the recorder in every page. */
async function granted(): Promise<Person> {
  const context = await newContext(browser, server.url);
  await context.grantPermissions(['notifications']);
  await context.addInitScript(recordNotifications);
  const user = await registerViaApi(context, freshUsername());
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto('/');
  await expectTransport(page, 'WebSocket');
  return { user, context, page, problems };
}

const notified = (page: Page) => page.evaluate(() => window.__shownBodies);
const chimes = (page: Page) => page.evaluate(() => window.__notes);
/** What Bob's open chat with her says of her (the header's words) and its dot. */
const herWords = (page: Page) => page.getByTestId('presence');
const herDot = (page: Page) => page.locator('.pane-header .presence-dot');

async function choose(page: Page, label: string): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitemradio', { name: new RegExp(`^${label}`) }).click();
}

async function expectShown(page: Page, words: string, status: string): Promise<void> {
  await herWords(page).filter({ hasText: words }).waitFor({ timeout: 15_000 });
  await expect.poll(() => herDot(page).getAttribute('data-presence'), { timeout: 15_000 }).toBe(status);
}

describe('status', () => {
  it('Do not disturb: Bob sees it live; Alice gets no notification and no sound until she is Available', async () => {
    const alice = await granted();
    const bob = await person(browser, server.url);
    await befriend(alice, bob);
    const chat = await mutateViaApi<{ id: string }>(alice.context, 'chats.direct', { username: bob.user.username });
    await openChatWith(bob, alice);
    // Online, or already away: she has not touched her page for the (short) idle time.
    await expect
      .poll(() => herDot(bob.page).getAttribute('data-presence'), { timeout: 15_000 })
      .toMatch(/^(available|away)$/);

    await choose(alice.page, 'Do not disturb');
    await expectShown(bob.page, 'Do not disturb', 'dnd');
    await expect.poll(() => alice.page.getByTestId('my-status').textContent()).toContain('Do not disturb');
    await alice.page.getByTestId('user-menu').click();
    await expect(
      alice.page.getByRole('menuitemradio', { name: /^Do not disturb/ }).getAttribute('aria-checked'),
    ).resolves.toBe('true');
    await expect(
      alice.page.getByRole('menuitemradio', { name: /^Available/ }).getAttribute('aria-checked'),
    ).resolves.toBe('false');
    await maybeScreenshotWidths(alice.page, 'status-menu');
    await alice.page.keyboard.press('Escape');
    await maybeScreenshotWidths(bob.page, 'status-dnd-seen');

    // A mention too: Do not disturb means nothing at all.
    await mutateViaApi(bob.context, 'message.send', {
      id: randomUUID(),
      chatId: chat.id,
      body: `@${alice.user.username} are you there?`,
    });
    await alice.page
      .getByRole('link', { name: new RegExp(bob.user.displayName) })
      .getByText('are you there?')
      .waitFor();
    await alice.page.waitForTimeout(1_000);
    expect(await notified(alice.page)).toEqual([]);
    expect(await chimes(alice.page)).toBe(0);

    // Kept across a reload (it is the server's), then back to Available: the next message tells her.
    await alice.page.reload();
    await expect.poll(() => alice.page.getByTestId('my-status').textContent()).toContain('Do not disturb');
    await choose(alice.page, 'Available');
    await expect.poll(() => bob.page.getByTestId('presence').textContent()).not.toContain('Do not disturb');
    await mutateViaApi(bob.context, 'message.send', { id: randomUUID(), chatId: chat.id, body: 'now?' });
    await expect.poll(() => notified(alice.page), { timeout: 15_000 }).toEqual(['now?']);
    expect(await chimes(alice.page)).toBeGreaterThan(0);
    await finish(alice, bob);
  });

  it('away after the idle time in every tab, back at the next input; never over Do not disturb', async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    await befriend(alice, bob);
    await openChatWith(bob, alice);
    await alice.page.mouse.move(10, 10);
    await expectShown(bob.page, 'Online', 'available');

    // A second tab of Alice's, left alone; the first is used all along: she stays Online.
    const second = await alice.context.newPage();
    await second.goto('/contacts');
    await expectTransport(second, 'WebSocket');
    for (let i = 0; i < (IDLE_SECONDS + 2) * 2; i++) {
      await alice.page.mouse.move(20 + i, 20 + i);
      await alice.page.waitForTimeout(500);
    }
    expect(await herWords(bob.page).textContent()).toContain('Online');

    // Now neither tab is touched: away, for Bob and on her own menu.
    await expectShown(bob.page, 'Away', 'away');
    await expect.poll(() => alice.page.getByTestId('my-status').textContent()).toContain('Away');
    await maybeScreenshotWidths(bob.page, 'status-away-seen');
    await second.keyboard.press('Shift');
    await expectShown(bob.page, 'Online', 'available');

    // Do not disturb stays, idle or not.
    await choose(alice.page, 'Do not disturb');
    await expectShown(bob.page, 'Do not disturb', 'dnd');
    await bob.page.waitForTimeout((IDLE_SECONDS + 2) * 1_000);
    expect(await herWords(bob.page).textContent()).toContain('Do not disturb');
    await second.close();
    await finish(alice, bob);
  });
});
