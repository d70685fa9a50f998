/**
 * Issue 24: an office of 200 behind one address registers on its first
 * morning. 199 colleagues have registered from this machine's address (through
 * the API, as fast as people would not), then the 200th does it in the
 * browser under the default limits, mistypes the password once at sign-in,
 * and gets in.
 */
import { RATE_LIMIT_DEFAULTS } from '@chat/api/server';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from './browser';
import { freshUsername, onPath, PASSWORD, signIn } from './helpers';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({
    rateLimits: { register: RATE_LIMIT_DEFAULTS.register, 'login.address': RATE_LIMIT_DEFAULTS['login.address'] },
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('an office behind one address', () => {
  it('registers its 200th person in the browser, typos and all', async () => {
    const register = (username: string) =>
      fetch(`${server.url}/trpc/auth.register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: server.url },
        body: JSON.stringify({ json: { username, password: PASSWORD, passwordRepeat: PASSWORD } }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 199; i += 10) {
      const batch = Array.from({ length: Math.min(10, 199 - i) }, () => register(freshUsername()));
      statuses.push(...(await Promise.all(batch)).map((r) => r.status));
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    const username = freshUsername();
    await page.goto('/register');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Repeat password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(onPath('/'));
    await page
      .getByTestId('user-menu')
      .filter({ hasText: `@${username}` })
      .waitFor();

    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(onPath('/login'));
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('not my password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong username or password.').waitFor();
    await signIn(page, username);
    await page.waitForURL(onPath('/'));
    await page
      .getByTestId('user-menu')
      .filter({ hasText: `@${username}` })
      .waitFor();
    await context.close();
  }, 180_000);
});
