/**
 * Issue 24, bug 3: people who leave a group, are removed from it, or leave
 * the last member alone keep their name and avatar on what they wrote; only
 * their profile details follow the privacy rule.
 */
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshotWidths } from './browser';
import { mutateViaApi } from './helpers';
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

/** The sender's name and avatar initials over the message `text`. */
async function senderOf(page: Page, text: string): Promise<{ name: string; avatar: string }> {
  const row = messageRow(page, text);
  await row.waitFor();
  return {
    name: ((await row.locator('.sender').textContent()) ?? '').trim(),
    avatar: ((await row.locator('.avatar').textContent()) ?? '').trim(),
  };
}

describe('former members in a group history', () => {
  it('keep their name and avatar after leaving, being removed, and when one member is left', async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    const carol = await person(browser, server.url);
    await befriend(alice, bob);
    await befriend(alice, carol);
    await mutateViaApi(bob.context, 'profiles.update', { displayName: 'Bob Builder', about: 'private about' });
    await mutateViaApi(carol.context, 'profiles.update', { displayName: 'Carol Singer', about: '' });
    const group = await mutateViaApi<{ id: string }>(alice.context, 'groups.create', {
      name: 'Crew',
      userIds: [bob.user.id, carol.user.id],
    });
    const sendAs = (p: typeof bob, body: string) =>
      mutateViaApi(p.context, 'message.send', { id: randomUUID(), chatId: group.id, body });
    await sendAs(bob, 'bob says hi');
    await sendAs(carol, 'carol says hi');
    await sendAs(alice, 'alice answers');

    await mutateViaApi(bob.context, 'groups.leave', { chatId: group.id });
    await mutateViaApi(alice.context, 'groups.removeMember', { chatId: group.id, userId: carol.user.id });

    const a = alice.page;
    await a.goto(`/groups/${group.id}`);
    await heading(a, 'Crew').waitFor();
    await expect.poll(() => senderOf(a, 'bob says hi')).toEqual({ name: 'Bob Builder', avatar: 'BB' });
    await expect.poll(() => senderOf(a, 'carol says hi')).toEqual({ name: 'Carol Singer', avatar: 'CS' });
    expect(await a.getByText('Former member').count()).toBe(0);
    await maybeScreenshotWidths(a, 'former-members');

    await finish(alice, bob, carol);
  });
});
