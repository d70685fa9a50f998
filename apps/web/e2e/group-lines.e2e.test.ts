/**
 * Issue 27, "What happened in a group": three people in their own browsers.
 * The owner renames the group, adds and removes a member and makes another
 * member the owner, all from the group's info panel; the others see each
 * change as a centred line in the timeline (not a bubble) and in the chat
 * list's preview, live, once each.
 */
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshot, maybeScreenshotWidths } from './browser';
import { mutateViaApi } from './helpers';
import { befriend, chatList, finish, heading, messageList, person, send } from './people';

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

/** The lines about the group on screen, in order. */
const lines = (page: Page) => messageList(page).getByTestId('system-line').locator('.system-text').allInnerTexts();

async function expectLines(page: Page, expected: string[]): Promise<void> {
  await expect.poll(() => lines(page), { timeout: 20_000 }).toEqual(expected);
}

const preview = (page: Page, group: string) =>
  chatList(page).getByRole('listitem').filter({ hasText: group }).getByTestId('chat-preview');

describe('lines about a group', () => {
  it('rename, add, remove and ownership passed: each a centred line, seen live by the others', async () => {
    const ana = await person(browser, server.url);
    const ben = await person(browser, server.url);
    const cal = await person(browser, server.url);
    await mutateViaApi(ana.context, 'profiles.update', { displayName: 'Ana' });
    await mutateViaApi(ben.context, 'profiles.update', { displayName: 'Ben' });
    await mutateViaApi(cal.context, 'profiles.update', { displayName: 'Cal' });
    await befriend(ana, ben);
    await befriend(ana, cal);
    const group = await mutateViaApi<{ id: string }>(ana.context, 'groups.create', {
      name: 'Crew',
      userIds: [ben.user.id],
    });
    const [a, b, c] = [ana.page, ben.page, cal.page];
    for (const page of [a, b]) {
      await page.goto(`/groups/${group.id}`);
      await heading(page, 'Crew').waitFor();
    }
    await c.goto('/');
    await expectLines(b, ['Ana created the group “Crew”']);
    await expectLines(a, ['You created the group “Crew”']);
    await send(b, 'hi all');
    await a.getByRole('button', { name: 'Group info' }).click();
    const members = a.getByRole('list', { name: 'Members' });

    // Rename: Ben sees the line and the new name.
    await a.getByLabel('Group name').fill('Crew two');
    await a.getByRole('button', { name: 'Rename' }).click();
    await heading(b, 'Crew two').waitFor();
    await expectLines(b, ['Ana created the group “Crew”', 'Ana renamed the group to “Crew two”']);
    await preview(b, 'Crew two').filter({ hasText: 'Ana renamed the group to “Crew two”' }).waitFor();

    // Add Cal: the group appears in his list saying so; Ben sees it live.
    await a.getByRole('button', { name: 'Add members' }).click();
    const dialog = a.getByRole('dialog', { name: 'Add members' });
    await dialog.getByRole('checkbox', { name: 'Cal' }).check();
    await dialog.getByRole('button', { name: 'Add to group' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectLines(b, ['Ana created the group “Crew”', 'Ana renamed the group to “Crew two”', 'Ana added Cal']);
    await preview(b, 'Crew two').filter({ hasText: 'Ana added Cal' }).waitFor();
    await preview(c, 'Crew two').filter({ hasText: 'Ana added you' }).waitFor();
    await chatList(c)
      .getByRole('link', { name: /Crew two/ })
      .click();
    await heading(c, 'Crew two').waitFor();
    // Cal reads the lines from his adding on: those from before were not written for him (docs/group-lines.md).
    await expectLines(c, ['Ana added you']);
    await maybeScreenshotWidths(c, 'group-lines-added');

    // Remove Cal: Ben sees the line; Cal is told he is out, and gets no line about it.
    await members.getByRole('button', { name: 'Remove Cal from the group' }).click();
    const removing = a.getByRole('dialog', { name: 'Remove member' });
    await removing.getByRole('button', { name: 'Remove' }).click();
    await removing.waitFor({ state: 'detached' });
    await expectLines(b, [
      'Ana created the group “Crew”',
      'Ana renamed the group to “Crew two”',
      'Ana added Cal',
      'Ana removed Cal',
    ]);
    await maybeScreenshot(c, 'group-lines-removed');
    await c.getByText('You are no longer in this group').waitFor();
    expect(await c.getByText('Ana removed you').count()).toBe(0);

    // Make Ben the owner, from the member list.
    await maybeScreenshot(a, 'group-lines-member-list');
    await members.getByRole('button', { name: 'Make owner: Ben' }).click();
    const crowning = a.getByRole('dialog', { name: 'Make owner' });
    await crowning.getByRole('button', { name: 'Make owner' }).click();
    await crowning.waitFor({ state: 'detached' });
    const all = [
      'Ana created the group “Crew”',
      'Ana renamed the group to “Crew two”',
      'Ana added Cal',
      'Ana removed Cal',
      'Ana made you the owner',
    ];
    await expectLines(b, all);
    await preview(b, 'Crew two').filter({ hasText: 'Ana made you the owner' }).waitFor();
    await expectLines(a, [
      'You created the group “Crew”',
      'You renamed the group to “Crew two”',
      'You added Cal',
      'You removed Cal',
      'You made Ben the owner',
    ]);
    // Ana is a member like the others now: no rename form, no owner's buttons.
    await a.getByLabel('Group name').waitFor({ state: 'detached' });
    expect(await members.getByRole('button', { name: /Make owner|Remove/ }).count()).toBe(0);
    // Ben owns it: his info panel offers him the owner's tools.
    await b.getByRole('button', { name: 'Group info' }).click();
    await b.getByRole('button', { name: 'Add members' }).waitFor();
    await b.getByRole('list', { name: 'Members' }).getByRole('button', { name: 'Make owner: Ana' }).waitFor();

    // Lines are not bubbles, and each shows once; the message between them is a bubble as before.
    const timeline = messageList(b);
    expect(await timeline.locator('.system-row .bubble').count()).toBe(0);
    expect(await timeline.locator('.message-row:not(.system-row) .bubble').count()).toBe(1);
    expect(await timeline.locator('.system-row').count()).toBe(all.length);
    await maybeScreenshotWidths(b, 'group-lines');
    await finish(ana, ben, cal);
  });

  it('the owner leaving is told who becomes the owner, and the others see it said', async () => {
    const ana = await person(browser, server.url);
    const ben = await person(browser, server.url);
    const cal = await person(browser, server.url);
    await mutateViaApi(ana.context, 'profiles.update', { displayName: 'Ana' });
    await mutateViaApi(ben.context, 'profiles.update', { displayName: 'Ben' });
    await mutateViaApi(cal.context, 'profiles.update', { displayName: 'Cal' });
    await befriend(ana, ben);
    await befriend(ana, cal);
    const group = await mutateViaApi<{ id: string }>(ana.context, 'groups.create', { name: 'Relay', userIds: [] });
    await mutateViaApi(ana.context, 'groups.addMembers', { chatId: group.id, userIds: [cal.user.id] });
    await mutateViaApi(ana.context, 'groups.addMembers', { chatId: group.id, userIds: [ben.user.id] });
    const [a, b] = [ana.page, ben.page];
    for (const page of [a, b]) {
      await page.goto(`/groups/${group.id}`);
      await heading(page, 'Relay').waitFor();
    }
    await a.getByRole('button', { name: 'Group info' }).click();
    await a.getByRole('button', { name: 'Leave group' }).click();
    const leaving = a.getByRole('dialog', { name: 'Leave group' });
    await leaving.getByText('Cal, its longest-standing member, becomes the owner', { exact: false }).waitFor();
    await maybeScreenshot(a, 'group-lines-leave-owner');
    await leaving.getByRole('button', { name: 'Leave' }).click();
    // Ben, added last, reads the lines from his adding on.
    await expectLines(b, ['Ana added you', 'Ana left the group', 'Cal is now the owner (the longest-standing member)']);
    await preview(b, 'Relay').filter({ hasText: 'Cal is now the owner' }).waitFor();
    await finish(ana, ben, cal);
  });
});
