/**
 * Replies in the browser (issue 27), two people: one replies to a message
 * (from its actions; the composer says what it answers, and Escape cancels),
 * the other sees the quote arrive live and clicking it brings the original
 * into view, loading older history when it is not loaded yet, marked for a
 * moment. The quote follows the original's edit and deletion live.
 */
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshot, maybeScreenshotWidths } from './browser';
import { mutateViaApi } from './helpers';
import {
  befriend,
  composer,
  finish,
  heading,
  messageList,
  messageRow,
  openChatWith,
  type Person,
  person,
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

const sendAs = (p: Person, chatId: string, body: string) =>
  mutateViaApi<{ id: string }>(p.context, 'message.send', { id: randomUUID(), chatId, body });

/** The quote shown above the reply that says `text`. */
const quoteOn = (page: Page, text: string): Locator => messageRow(page, text).locator('.reply-quote');

/** Whether `row` lies within the timeline's visible part. */
async function inView(page: Page, row: Locator): Promise<boolean> {
  const box = await row.boundingBox();
  const view = await page.getByTestId('timeline').boundingBox();
  if (!box || !view) return false;
  return box.y >= view.y - 1 && box.y + box.height <= view.y + view.height + 1;
}

const ORIGINAL = 'Where is the launch checklist?';

describe('replies', () => {
  it('one replies, the other sees the quote live and clicking it brings the original, loading older history', async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    await befriend(alice, bob);
    const chat = await mutateViaApi<{ id: string }>(alice.context, 'chats.direct', { username: bob.user.username });
    const original = await sendAs(bob, chat.id, `${ORIGINAL}\nIt was in the old wiki.`);
    // Enough after it that the original is not on the first page either of them loads (50).
    for (let i = 0; i < 70; i++) await sendAs(i % 2 ? alice : bob, chat.id, `filler ${i}`);
    await sendAs(bob, chat.id, 'Ship it on Friday?');

    // Bob has the chat open at its newest messages: the original is not loaded.
    await openChatWith(bob, alice);
    await messageRow(bob.page, 'Ship it on Friday?').waitFor();
    expect(await messageRow(bob.page, ORIGINAL).count()).toBe(0);

    // Alice replies to the newest message from its actions; Escape cancels, Reply again.
    await openChatWith(alice, bob);
    const friday = messageRow(alice.page, 'Ship it on Friday?');
    await friday.locator('.message').hover();
    await friday.getByRole('button', { name: 'Reply' }).click();
    const replying = alice.page.getByTestId('replying-to');
    await expect.poll(() => replying.textContent()).toBe(`Replying to ${bob.user.displayName}: Ship it on Friday?`);
    expect(await alice.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Message');
    await maybeScreenshotWidths(alice.page, 'reply-composer');
    await composer(alice.page).press('Escape');
    await replying.waitFor({ state: 'detached' });
    await friday.locator('.message').hover();
    await friday.getByRole('button', { name: 'Reply' }).click();
    await composer(alice.page).fill('Yes, Friday works');
    await composer(alice.page).press('Enter');
    await replying.waitFor({ state: 'detached' });
    await expect
      .poll(() => quoteOn(alice.page, 'Yes, Friday works').textContent())
      .toBe(`${bob.user.displayName} Ship it on Friday?`);

    // Alice finds the old question by its link, and answers it there.
    await alice.page.goto(`/messages/${original.id}`);
    await heading(alice.page, bob.user.displayName).waitFor();
    const question = messageList(alice.page)
      .getByRole('listitem')
      .filter({ has: alice.page.locator('.message-text', { hasText: ORIGINAL }) });
    await question.waitFor();
    await question.locator('.message').hover();
    await question.getByRole('button', { name: 'Reply' }).click();
    await expect
      .poll(() => alice.page.getByTestId('replying-to').textContent())
      .toBe(`Replying to ${bob.user.displayName}: ${ORIGINAL}`);
    await composer(alice.page).fill('In the **ops** folder');
    await composer(alice.page).press('Enter');

    // Bob sees both replies arrive with their quotes.
    const answer = messageList(bob.page).getByRole('listitem').filter({ hasText: 'In the ops folder' });
    await answer.locator('.reply-quote').waitFor({ timeout: 20_000 });
    expect(await answer.locator('.reply-quote').textContent()).toBe(`${bob.user.displayName} ${ORIGINAL}`);
    await quoteOn(bob.page, 'Yes, Friday works').waitFor();
    await maybeScreenshot(bob.page, 'reply-received');

    // Clicking the quote of the old question loads older history until it is there, shows it and marks it.
    await answer.locator('.reply-quote').click();
    const shown = messageList(bob.page).locator('.message.flashed');
    await shown.waitFor({ timeout: 20_000 });
    expect(await shown.locator('.message-text').textContent()).toContain(ORIGINAL);
    await expect.poll(() => inView(bob.page, shown)).toBe(true);
    await maybeScreenshot(bob.page, 'reply-jumped');
    // Marked for a moment only.
    await shown.waitFor({ state: 'detached', timeout: 5_000 });

    // The original changes: the quote on Alice's screen follows, live.
    const quote = messageList(alice.page)
      .getByRole('listitem')
      .filter({ hasText: 'In the ops folder' })
      .locator('.reply-quote-text');
    await mutateViaApi(bob.context, 'message.edit', {
      messageId: original.id,
      body: 'Where is the **new** checklist?',
    });
    await expect.poll(() => quote.textContent(), { timeout: 20_000 }).toBe('Where is the new checklist?');
    await mutateViaApi(bob.context, 'message.delete', { messageId: original.id });
    await expect.poll(() => quote.textContent(), { timeout: 20_000 }).toBe('Deleted message');
    await maybeScreenshot(alice.page, 'reply-original-deleted');

    // A search hit that is a reply says what it answers.
    await bob.page.goto('/search?q=ops%20folder');
    const hitQuote = bob.page.getByTestId('search-quote');
    await expect.poll(() => hitQuote.textContent(), { timeout: 20_000 }).toBe('Deleted message');
    await maybeScreenshot(bob.page, 'reply-search-hit');

    await finish(alice, bob);
  });
});
