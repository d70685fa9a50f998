/**
 * Contacts, profiles, one-to-one chats and groups, with two people in two
 * browser contexts (separate cookies, separate event streams) against the real
 * server: every change one makes must reach the other's open page live.
 */
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshot, newContext, watchPage } from './browser';
import { type ApiUser, expectTransport, freshUsername, mutateViaApi, onPath, registerViaApi } from './helpers';

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

interface Person {
  user: ApiUser;
  context: BrowserContext;
  page: Page;
  problems: ReturnType<typeof watchPage>;
}

/** Someone registered, signed in in their own context, with `path` open and the stream live. */
async function person(path: string): Promise<Person> {
  const context = await newContext(browser, server.url);
  const user = await registerViaApi(context, freshUsername());
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(path);
  await expectTransport(page, 'WebSocket');
  return { user, context, page, problems };
}

/** Makes two people contacts through the API (setting the scene, not what is tested). */
async function befriend(a: Person, b: Person): Promise<void> {
  await mutateViaApi(a.context, 'contacts.request', { username: b.user.username });
  await mutateViaApi(b.context, 'contacts.accept', { userId: a.user.id });
}

const list = (page: Page, name: string) => page.getByRole('list', { name, exact: true });
const chatList = (page: Page) => page.getByRole('region', { name: 'Chats', exact: true });
const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });

async function sendRequest(page: Page, username: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByRole('button', { name: 'Send request' }).click();
}

async function finish(...people: Person[]): Promise<void> {
  for (const p of people) {
    expect(p.problems.uncaught).toEqual([]);
    await p.context.close();
  }
}

