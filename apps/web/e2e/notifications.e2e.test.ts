/**
 * Issue 27, desktop notifications: Alice's context is granted the
 * `notifications` permission, and an init script records what the page hands
 * to `window.Notification` (the real one, wrapped) and how often the sound
 * starts. Bob writes; what Alice's tabs hand over is checked: a notification
 * while another chat is open, none for the chat she is looking at, the text
 * hidden when Settings says so, a group's name in the title, one tab only
 * with two open, and a click that opens the message. A person whose browser
 * was not asked yet sees the in-app prompt, and nothing asks on load.
 */
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshot, newContext, watchPage } from './browser';
import { expectTransport, freshUsername, mutateViaApi, onPath, registerViaApi } from './helpers';
import { befriend, finish, heading, messageRow, openChatWith, type Person, person } from './people';

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

interface Recorded {
  title: string;
  body: string | undefined;
  tag: string | undefined;
}

declare global {
  interface Window {
    __notifications: Array<Recorded & { notification: Notification }>;
    __permissionAsked: number;
    __chimes: number;
  }
}

/** Wraps the real Notification (so the permission stays the browser's) and counts the sound's notes. */
function recordNotifications() {
  window.__notifications = [];
  window.__permissionAsked = 0;
  window.__chimes = 0;
  const Real = window.Notification;
  if (Real) {
    class Recording extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        window.__notifications.push({ title, body: options?.body, tag: options?.tag, notification: this });
      }
      static override requestPermission(...args: Parameters<typeof Notification.requestPermission>) {
        window.__permissionAsked += 1;
        return Real.requestPermission(...args);
      }
    }
    window.Notification = Recording;
  }
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args: Parameters<OscillatorNode['start']>) {
    window.__chimes += 1;
    return start.apply(this, args);
  };
}

/** Someone whose browser granted notifications, with the recorder in every page. */
async function granted(path = '/'): Promise<Person> {
  const context = await newContext(browser, server.url);
  await context.grantPermissions(['notifications']);
  await context.addInitScript(recordNotifications);
  const user = await registerViaApi(context, freshUsername());
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(path);
  await expectTransport(page, 'WebSocket');
  return { user, context, page, problems };
}

const recorded = (page: Page) =>
  page.evaluate(() => window.__notifications.map(({ title, body, tag }) => ({ title, body, tag })));
const chimes = (page: Page) => page.evaluate(() => window.__chimes);

const sendAs = (p: Person, chatId: string, body: string) =>
  mutateViaApi<{ id: string }>(p.context, 'message.send', { id: randomUUID(), chatId, body });

