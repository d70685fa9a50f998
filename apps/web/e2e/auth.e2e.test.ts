import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshot, newContext, watchPage } from './browser';
import { expectTransport, freshUsername, onPath, PASSWORD, registerViaApi, signIn } from './helpers';

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

describe('signing up, in and out in the browser', () => {
  it('registers, streams over WebSocket, survives a reload, signs out and back in', async () => {
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    const problems = watchPage(page);
    const username = freshUsername();

    await page.goto('/register');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Repeat password').fill(`${PASSWORD} but different`);
    await page.getByRole('button', { name: 'Create account' }).click();
    // The server's message, under the field it names.
    await page.locator('#field-passwordRepeat-error').filter({ hasText: 'do not match' }).waitFor();
    await maybeScreenshot(page, 'register-error');

    await page.getByLabel('Repeat password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(onPath('/'));
    await page
      .getByTestId('user-menu')
      .filter({ hasText: `@${username}` })
      .waitFor();
    await expectTransport(page, 'WebSocket');
    await maybeScreenshot(page, 'shell');

    await page.goto('/chats/@someone');
    await page.getByRole('heading', { level: 1, name: '@someone' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: '@someone' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/chats/@someone');
    await page
      .getByTestId('user-menu')
      .filter({ hasText: `@${username}` })
      .waitFor();
    await expectTransport(page, 'WebSocket');
    await maybeScreenshot(page, 'chat');

    await page.getByTestId('user-menu').click();
    await maybeScreenshot(page, 'menu');
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(onPath('/login'));
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await maybeScreenshot(page, 'login');

    await signIn(page, username);
    await page.waitForURL(onPath('/'));
    await page
      .getByTestId('user-menu')
      .filter({ hasText: `@${username}` })
      .waitFor();
    await expectTransport(page, 'WebSocket');

    expect(problems.uncaught).toEqual([]);
    await context.close();
  });

  it('sends a signed-out visitor to sign in, then back to the page asked for', async () => {
    const context = await newContext(browser, server.url);
    const username = freshUsername();
    await registerViaApi(context, username);
    await context.clearCookies();
    const page = await context.newPage();
    const problems = watchPage(page);

    await page.goto('/groups/g-123/messages/m-456');
    await page.waitForURL(onPath('/login'));
    expect(new URL(page.url()).searchParams.get('next')).toBe('/groups/g-123/messages/m-456');

    await signIn(page, username);
    await page.waitForURL(onPath('/groups/g-123/messages/m-456'));
    // Back where asked: a link to a message that is not there says so, and nothing more.
    await page.getByRole('heading', { level: 1, name: 'Message' }).waitFor();
    await page.getByText('This message is not available').waitFor();

    await page.goto('/no/such/page');
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await page
      .getByTestId('user-menu')
      .filter({ hasText: `@${username}` })
      .waitFor();

    // Signed in, the sign-in pages send you on.
    await page.goto('/login');
    await page.waitForURL(onPath('/'));

    expect(problems.uncaught).toEqual([]);
    await context.close();
  });

  it('follows a sign-out made in another tab of the same browser', async () => {
    const context = await newContext(browser, server.url);
    const username = freshUsername();
    await registerViaApi(context, username);
    const first = await context.newPage();
    const problems = watchPage(first);
    await first.goto('/contacts');
    await expectTransport(first, 'WebSocket');

    const second = await context.newPage();
    await second.goto('/');
    await second.getByTestId('user-menu').click();
    await second.getByRole('menuitem', { name: 'Sign out' }).click();
    await second.waitForURL(onPath('/login'));

    // The first tab hears `session.ended` on its stream, re-checks, and asks to sign in again.
    await first.waitForURL(onPath('/login'));
    expect(new URL(first.url()).searchParams.get('next')).toBe('/contacts');

    expect(problems.uncaught).toEqual([]);
    await context.close();
  });
});
