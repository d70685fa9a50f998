/**
 * Issue 30, keyboard only: a whole working session without the mouse. Ana
 * signs in, opens her chat with Bob from the quick switcher, reacts to his
 * message with an emoji, replies to it, uploads an image, and searches and
 * jumps to an older message. Every step is Tab, Shift+Tab, arrows, Enter,
 * typing or a shortcut; the only other input is the file chooser's answer
 * (the operating system's dialog, which a keyboard user drives there).
 */
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshot, newContext } from './browser';
import { mutateViaApi, PASSWORD } from './helpers';
import { befriend, composer, finish, heading, messageList, messageRow, person } from './people';

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

/** Whether `target` has the focus now, without waiting for it to exist (message actions are drawn only while wanted). */
const isFocused = (target: Locator) => target.evaluateAll((els) => els.some((el) => el === document.activeElement));

/** Presses Tab (Shift+Tab with `back`) until `target` has the focus; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, { back = false, max = 60 } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await isFocused(target)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  if (!(await isFocused(target))) throw new Error(`${max} presses of ${back ? 'Shift+Tab' : 'Tab'} did not reach it`);
}

describe('keyboard only', () => {
  it('signs in, opens a chat, reacts, replies, uploads an image, searches and jumps', async () => {
    const bob = await person(browser, server.url);
    const ana = await person(browser, server.url);
    await befriend(ana, bob);
    const { id: chatId } = await mutateViaApi<{ id: string }>(bob.context, 'chats.direct', {
      username: ana.user.username,
    });
    await mutateViaApi(bob.context, 'message.send', { id: randomUUID(), chatId, body: 'the budget is in the wiki' });
    for (let i = 0; i < 30; i++) {
      await mutateViaApi(bob.context, 'message.send', { id: randomUUID(), chatId, body: `filler ${i}` });
    }
    await mutateViaApi(bob.context, 'message.send', { id: randomUUID(), chatId, body: 'lunch today?' });

    // A fresh browser for Ana, signed out: she signs in with the keyboard.
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    await page.goto('/login');
    await tabTo(page, page.getByLabel('Username'));
    await page.keyboard.type(ana.user.username);
    await page.keyboard.press('Tab');
    expect(await isFocused(page.getByLabel('Password'))).toBe(true);
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'Chats', exact: true }).waitFor();

    // The quick switcher (Ctrl+K) opens the chat with Bob; the composer has the focus.
    await page.keyboard.press('Control+k');
    const jump = page.getByRole('combobox', { name: 'Jump to a chat or contact' });
    await jump.waitFor();
    await page.keyboard.type(bob.user.displayName);
    await page
      .getByRole('option', { name: new RegExp(bob.user.displayName) })
      .first()
      .waitFor();
    await page.keyboard.press('Enter');
    await heading(page, bob.user.displayName).waitFor();
    await messageRow(page, 'lunch today?').waitFor();
    await expect.poll(() => isFocused(composer(page))).toBe(true);

    // Back from the composer to "Add reaction" on Bob's last message; the picker's search, then Enter.
    const lunch = messageRow(page, 'lunch today?');
    await tabTo(page, lunch.getByRole('button', { name: 'Add reaction' }), { back: true });
    await maybeScreenshot(page, 'keyboard-focus-reaction');
    await page.keyboard.press('Enter');
    const picker = page.getByRole('dialog', { name: 'Add reaction' });
    await picker.waitFor();
    await tabTo(page, picker.getByRole('searchbox', { name: 'Search emoji' }));
    await page.keyboard.type('thumbs up');
    // Enter picks the first result, so the results must be there: the emoji data is a chunk of its own.
    await picker.getByRole('group', { name: 'Search results' }).getByRole('button').first().waitFor();
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    await lunch.getByRole('button', { name: /👍/ }).waitFor();

    // The picker gave the focus back to "Add reaction"; "Reply" is next. Its quote goes in the composer.
    expect(await isFocused(lunch.getByRole('button', { name: 'Add reaction' }))).toBe(true);
    await tabTo(page, lunch.getByRole('button', { name: 'Reply' }), { max: 3 });
    await page.keyboard.press('Enter');
    await expect.poll(() => isFocused(composer(page))).toBe(true);
    await page.keyboard.type('yes, at noon');
    await page.keyboard.press('Enter');
    const reply = messageRow(page, 'yes, at noon');
    await reply.waitFor();
    await reply.getByText('lunch today?').waitFor();

    // An image, through the attach button and the file chooser; Enter in the composer sends it.
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3366cc' } })
      .png()
      .toBuffer();
    // The chooser is awaited before any key goes: Playwright turns on its interception with that
    // listener, asynchronously, and a chooser opened before then is the browser's own and never
    // reported (CI once lost that race with Promise.all).
    const choosing = page.waitForEvent('filechooser', { timeout: 15_000 });
    // The paperclip sits on the formatting bar, above (before) the composer.
    await tabTo(page, page.getByRole('button', { name: 'Attach images or files' }), { back: true, max: 10 });
    await page.keyboard.press('Enter');
    const chooser = await choosing.catch(async (error: unknown) => {
      const focused = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 160) ?? 'nothing');
      throw new Error(`Enter on the paperclip opened no file chooser; the focus is on ${focused}`, { cause: error });
    });
    await chooser.setFiles({ name: 'chart.png', mimeType: 'image/png', buffer: png });
    await tabTo(page, composer(page), { max: 10 });
    await page.keyboard.type('the chart');
    await page.keyboard.press('Enter');
    await messageRow(page, 'the chart').locator('img').waitFor();

    // Search, ↓ to the hit, Enter: the message in its chat, marked.
    const search = page.getByRole('searchbox', { name: 'Search messages' });
    await tabTo(page, search, { back: true, max: 200 });
    await page.keyboard.type('budget');
    await page.keyboard.press('Enter');
    await page.getByRole('list', { name: 'Results' }).getByRole('listitem').first().waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await messageList(page).locator('[aria-current="true"]').filter({ hasText: 'the budget is in the wiki' }).waitFor();
    await maybeScreenshot(page, 'keyboard-search-jump');
    await context.close();
    await finish(ana, bob);
  });
});
