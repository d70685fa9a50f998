/**
 * A cold load: the message formatter is in the entry script (lib/markdown.ts),
 * so text is never shown with its marks as typed and then changed (no flash);
 * the parts loaded later (the emoji picker) still open; a group's address asks
 * for its first data with the session.
 */
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshot } from './browser';
import { mutateViaApi } from './helpers';
import { befriend, chatList, heading, messageList, messageRow, openChatWith, person, send } from './people';

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

/** Records, from before the app's first script runs, every text the document ever shows that has the marks as typed. */
function recordRawMarks(marker: string): string {
  return `(() => {
    window.__rawMarks = [];
    const check = (node) => {
      const text = node.nodeType === Node.TEXT_NODE ? node.data : node.textContent ?? '';
      if (text.includes(${JSON.stringify(marker)})) window.__rawMarks.push(text);
    };
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'characterData') check(r.target);
        for (const n of r.addedNodes) check(n);
      }
    }).observe(document, { childList: true, subtree: true, characterData: true });
  })();`;
}

describe('a cold load', () => {
  it('shows the chat list and the chat formatted from their first paint, and lazy parts still open', async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    await befriend(alice, bob);
    await openChatWith(alice, bob);
    await send(alice.page, '**Loud** and *clear*');
    await messageList(alice.page).locator('strong', { hasText: 'Loud' }).waitFor();

    // Bob loads the chat cold, watching every text the page shows.
    const page = bob.page;
    await page.addInitScript(recordRawMarks('**Loud**'));
    await page.goto(`/chats/@${alice.user.username}`);
    await heading(page, alice.user.displayName).waitFor();
    await messageList(page).locator('strong', { hasText: 'Loud' }).waitFor();
    await messageList(page).locator('em', { hasText: 'clear' }).waitFor();
    await chatList(page).getByText('Loud and clear').waitFor();
    await maybeScreenshot(page, 'cold-load-formatted');
    expect(await page.evaluate(() => (window as unknown as { __rawMarks: string[] }).__rawMarks)).toEqual([]);

    // A part fetched on demand: the reaction picker.
    const row = messageList(page).getByRole('listitem').filter({ hasText: 'Loud and clear' });
    await row.locator('.message').hover();
    await row.getByRole('button', { name: 'Add reaction' }).click();
    await page
      .getByRole('dialog', { name: 'Add reaction' })
      .getByRole('button', { name: 'thumbs up' })
      .first()
      .waitFor();
    expect(bob.problems.uncaught).toEqual([]);
  });

  it("a group's address asks for the group and its newest messages in the session's request, and asks no second time", async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    await befriend(alice, bob);
    const { id: groupId } = await mutateViaApi<{ id: string }>(alice.context, 'groups.create', {
      name: 'Early birds',
      userIds: [bob.user.id],
    });
    await mutateViaApi(alice.context, 'message.send', { id: randomUUID(), chatId: groupId, body: 'first worm' });

    const page = bob.page;
    const asked: string[][] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (!url.pathname.startsWith('/trpc/')) return;
      const input = url.searchParams.get('input') ?? '';
      // A page of the newest (no cursor) is what the group opens at; a later "newer" one is the live catch-up.
      asked.push(
        url.pathname
          .slice('/trpc/'.length)
          .split(',')
          .map((name) => (name === 'message.history' && !input.includes('cursor') ? 'message.history newest' : name)),
      );
    });
    await page.goto(`/groups/${groupId}`);
    await heading(page, 'Early birds').waitFor();
    await messageRow(page, 'first worm').waitFor();
    const first = asked.find((names) => names.includes('auth.me'));
    expect(first).toEqual(expect.arrayContaining(['auth.me', 'chats.get', 'message.history newest']));
    expect(asked.flat().filter((name) => name === 'message.history newest')).toHaveLength(1);
    expect(bob.problems.uncaught).toEqual([]);
  });
});
