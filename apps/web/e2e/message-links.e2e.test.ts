/**
 * Issue 24, bug 2: a message link opens the message in context for every
 * member of its chat, whoever copied it; the message's own chat decides, not
 * the name in the address. Old `/chats/@name/messages/<id>` links keep working
 * for both sides; a link to a chat the viewer is not in says so and shows
 * nothing of it.
 */
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshotWidths } from './browser';
import { mutateViaApi, onPath } from './helpers';
import { befriend, finish, heading, messageRow, openChatWith, type Person, person } from './people';

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

const SECRET = 'the launch code is tangerine';

const sendAs = (p: Person, chatId: string, body: string) =>
  mutateViaApi<{ id: string }>(p.context, 'message.send', { id: randomUUID(), chatId, body });

/** The message `text` is on screen, marked as the link's target. */
async function expectTarget(page: Page, text: string): Promise<void> {
  await messageRow(page, text).and(page.locator('[aria-current="true"]')).waitFor({ timeout: 20_000 });
}

describe('message links', () => {
  it('a one-to-one link opens for both sides, old form and new; a stranger learns nothing', async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    const carol = await person(browser, server.url);
    await befriend(alice, bob);
    const chat = await mutateViaApi<{ id: string }>(alice.context, 'chats.direct', { username: bob.user.username });
    for (let i = 0; i < 5; i++) await sendAs(bob, chat.id, `before ${i}`);
    const target = await sendAs(alice, chat.id, SECRET);
    await sendAs(bob, chat.id, 'after it');

    // Alice copies the link from her message's time.
    await openChatWith(alice, bob);
    const copied = await messageRow(alice.page, SECRET).locator('a.message-time').getAttribute('href');
    expect(copied).toContain(target.id);

    // Bob opens what Alice copied: the message, in his chat with Alice.
    const url = copied ?? '';
    await bob.page.goto(url);
    await heading(bob.page, alice.user.displayName).waitFor();
    await expectTarget(bob.page, SECRET);
    await maybeScreenshotWidths(bob.page, 'link-bob-opens-alices');

    // The old form, as Alice's address bar had it, opens for both.
    const old = `/chats/@${bob.user.username}/messages/${target.id}`;
    await bob.page.goto(old);
    await heading(bob.page, alice.user.displayName).waitFor();
    await expectTarget(bob.page, SECRET);
    await bob.page.waitForURL(onPath(`/chats/@${alice.user.username}/messages/${target.id}`));
    await alice.page.goto(old);
    await heading(alice.page, bob.user.displayName).waitFor();
    await expectTarget(alice.page, SECRET);

    // Carol, in neither chat, is told it is not available, and sees nothing of it.
    for (const link of [url, old]) {
      await carol.page.goto(link);
      await carol.page.getByText('This message is not available').waitFor();
      const shown = (await carol.page.locator('body').textContent()) ?? '';
      expect(shown).not.toContain(SECRET);
      expect(shown).not.toContain(alice.user.displayName);
    }
    await maybeScreenshotWidths(carol.page, 'link-stranger');
    await finish(alice, bob, carol);
  });

  it('a group link opens for another member, and names the group the message is in', async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    await befriend(alice, bob);
    const group = await mutateViaApi<{ id: string }>(alice.context, 'groups.create', {
      name: 'Linkers',
      userIds: [bob.user.id],
    });
    const target = await sendAs(alice, group.id, 'group message to link');
    // Whatever the address says, the message's chat decides.
    await bob.page.goto(`/chats/@${alice.user.username}/messages/${target.id}`);
    await heading(bob.page, 'Linkers').waitFor();
    await expectTarget(bob.page, 'group message to link');
    await finish(alice, bob);
  });
});
