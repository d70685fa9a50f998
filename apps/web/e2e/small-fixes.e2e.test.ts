/**
 * Issue 24, bug 5 (the small ones): the profile of someone online says so
 * (not "Last seen just now"); "Request sent" goes when the request is
 * declined; "1 character too long"; opening the emoji picker breaks no
 * Content-Security-Policy rule. (The group-size message is in
 * packages/api/test/groups.int.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshotWidths } from './browser';
import { mutateViaApi } from './helpers';
import { befriend, composer, finish, messageRow, openChatWith, person } from './people';

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

/** The server's limit on a message's text (packages/api domain/messages/rules.ts). */
const MESSAGE_MAX = 4000;

describe('small fixes', () => {
  it('profile of someone online, the count of characters over, and the emoji picker under CSP', async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    await befriend(alice, bob);
    await openChatWith(alice, bob);
    const a = alice.page;
    await a.getByTestId('presence').filter({ hasText: 'Online' }).waitFor({ timeout: 15_000 });

    await a.getByRole('button', { name: `View profile of ${bob.user.displayName}` }).click();
    const facts = a.getByTestId('profile-panel').locator('.profile-facts');
    await expect.poll(() => facts.textContent()).toContain('Online now');
    expect(await facts.textContent()).not.toContain('just now');
    await maybeScreenshotWidths(a, 'profile-online');
    await a.getByRole('button', { name: `View profile of ${bob.user.displayName}` }).click();

    await composer(a).fill('x'.repeat(MESSAGE_MAX + 1));
    await a.getByText('1 character too long (at most 4,000)').waitFor();
    await composer(a).fill('x'.repeat(MESSAGE_MAX + 2));
    await a.getByText('2 characters too long (at most 4,000)').waitFor();
    await composer(a).fill('');

    const chat = await mutateViaApi<{ id: string }>(alice.context, 'chats.direct', { username: bob.user.username });
    await mutateViaApi(bob.context, 'message.send', { id: randomUUID(), chatId: chat.id, body: 'react to me' });
    const row = messageRow(a, 'react to me');
    await row.locator('.message').hover();
    await row.getByRole('button', { name: 'Add reaction' }).click();
    await a.getByRole('dialog', { name: 'Add reaction' }).getByRole('button', { name: 'rocket' }).first().waitFor();
    await maybeScreenshotWidths(a, 'emoji-picker');
    const csp = alice.problems.consoleErrors.filter((e) => /Content Security Policy|style-src/i.test(e));
    expect(csp).toEqual([]);
    await finish(alice, bob);
  });

  it('"Request sent" goes away when the request is declined', async () => {
    const alice = await person(browser, server.url, '/contacts');
    const carol = await person(browser, server.url);
    const a = alice.page;
    await a.getByLabel('Username').fill(carol.user.username);
    await a.getByRole('button', { name: 'Send request' }).click();
    const sent = a.getByText(`Request sent to @${carol.user.username}`);
    await sent.waitFor();
    await mutateViaApi(carol.context, 'contacts.decline', { userId: alice.user.id });
    await sent.waitFor({ state: 'detached', timeout: 15_000 });
    await maybeScreenshotWidths(a, 'contacts-declined');
    await finish(alice, carol);
  });
});
