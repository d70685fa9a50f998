/**
 * Issue 24, "things users expect": read receipts in a group name names. The
 * sender's "Read by N" opens "Seen by": who has read the message, who has it
 * on a device but has not read it, and who has not received it yet; it moves
 * live as people read, and works by keyboard. A stranger gets nothing.
 */
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshotWidths } from './browser';
import { mutateViaApi } from './helpers';
import { befriend, expectAllStored, finish, heading, messageRow, person, queryViaApi, send } from './people';

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

const names = (list: Locator) => list.locator('.display-name').allInnerTexts();

describe('seen by', () => {
  it('names who read, who received and who has not yet; moves live; by keyboard too', async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    const carol = await person(browser, server.url, '/contacts');
    const dave = await person(browser, server.url);
    const stranger = await person(browser, server.url);
    for (const p of [bob, carol, dave]) await befriend(alice, p);
    await mutateViaApi(bob.context, 'profiles.update', { displayName: 'Bob Reader' });
    await mutateViaApi(carol.context, 'profiles.update', { displayName: 'Carol Receiver' });
    await mutateViaApi(dave.context, 'profiles.update', {
      displayName: 'Dave Away-From-His-Desk With A Remarkably Long Display Name',
    });
    const group = await mutateViaApi<{ id: string }>(alice.context, 'groups.create', {
      name: 'Readers',
      userIds: [bob.user.id, carol.user.id, dave.user.id],
    });
    await dave.context.close(); // Dave is away: nothing reaches him.

    await bob.page.goto(`/groups/${group.id}`);
    await heading(bob.page, 'Readers').waitFor();
    const a = alice.page;
    await a.goto(`/groups/${group.id}`);
    await heading(a, 'Readers').waitFor();
    await send(a, 'Who has seen this?');
    await expectAllStored(a);
    const row = messageRow(a, 'Who has seen this?');
    // Bob has the group open: he reads it. Carol's app lists it: it is delivered to her, unread.
    await row.getByText('Read by 1', { exact: true }).waitFor({ timeout: 15_000 });
    const messageId = (await row.getAttribute('data-message-id')) ?? '';
    await expect
      .poll(
        async () =>
          (
            await queryViaApi<{ delivered: { id: string }[] }>(alice.context, 'message.seenBy', { messageId })
          ).delivered.map((r) => r.id),
        { timeout: 15_000 },
      )
      .toEqual([carol.user.id]);

    const status = row.getByRole('button', { name: /^Seen by/ });
    expect(await status.getAttribute('aria-label')).toBe('Seen by: read by 1 of 3');
    await status.click();
    const panel = a.getByRole('complementary', { name: 'Seen by' });
    const read = panel.getByRole('list', { name: 'Read by' });
    const delivered = panel.getByRole('list', { name: 'Delivered to' });
    const waiting = panel.getByRole('list', { name: 'Not delivered yet' });
    await expect.poll(() => names(read)).toEqual(['Bob Reader']);
    expect(await names(delivered)).toEqual(['Carol Receiver']);
    expect(await names(waiting)).toEqual(['Dave Away-From-His-Desk With A Remarkably Long Display Name']);
    await maybeScreenshotWidths(a, 'seen-by');

    // Carol opens the group and reads: Alice's open list moves her without a reload.
    await carol.page.goto(`/groups/${group.id}`);
    await heading(carol.page, 'Readers').waitFor();
    await expect.poll(() => names(read), { timeout: 15_000 }).toEqual(['Bob Reader', 'Carol Receiver']);
    expect(await delivered.count()).toBe(0);
    await row.getByText('Read by 2', { exact: true }).waitFor();
    expect(await status.getAttribute('aria-label')).toBe('Seen by: read by 2 of 3');
    await maybeScreenshotWidths(a, 'seen-by-after');

    // By keyboard: Escape closes and gives focus back; Enter opens; a name opens the profile, and back.
    await a.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await status.evaluate((el) => el === document.activeElement)).toBe(true);
    await a.keyboard.press('Enter');
    await expect.poll(() => names(read)).toEqual(['Bob Reader', 'Carol Receiver']);
    expect(await panel.evaluate((el) => el === document.activeElement)).toBe(true);
    await a.keyboard.press('Tab'); // the panel's close button
    await a.keyboard.press('Tab'); // the first reader
    expect(
      await panel
        .getByRole('button', { name: /^View profile of Bob Reader/ })
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await a.keyboard.press('Enter');
    const profile = a.getByRole('complementary', { name: 'Profile' });
    await profile.getByRole('heading', { name: 'Bob Reader' }).waitFor();
    await profile.getByRole('button', { name: 'Back to seen by' }).click();
    await expect.poll(() => names(read)).toEqual(['Bob Reader', 'Carol Receiver']);

    // A stranger asking about the message gets NOT_FOUND.
    const refused = await stranger.context.request.get(
      `/trpc/message.seenBy?input=${encodeURIComponent(JSON.stringify({ json: { messageId } }))}`,
    );
    expect(refused.status()).toBe(404);
    await finish(alice, bob, carol, stranger);
  });

  it('in a group of one, says there is no one else yet', async () => {
    const alice = await person(browser, server.url);
    const group = await mutateViaApi<{ id: string }>(alice.context, 'groups.create', { name: 'Just me', userIds: [] });
    const a = alice.page;
    await a.goto(`/groups/${group.id}`);
    await heading(a, 'Just me').waitFor();
    await send(a, 'talking to myself');
    await expectAllStored(a);
    await messageRow(a, 'talking to myself')
      .getByRole('button', { name: /^Seen by/ })
      .click();
    await a.getByRole('complementary', { name: 'Seen by' }).getByText('No one else is in this chat yet.').waitFor();
    await maybeScreenshotWidths(a, 'seen-by-empty');
    await finish(alice);
  });
});
