/**
 * Issue 27, mentions: typing `@` in a group's composer suggests its members
 * (by username or name, with `@all`), picked by keyboard or click; the
 * mention is highlighted for everyone, more for the one it names, and that
 * person's chat list counts it apart from the unread messages until read.
 */
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshot, maybeScreenshotWidths } from './browser';
import { mutateViaApi } from './helpers';
import { befriend, chatList, composer, expectAllStored, finish, heading, messageRow, person } from './people';

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

describe('mentions', () => {
  it('are suggested as @ is typed, highlighted, and counted for the one named until read', async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    const carol = await person(browser, server.url);
    for (const p of [bob, carol]) await befriend(alice, p);
    await mutateViaApi(bob.context, 'profiles.update', { displayName: 'Bob Builder' });
    await mutateViaApi(carol.context, 'profiles.update', { displayName: 'Carol Singer' });
    const group = await mutateViaApi<{ id: string }>(alice.context, 'groups.create', {
      name: 'Planning',
      userIds: [bob.user.id, carol.user.id],
    });
    // Bob is elsewhere (his contacts), so the group's messages stay unread for him.
    await bob.page.goto('/contacts');
    const a = alice.page;
    await a.goto(`/groups/${group.id}`);
    await heading(a, 'Planning').waitFor();

    // By name: "Bui" finds Bob Builder; Enter picks him.
    const box = composer(a);
    await box.click();
    await box.pressSequentially('Thanks @Bui');
    const suggestions = a.getByRole('listbox', { name: 'People to mention' });
    await expect
      .poll(() => suggestions.getByRole('option').allTextContents())
      .toEqual([`Bob Builder@${bob.user.username}`]);
    await maybeScreenshotWidths(a, 'mentions-suggested');
    await box.press('Enter');
    expect(await box.inputValue()).toBe(`Thanks @${bob.user.username} `);
    await box.pressSequentially('for the plan');
    await box.press('Enter');
    // By keyboard through the list, and Escape leaves what was typed.
    await box.pressSequentially('and @');
    await expect.poll(() => suggestions.getByRole('option').count()).toBe(3);
    await box.press('Escape');
    await expect.poll(() => suggestions.count()).toBe(0);
    await box.pressSequentially('a');
    await box.press('ArrowDown');
    await box.press('Tab');
    expect(await box.inputValue()).toBe('and @all ');
    await box.press('Enter');
    await expectAllStored(a);

    const first = `Thanks @${bob.user.username} for the plan`;
    await messageRow(a, first).locator('.mention').first().waitFor();
    expect(await messageRow(a, first).locator('.mention-me').count()).toBe(0);
    expect(await messageRow(a, 'and @all').locator('.mention-me').count()).toBe(1);

    const entry = chatList(bob.page).getByRole('link', { name: /Planning/ });
    // Three unread: the group's 'created' line and the two messages; two mention him.
    await expect.poll(() => entry.getByTestId('unread-badge').textContent()).toMatch(/^3/);
    expect(await entry.getByTestId('mention-badge').textContent()).toMatch(/^@2/);
    await maybeScreenshot(bob.page, 'mentions-chat-list');
    await entry.click();
    await heading(bob.page, 'Planning').waitFor();
    await messageRow(bob.page, first).locator('.mention-me').waitFor();
    await maybeScreenshotWidths(bob.page, 'mentions-highlighted');
    // Read: both counts go.
    await expect.poll(() => entry.getByTestId('mention-badge').count(), { timeout: 15_000 }).toBe(0);
    expect(await entry.getByTestId('unread-badge').count()).toBe(0);
    await finish(alice, bob, carol);
  });

  it('a muted chat shows so in the header and the list, on every tab of the user, after a reload too', async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    await befriend(alice, bob);
    const group = await mutateViaApi<{ id: string }>(alice.context, 'groups.create', {
      name: 'Noisy',
      userIds: [bob.user.id],
    });
    const other = await bob.context.newPage();
    await other.goto('/contacts');
    const b = bob.page;
    await b.goto(`/groups/${group.id}`);
    await heading(b, 'Noisy').waitFor();
    await b.getByRole('button', { name: 'Mute chat' }).click();
    await b.getByRole('button', { name: 'Unmute chat', pressed: true }).waitFor();
    const entry = (page: typeof b) => chatList(page).getByRole('link', { name: /Noisy/ });
    await entry(b).getByTestId('muted-icon').waitFor();
    // Bob's other tab follows, and the setting is the server's.
    await entry(other).getByTestId('muted-icon').waitFor({ timeout: 15_000 });
    await b.reload();
    await b.getByRole('button', { name: 'Unmute chat', pressed: true }).waitFor();
    await maybeScreenshotWidths(b, 'muted-chat');
    // Alice's list is not muted.
    expect(await entry(alice.page).getByTestId('muted-icon').count()).toBe(0);
    await b.getByRole('button', { name: 'Unmute chat' }).click();
    await expect.poll(() => entry(other).getByTestId('muted-icon').count(), { timeout: 15_000 }).toBe(0);
    // A change the server never got is undone, and said where it was clicked.
    await bob.context.setOffline(true);
    await b.getByRole('button', { name: 'Mute chat' }).click();
    const problem = b.getByRole('alert').filter({ hasText: /server|network|connect/i });
    await problem.waitFor();
    expect(await problem.isVisible()).toBe(true);
    await b.getByRole('button', { name: 'Mute chat', pressed: false }).waitFor();
    await maybeScreenshotWidths(b, 'mute-refused');
    await bob.context.setOffline(false);
    await other.close();
    await finish(alice, bob);
  });
});
