/**
 * Blocking as people use it (issue 27; docs/blocking.md), in three browser
 * contexts: Alice on her desktop, Alice on a second device, and Bob. Alice
 * blocks Bob from their chat's menu: the banner and her closed composer show,
 * her other device's Settings lists him at once, and Bob is told only that
 * the chat is not available. She unblocks from the banner, blocks again from
 * his profile, and unblocks from Settings. Then Carol, a stranger, asks
 * Alice to be a contact, and Alice blocks her from the request.
 */
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshotWidths, newContext, watchPage } from './browser';
import { expectTransport, mutateViaApi, PASSWORD } from './helpers';
import {
  befriend,
  composer,
  expectTexts,
  finish,
  openChatWith,
  type Person,
  person,
  queryViaApi,
  send,
} from './people';

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

const NOT_AVAILABLE =
  'This chat is not available: you are no longer contacts, so you cannot write or react here. Add them as a contact again to continue.';

const banner = (page: Page) => page.getByTestId('block-banner');
const blockedRows = (page: Page) => page.getByRole('list', { name: 'Blocked people' }).getByRole('listitem');

describe('blocking', () => {
  it('Alice blocks Bob from the chat, he is told only that it is not available, and she unblocks', async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    await befriend(alice, bob);
    // Alice's second device, on Settings.
    const context = await newContext(browser, server.url);
    await mutateViaApi(context, 'auth.login', { username: alice.user.username, password: PASSWORD });
    const laptopPage = await context.newPage();
    const laptop: Person = { user: alice.user, context, page: laptopPage, problems: watchPage(laptopPage) };
    await laptop.page.goto('/settings');
    await expectTransport(laptop.page, 'WebSocket');
    await laptop.page.getByText('You have not blocked anyone.').waitFor();

    await openChatWith(alice, bob);
    await openChatWith(bob, alice);
    await send(bob.page, 'hello Alice');
    await expectTexts(alice.page, ['hello Alice']);

    // From the chat's menu, with a confirmation.
    const a = alice.page;
    await a.getByRole('button', { name: 'More actions' }).click();
    await a.getByRole('menuitem', { name: `Block ${bob.user.displayName}` }).click();
    const dialog = a.getByRole('dialog', { name: `Block ${bob.user.displayName}?` });
    await dialog.getByText('They are not told.').waitFor();
    await maybeScreenshotWidths(a, 'blocking-confirm');
    await dialog.getByRole('button', { name: 'Block', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await banner(a)
      .filter({ hasText: `You blocked ${bob.user.displayName}` })
      .waitFor();
    await a.getByRole('note').filter({ hasText: 'Unblock them to write here' }).waitFor();
    expect(await composer(a).isDisabled()).toBe(true);
    await expectTexts(a, ['hello Alice']);
    // Nor does a message offer to react or reply (what the server would refuse).
    expect(await a.locator('button[aria-label="Reply"], button[aria-label="Add reaction"]').count()).toBe(0);
    await maybeScreenshotWidths(a, 'blocking-banner');

    // Her other device learns of it live.
    await expect.poll(() => blockedRows(laptop.page).count(), { timeout: 10_000 }).toBe(1);
    await blockedRows(laptop.page)
      .filter({ hasText: `@${bob.user.username}` })
      .waitFor();

    // Bob sees what a removed contact sees: the history, and a chat that is not available.
    const b = bob.page;
    await b.getByRole('note').filter({ hasText: 'This chat is not available' }).waitFor();
    expect(await composer(b).isDisabled()).toBe(true);
    await expectTexts(b, ['hello Alice']);
    expect(await b.locator('button[aria-label="Reply"], button[aria-label="Add reaction"]').count()).toBe(0);
    expect(await b.getByText(/blocked/i).count()).toBe(0);
    await maybeScreenshotWidths(b, 'blocking-blocked-side');
    // A send that gets past his screen (an old tab, a script) is refused with the same words, and stored nowhere.
    const chatId = (await queryViaApi<{ id: string }[]>(bob.context, 'chats.list', undefined))[0]?.id;
    const refused = await bob.context.request.post('/trpc/message.send', {
      data: { json: { id: crypto.randomUUID(), chatId, body: 'let me in' } },
    });
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain(NOT_AVAILABLE);
    await a.waitForTimeout(500);
    await expectTexts(a, ['hello Alice']);

    // Unblock from the banner: the banner goes; they are no longer contacts (either may ask again).
    await banner(a).getByRole('button', { name: 'Unblock' }).click();
    await banner(a).waitFor({ state: 'detached' });
    await a.getByRole('note').filter({ hasText: 'This chat is not available' }).waitFor();
    await expect.poll(() => blockedRows(laptop.page).count(), { timeout: 10_000 }).toBe(0);

    // Block again from his profile, then unblock in Settings.
    await a.getByRole('button', { name: `View profile of ${bob.user.displayName}` }).click();
    const panel = a.getByTestId('profile-panel').locator('..');
    await panel.getByRole('button', { name: 'Block', exact: true }).click();
    await a.getByRole('dialog').getByRole('button', { name: 'Block', exact: true }).click();
    await banner(a).waitFor();
    await panel.getByRole('button', { name: 'Unblock' }).waitFor();
    await a.goto('/settings');
    await blockedRows(a).filter({ hasText: bob.user.displayName }).waitFor();
    await a.getByRole('heading', { name: 'Blocked people' }).scrollIntoViewIfNeeded();
    await maybeScreenshotWidths(a, 'blocking-settings');
    await blockedRows(a).getByRole('button', { name: 'Unblock' }).click();
    await a.getByText('You have not blocked anyone.').waitFor();
    await laptop.page.getByText('You have not blocked anyone.').waitFor();

    // Carol, a stranger, asks Alice; Alice blocks her from the request: it goes from her list, not from Carol's.
    const carol = await person(browser, server.url, '/contacts');
    await mutateViaApi(carol.context, 'contacts.request', { username: alice.user.username });
    await a.goto('/contacts');
    const requests = a.getByRole('list', { name: 'Contact requests' });
    await requests.getByRole('button', { name: `Block ${carol.user.displayName}` }).waitFor();
    await maybeScreenshotWidths(a, 'blocking-request');
    await requests.getByRole('button', { name: `Block ${carol.user.displayName}` }).click();
    await a.getByRole('dialog').getByRole('button', { name: 'Block', exact: true }).click();
    await requests.waitFor({ state: 'detached' });
    await expect.poll(() => blockedRows(laptop.page).count(), { timeout: 10_000 }).toBe(1);
    const carols = await queryViaApi<{ outgoing: { to: { id: string } }[] }>(
      carol.context,
      'contacts.requests',
      undefined,
    );
    expect(carols.outgoing.map((r) => r.to.id)).toEqual([alice.user.id]);
    await carol.page.getByText('Waiting for an answer').waitFor();

    await finish(alice, bob, laptop, carol);
  });
});