/** Waits for the `n`th notification of `page` (1-based) and returns it. */
async function nth(page: Page, n: number): Promise<Recorded> {
  await expect.poll(async () => (await recorded(page)).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(n);
  return (await recorded(page))[n - 1] as Recorded;
}

/** Nothing more is handed over for a while after `page` shows `text`. */
async function noneFor(page: Page, text: string, count: number): Promise<void> {
  await messageRow(page, text).waitFor();
  await page.waitForTimeout(800);
  expect(await recorded(page)).toHaveLength(count);
}

describe('desktop notifications', () => {
  it('a muted chat tells nothing and plays nothing, except a message that mentions Alice', async () => {
    const alice = await granted('/settings');
    const bob = await person(browser, server.url);
    await befriend(alice, bob);
    const withBob = await mutateViaApi<{ id: string }>(alice.context, 'chats.direct', { username: bob.user.username });
    await mutateViaApi(alice.context, 'chats.setMuted', { chatId: withBob.id, muted: true });
    const page = alice.page;
    await page.reload();
    await page.getByRole('switch', { name: /Show message text/ }).waitFor();
    await page.bringToFront();
    await sendAs(bob, withBob.id, 'muted chatter');
    const link = page.getByRole('link', { name: new RegExp(bob.user.displayName) });
    await link.getByText('muted chatter').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(800);
    expect(await recorded(page)).toHaveLength(0);
    expect(await chimes(page)).toBe(0);
    await sendAs(bob, withBob.id, `@${alice.user.username} this one is for you`);
    expect(await nth(page, 1)).toEqual({
      title: bob.user.displayName,
      body: `@${alice.user.username} this one is for you`,
      tag: `chat:${withBob.id}`,
    });
    expect(await chimes(page)).toBeGreaterThan(0);
    await finish(alice, bob);
  });

  it('tells Alice about Bob’s message in another chat, not in the one she reads; hides text; opens on click', async () => {
    const alice = await granted();
    const bob = await person(browser, server.url);
    const carol = await person(browser, server.url);
    await befriend(alice, bob);
    await befriend(alice, carol);
    const withBob = await mutateViaApi<{ id: string }>(alice.context, 'chats.direct', { username: bob.user.username });
    await mutateViaApi(alice.context, 'chats.direct', { username: carol.user.username });
    const page = alice.page;
    // Granted already: no prompt, and nothing asked the browser.
    await expect(page.getByRole('region', { name: 'Desktop notifications' }).count()).resolves.toBe(0);

    // Alice reads her chat with Carol; Bob writes to her.
    await openChatWith(alice, carol);
    await page.bringToFront();
    await sendAs(bob, withBob.id, 'Lunch at noon?\nsecond line');
    expect(await nth(page, 1)).toEqual({
      title: bob.user.displayName,
      body: 'Lunch at noon?',
      tag: `chat:${withBob.id}`,
    });
    expect(await chimes(page)).toBeGreaterThan(0);
    // The favicon carries the unread count.
    const icon = page.locator('link[rel="icon"]');
    await expect.poll(() => icon.getAttribute('data-unread')).toBe('1');
    expect(await icon.getAttribute('href')).toMatch(/^data:image\/png;base64,/);

    // Her own message in that chat tells her nothing.
    await sendAs(alice, withBob.id, 'mine');
    await page.waitForTimeout(800);
    expect(await recorded(page)).toHaveLength(1);

    // She opens the chat with Bob and looks at it (a page load: the recorder starts again from nothing):
    // nothing for what he writes there, and no sound.
    await openChatWith(alice, bob);
    expect(await page.evaluate(() => document.hasFocus() && document.visibilityState)).toBe('visible');
    await sendAs(bob, withBob.id, 'seen as it comes');
    await noneFor(page, 'seen as it comes', 0);
    expect(await chimes(page)).toBe(0);

    // Settings: the text hidden. Bob writes again: "New message".
    await page.goto('/settings');
    const showText = page.getByRole('switch', { name: /Show message text/ });
    await showText.waitFor();
    expect(await showText.isChecked()).toBe(true);
    await page.getByRole('switch', { name: /Sound/ }).scrollIntoViewIfNeeded();
    await maybeScreenshot(page, 'notifications-settings');
    await showText.uncheck();
    const secret = await sendAs(bob, withBob.id, 'the secret plan');
    expect(await nth(page, 1)).toEqual({ title: bob.user.displayName, body: 'New message', tag: `chat:${withBob.id}` });

    // Clicking the notification opens the chat at that message.
    await page.evaluate(() => window.__notifications.at(-1)?.notification.onclick?.(new Event('click')));
    await page.waitForURL(onPath(`/chats/@${bob.user.username}/messages/${secret.id}`));
    await heading(page, bob.user.displayName).waitFor();
    await messageRow(page, 'the secret plan').and(page.locator('[aria-current="true"]')).waitFor();

    // Kept in this browser: still hidden after a reload.
    await page.goto('/settings');
    await showText.waitFor();
    expect(await showText.isChecked()).toBe(false);
    expect(await page.evaluate(() => window.__permissionAsked)).toBe(0);
    await finish(alice, bob, carol);
  });

  it('names the group; only one of two tabs notifies, and none while the other shows the chat', async () => {
    const alice = await granted('/settings');
    const bob = await person(browser, server.url);
    await befriend(alice, bob);
    const group = await mutateViaApi<{ id: string }>(bob.context, 'groups.create', {
      name: 'Launch crew',
      userIds: [alice.user.id],
    });
    const second = await alice.context.newPage();
    await second.goto('/contacts');
    await expectTransport(second, 'WebSocket');
    await sendAs(bob, group.id, 'Ship it');
    await expect
      .poll(async () => (await recorded(alice.page)).length + (await recorded(second)).length, { timeout: 15_000 })
      .toBe(1);
    const shownIn = (await recorded(alice.page)).length === 1 ? 'first' : 'second';
    const [shown] = [...(await recorded(alice.page)), ...(await recorded(second))];
    expect(shown).toEqual({
      title: `${bob.user.displayName} in Launch crew`,
      body: 'Ship it',
      tag: `chat:${group.id}`,
    });
    await second.waitForTimeout(800);
    expect((await recorded(alice.page)).length + (await recorded(second)).length).toBe(1);
    // And one sound (two notes), from the same tab.
    expect((await chimes(alice.page)) + (await chimes(second))).toBe(2);

    // The group open in the second tab, where she looks: the first tab (the leader) stays quiet too.
    await second.goto(`/groups/${group.id}`);
    await heading(second, 'Launch crew').waitFor();
    await sendAs(bob, group.id, 'Seen in the other tab');
    await messageRow(second, 'Seen in the other tab').waitFor();
    await second.waitForTimeout(800);
    expect(await recorded(alice.page)).toHaveLength(shownIn === 'first' ? 1 : 0);
    expect(await recorded(second)).toHaveLength(0);
    await second.close();
    await finish(alice, bob);
  });

  it('offers notifications in the app, never asking on load', async () => {
    const context: BrowserContext = await newContext(browser, server.url);
    await context.addInitScript(recordNotifications);
    await registerViaApi(context, freshUsername());
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto('/');
    await expectTransport(page, 'WebSocket');
    const permission = await page.evaluate(() => Notification.permission);
    const prompt = page.getByRole('region', { name: 'Desktop notifications' });
    await prompt.waitFor();
    await maybeScreenshot(page, 'notifications-prompt');
    expect(await page.evaluate(() => window.__permissionAsked)).toBe(0);
    if (permission === 'default') {
      await prompt.getByRole('button', { name: 'Turn on desktop notifications' }).click();
      await expect.poll(() => page.evaluate(() => window.__permissionAsked)).toBe(1);
    } else {
      await prompt.getByText('Desktop notifications are blocked').waitFor();
    }
    // "Not now" closes it for good in this browser.
    await prompt.getByRole('button', { name: 'Not now' }).click();
    await page.reload();
    await expectTransport(page, 'WebSocket');
    expect(await prompt.count()).toBe(0);
    expect(problems.uncaught).toEqual([]);
    await context.close();
  });

  it('says what to do when the browser blocks them, in the banner and in Settings', async () => {
    const context: BrowserContext = await newContext(browser, server.url);
    // A browser that blocked the site: what `Notification.permission` then says.
    await context.addInitScript(() => {
      Object.defineProperty(Notification, 'permission', { get: () => 'denied' });
    });
    await registerViaApi(context, freshUsername());
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto('/');
    await expectTransport(page, 'WebSocket');
    const prompt = page.getByRole('region', { name: 'Desktop notifications' });
    await prompt.getByText('Desktop notifications are blocked').waitFor();
    await prompt.getByText('Site settings').waitFor();
    await maybeScreenshot(page, 'notifications-blocked');
    await page.goto('/settings');
    const desktop = page.getByRole('switch', { name: /Desktop notifications/ });
    await desktop.waitFor();
    expect(await desktop.isDisabled()).toBe(true);
    expect(await desktop.isChecked()).toBe(false);
    await page.locator('.card', { has: desktop }).getByText('Site settings').waitFor();
    expect(problems.uncaught).toEqual([]);
    await context.close();
  });
});