describe('contacts and groups in the browser', () => {
  it('adds a contact live, shows their profile, makes a group and takes someone out of it live', async () => {
    const alice = await person('/contacts');
    const bob = await person('/contacts');
    const a = alice.page;
    const b = bob.page;

    // Clear inline errors from the server.
    await sendRequest(a, `nobody-${freshUsername()}`);
    await a.getByRole('alert').filter({ hasText: 'No user with that username.' }).waitFor();
    await sendRequest(a, alice.user.username);
    await a.getByRole('alert').filter({ hasText: 'You cannot add yourself' }).waitFor();

    await sendRequest(a, bob.user.username);
    await a
      .getByRole('status')
      .filter({ hasText: `Request sent to @${bob.user.username}` })
      .waitFor();
    await list(a, 'Sent requests').getByText(`@${bob.user.username}`).waitFor();
    await sendRequest(a, bob.user.username);
    await a.getByRole('alert').filter({ hasText: 'You have already asked' }).waitFor();

    // Bob's open page hears of the request, with no reload.
    await list(b, 'Contact requests').getByText(`@${alice.user.username}`).waitFor();
    await maybeScreenshot(b, 'contacts-request');
    await b.getByRole('button', { name: `Accept request from ${alice.user.displayName}` }).click();
    await list(b, 'Contacts').getByText(`@${alice.user.username}`).waitFor();
    await list(a, 'Contacts').getByText(`@${bob.user.username}`).waitFor();
    await list(a, 'Sent requests').waitFor({ state: 'detached' });
    await list(b, 'Contact requests').waitFor({ state: 'detached' });

    // Bob renames himself; Alice's list and his profile panel follow.
    const bobName = `Bob ${freshUsername().slice(-4)}`;
    await b.goto('/settings');
    await b.getByLabel('Display name').fill(bobName);
    await b.getByLabel('About').fill('Builds things');
    await b.getByRole('button', { name: 'Save profile' }).click();
    await b.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await b.getByTestId('user-menu').filter({ hasText: bobName }).waitFor();
    await list(a, 'Contacts').getByText(bobName).waitFor();
    await a.getByRole('button', { name: `Info about ${bobName}` }).click();
    const panel = a.getByTestId('profile-panel');
    await panel.getByRole('heading', { name: bobName }).waitFor();
    await panel.getByText(`@${bob.user.username}`).waitFor();
    await panel.getByText('Builds things').waitFor();
    await maybeScreenshot(a, 'contacts-info');

    // "Message" opens the one-to-one chat, which survives a reload.
    await a.getByRole('link', { name: `Message ${bobName}` }).click();
    await a.waitForURL(onPath(`/chats/@${bob.user.username}`));
    await heading(a, bobName).waitFor();
    await chatList(a).getByRole('link', { name: bobName }).waitFor();
    await a.reload();
    await heading(a, bobName).waitFor();
    await a.getByRole('button', { name: `View profile of ${bobName}` }).click();
    await a.getByTestId('profile-panel').getByText('Builds things').waitFor();

    // A group with Bob: it appears in Bob's list live.
    const groupName = `Team ${freshUsername().slice(-5)}`;
    await a.getByRole('button', { name: 'New group' }).click();
    const dialog = a.getByRole('dialog', { name: 'New group' });
    await dialog.getByLabel('Group name').fill(groupName);
    await dialog.getByLabel('Search contacts').fill(bob.user.username);
    await dialog.getByRole('checkbox', { name: bobName }).check();
    await maybeScreenshot(a, 'new-group');
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await a.waitForURL((url) => url.pathname.startsWith('/groups/'));
    const groupPath = new URL(a.url()).pathname;
    await heading(a, groupName).waitFor();
    await a.getByText('2 members').waitFor();

    await chatList(b).getByRole('link', { name: groupName }).click();
    await b.waitForURL(onPath(groupPath));
    await heading(b, groupName).waitFor();

    // A reload keeps the place.
    await a.reload();
    await heading(a, groupName).waitFor();
    expect(new URL(a.url()).pathname).toBe(groupPath);

    // The owner takes Bob out: Bob's page and list follow at once.
    await a.getByRole('button', { name: 'Group info' }).click();
    const members = list(a, 'Members');
    await members.getByText('Owner', { exact: true }).waitFor();
    await members.getByText(`@${bob.user.username}`).waitFor();
    await maybeScreenshot(a, 'group-info');
    await a.getByRole('button', { name: `Remove ${bobName} from the group` }).click();
    await a.getByRole('dialog', { name: 'Remove member' }).getByRole('button', { name: 'Remove' }).click();
    await a.locator('.pane-subtitle').getByText('1 member', { exact: true }).waitFor();
    await members.getByText(`@${bob.user.username}`).waitFor({ state: 'detached' });

    await b.getByText('You are no longer in this group').waitFor();
    await chatList(b).getByRole('link', { name: groupName }).waitFor({ state: 'detached' });
    await maybeScreenshot(b, 'group-gone');

    await finish(alice, bob);
  });

  it('declines and cancels requests live, removes a contact, and refuses chats that are not yours', async () => {
    const alice = await person('/contacts');
    const bob = await person('/contacts');
    const a = alice.page;
    const b = bob.page;

    // Bob declines: Alice's pending request goes away on her page.
    await sendRequest(a, bob.user.username);
    await list(b, 'Contact requests').getByText(`@${alice.user.username}`).waitFor();
    await b.getByRole('button', { name: `Decline request from ${alice.user.displayName}` }).click();
    await list(b, 'Contact requests').waitFor({ state: 'detached' });
    await list(a, 'Sent requests').waitFor({ state: 'detached' });
    await a.getByText('No contacts yet').waitFor();

    // Alice asks again and withdraws: it disappears from Bob's page.
    await sendRequest(a, bob.user.username);
    await list(b, 'Contact requests').getByText(`@${alice.user.username}`).waitFor();
    await a.getByRole('button', { name: `Cancel request to ${bob.user.displayName}` }).click();
    await list(b, 'Contact requests').waitFor({ state: 'detached' });
    await list(a, 'Sent requests').waitFor({ state: 'detached' });

    // Not contacts: no chat, the same answer as for a user who does not exist.
    await a.goto(`/chats/@${bob.user.username}`);
    await a.getByText('This chat is not available').waitFor();
    await a.goto(`/chats/@nobody-${freshUsername()}`);
    await a.getByText('This chat is not available').waitFor();

    // Contacts, then removed (after confirming) on both sides.
    await befriend(alice, bob);
    await a.goto('/contacts');
    await list(a, 'Contacts').getByText(`@${bob.user.username}`).waitFor();
    await list(b, 'Contacts').getByText(`@${alice.user.username}`).waitFor();
    await a.getByRole('button', { name: `Remove ${bob.user.displayName}` }).click();
    const confirm = a.getByRole('dialog', { name: 'Remove contact' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    await a.getByRole('button', { name: `Remove ${bob.user.displayName}` }).click();
    await confirm.getByRole('button', { name: 'Remove' }).click();
    await list(a, 'Contacts').waitFor({ state: 'detached' });
    await list(b, 'Contacts').waitFor({ state: 'detached' });

    // A group that does not exist, or is someone else's.
    await a.goto('/groups/00000000-0000-4000-8000-000000000000');
    await a.getByText('This group is not available').waitFor();
    const theirs = await mutateViaApi<{ id: string }>(bob.context, 'groups.create', { name: 'Private', userIds: [] });
    await a.goto(`/groups/${theirs.id}`);
    await a.getByText('This group is not available').waitFor();

    await finish(alice, bob);
  });

  it('adds a member, follows a rename and a member leaving, live, on both sides', async () => {
    const alice = await person('/');
    const bob = await person('/');
    await befriend(alice, bob);
    const a = alice.page;
    const b = bob.page;
    const group = await mutateViaApi<{ id: string }>(alice.context, 'groups.create', { name: 'Before', userIds: [] });
    await a.goto(`/groups/${group.id}`);
    await heading(a, 'Before').waitFor();
    await a.locator('.pane-subtitle').getByText('1 member', { exact: true }).waitFor();

    // The owner adds a contact from the info panel: the group appears in Bob's list.
    await a.getByRole('button', { name: 'Group info' }).click();
    await a.getByRole('button', { name: 'Add members' }).click();
    const dialog = a.getByRole('dialog', { name: 'Add members' });
    await dialog.getByRole('checkbox', { name: bob.user.displayName }).check();
    await dialog.getByRole('button', { name: 'Add to group' }).click();
    await dialog.waitFor({ state: 'detached' });
    await a.locator('.pane-subtitle').getByText('2 members', { exact: true }).waitFor();
    await list(a, 'Members').getByText(`@${bob.user.username}`).waitFor();
    await chatList(b).getByRole('link', { name: 'Before' }).click();
    await heading(b, 'Before').waitFor();
    await b.locator('.pane-subtitle').getByText('2 members', { exact: true }).waitFor();

    await a.getByLabel('Group name').fill('After');
    await a.getByRole('button', { name: 'Rename' }).click();
    await heading(a, 'After').waitFor();
    await heading(b, 'After').waitFor();
    await chatList(b).getByRole('link', { name: 'After' }).waitFor();

    // Bob is no owner: no rename, no remove, no delete; he can leave.
    await b.getByRole('button', { name: 'Group info' }).click();
    await b.getByRole('button', { name: 'Leave group' }).waitFor();
    expect(await b.getByRole('button', { name: 'Delete group' }).count()).toBe(0);
    expect(await b.getByRole('button', { name: 'Rename' }).count()).toBe(0);
    await b.getByRole('button', { name: 'Leave group' }).click();
    await b.getByRole('dialog', { name: 'Leave group' }).getByRole('button', { name: 'Leave' }).click();
    await b.waitForURL(onPath('/'));
    await chatList(b).getByRole('link', { name: 'After' }).waitFor({ state: 'detached' });
    await a.locator('.pane-subtitle').getByText('1 member', { exact: true }).waitFor();

    // The owner deletes it (after confirming): gone from her list too.
    await a.getByRole('button', { name: 'Delete group' }).click();
    await a.getByRole('dialog', { name: 'Delete group' }).getByRole('button', { name: 'Delete' }).click();
    await a.waitForURL(onPath('/'));
    await chatList(a).getByRole('link', { name: 'After' }).waitFor({ state: 'detached' });

    await finish(alice, bob);
  });
});
