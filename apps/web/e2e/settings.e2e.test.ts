/**
 * The settings page's Password and Sessions sections, in two browser
 * contexts signed in as the same person (two devices): signing out the other
 * device, signing out all others, and changing the password each sign the
 * other device out at once. The page runs under the server's CSP: nothing
 * may be refused.
 */
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshot, newContext, watchPage } from './browser';
import { expectTransport, mutateViaApi, onPath, PASSWORD } from './helpers';
import { person } from './people';

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

/** The same person on a second device, with the app open and streaming. */
async function secondDevice(username: string, password = PASSWORD): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, server.url);
  await mutateViaApi(context, 'auth.login', { username, password });
  const page = await context.newPage();
  await page.goto('/');
  await expectTransport(page, 'WebSocket');
  return { context, page };
}

const sessionRows = (page: Page) => page.locator('.session-row');

describe('settings: password and sessions', () => {
  it('lists sessions, signs out another, all others, and changes the password', async () => {
    const me = await person(browser, server.url, '/settings');
    const page = me.page;
    await page.getByRole('heading', { name: 'Sessions' }).waitFor();

    // Another device, then "Sign out" on its row.
    const other = await secondDevice(me.user.username);
    await page.reload();
    await expect.poll(() => sessionRows(page).count()).toBe(2);
    await page.locator('.session-row[data-session="current"]').getByText('This device').waitFor();
    await maybeScreenshot(page, 'settings-sessions');
    await page
      .locator('.session-row[data-session="other"]')
      .getByRole('button', { name: /^Sign out/ })
      .click();
    await other.page.waitForURL(onPath('/login'), { timeout: 10_000 });
    await expect.poll(() => sessionRows(page).count()).toBe(1);

    // Two more devices, then "Sign out all other sessions".
    const [a, b] = [await secondDevice(me.user.username), await secondDevice(me.user.username)];
    await page.reload();
    await expect.poll(() => sessionRows(page).count()).toBe(3);
    await page.getByRole('button', { name: 'Sign out all other sessions' }).click();
    await a.page.waitForURL(onPath('/login'), { timeout: 10_000 });
    await b.page.waitForURL(onPath('/login'), { timeout: 10_000 });
    await expect.poll(() => sessionRows(page).count()).toBe(1);

    // A wrong current password: the message under the field, nothing changes.
    const c = await secondDevice(me.user.username);
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password', { exact: true }).fill('a new long passphrase');
    await page.getByLabel('New password again').fill('a new long passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('#field-current-error').filter({ hasText: 'not right' }).waitFor();
    expect(c.page.url()).not.toMatch(/\/login/);

    // The right one: the other device is signed out, this one stays.
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: '1 other session was signed out' }).waitFor();
    await c.page.waitForURL(onPath('/login'), { timeout: 10_000 });
    await maybeScreenshot(page, 'settings-password');
    await page.reload();
    await page.getByRole('heading', { name: 'Password' }).waitFor();
    const fresh = await secondDevice(me.user.username, 'a new long passphrase');

    for (const d of [other, a, b, c, fresh]) await d.context.close();
    // The strict CSP refused nothing the app does.
    const refused = me.problems.consoleErrors.filter((m) => /Content Security Policy|Refused to/i.test(m));
    expect(refused).toEqual([]);
    expect(me.problems.uncaught).toEqual([]);
    await me.context.close();
  });

  it('pages are served with a CSP that allows no inline script, and the app runs under it', async () => {
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    const problems = watchPage(page);
    const response = await page.goto('/login');
    const csp = (await response?.allHeaders())?.['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    // An inline script injected into the page does not run.
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.append(s);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    expect(problems.uncaught).toEqual([]);
    await context.close();
  });
});
