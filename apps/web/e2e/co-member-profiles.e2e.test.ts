/**
 * Issue 24, "things users expect": a co-member's profile opens from a
 * message's author (name or avatar) and from the group's member list, with
 * "Add to contacts" (then "Request sent", then "Message" once the other side
 * accepts) or "Message" for a contact. A stranger still gets nothing.
 */
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshotWidths } from './browser';
import { mutateViaApi, onPath } from './helpers';
import { befriend, finish, heading, messageRow, person } from './people';

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

describe("co-members' profiles", () => {
  it('open from a message and from the member list, with Add to contacts, Request sent and Message', async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url, '/contacts');
    const carol = await person(browser, server.url);
    const dave = await person(browser, server.url);
    await befriend(alice, bob);
    await befriend(alice, carol);
    await mutateViaApi(bob.context, 'profiles.update', { displayName: 'Bob Builder', about: 'Builds things' });
    await mutateViaApi(alice.context, 'profiles.update', {
      displayName: 'Alice Wonderland-Featherstonehaugh of the Very Long Name',
    });
    const group = await mutateViaApi<{ id: string }>(alice.context, 'groups.create', {
      name: 'Crew',
      userIds: [bob.user.id, carol.user.id],
    });
    await mutateViaApi(bob.context, 'message.send', { id: randomUUID(), chatId: group.id, body: 'hello from bob' });

    // Carol and Bob share the group but are not contacts: his name on his message opens his profile.
    const c = carol.page;
    await c.goto(`/groups/${group.id}`);
    await heading(c, 'Crew').waitFor();
    const row = messageRow(c, 'hello from bob');
    await row.getByRole('button', { name: 'View profile of Bob Builder' }).click();
    const panel = c.getByTestId('profile-panel');
    await panel.getByRole('heading', { name: 'Bob Builder' }).waitFor();
    await panel.getByText('Builds things').waitFor();
    const profile = c.getByRole('complementary', { name: 'Profile' });
    const add = profile.getByRole('button', { name: 'Add to contacts' });
    await add.waitFor();
    await maybeScreenshotWidths(c, 'profile-from-message');
    await add.click();
    await profile.getByRole('button', { name: 'Request sent' }).waitFor();
    expect(await profile.getByRole('button', { name: 'Request sent' }).isDisabled()).toBe(true);
    await maybeScreenshotWidths(c, 'profile-request-sent');

    // Bob, in his own browser, accepts; Carol's open profile turns to "Message" without a reload.
    await bob.page.getByRole('button', { name: `Accept request from ${carol.user.displayName}` }).click();
    const message = profile.getByRole('link', { name: 'Message' });
    await message.waitFor({ timeout: 15_000 });
    await message.click();
    await c.waitForURL(onPath(`/chats/@${bob.user.username}`));
    await heading(c, 'Bob Builder').waitFor();

    // From the member list: a contact's profile has Message and a way back to the list.
    await c.goto(`/groups/${group.id}`);
    await heading(c, 'Crew').waitFor();
    await c.getByRole('button', { name: 'Group info' }).click();
    const members = c.getByRole('list', { name: 'Members' });
    await members
      .getByRole('button', { name: 'View profile of Alice Wonderland-Featherstonehaugh of the Very Long Name' })
      .click();
    await profile.getByRole('link', { name: 'Message' }).waitFor();
    await maybeScreenshotWidths(c, 'profile-from-members');
    await profile.getByRole('button', { name: 'Back to group info' }).click();
    await members.waitFor();

    // By keyboard: the author's name is a button; Enter opens, Escape closes and gives focus back.
    const name = messageRow(c, 'hello from bob').getByRole('button', { name: 'View profile of Bob Builder' });
    await name.focus();
    await c.keyboard.press('Enter');
    await profile.waitFor();
    await c.keyboard.press('Escape');
    await profile.waitFor({ state: 'detached' });
    expect(await name.evaluate((el) => el === document.activeElement)).toBe(true);

    // Dave shares no chat with Bob and is not his contact: no profile, no group.
    const refused = await dave.context.request.get(
      `/trpc/profiles.get?input=${encodeURIComponent(JSON.stringify({ json: { username: bob.user.username } }))}`,
    );
    expect(refused.status()).toBe(404);
    expect(await refused.text()).toContain('NOT_FOUND');
    await dave.page.goto(`/groups/${group.id}`);
    await dave.page.getByText('This group is not available').waitFor();

    await finish(alice, bob, carol, dave);
  });
});
