/**
 * Issue 30, zoom and text size (WCAG 1.4.10 Reflow, 1.4.4 Resize text): at
 * 320 CSS px wide (a 1280 px window at 400% zoom, or 640 px at 200%) and with
 * the browser's text size doubled, every main page reads without scrolling
 * sideways: nothing is wider than the window.
 */
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshot } from './browser';
import { mutateViaApi } from './helpers';
import { befriend, finish, heading, messageList, person } from './people';

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

/** How far the page reaches past the window's right edge (0 when it fits), and what sticks out most. */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    let widest: { right: number; what: string } = { right: width, what: '' };
    for (const el of document.querySelectorAll('body *')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      // Inside a scroll area of its own (the code block, the message list) it may be wider: that area scrolls, not the page.
      let clipped = false;
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        const style = getComputedStyle(up);
        if (style.overflowX !== 'visible' && up.getBoundingClientRect().right <= width + 1) {
          clipped = true;
          break;
        }
      }
      if (!clipped && box.right > widest.right + 1)
        widest = { right: box.right, what: `${el.tagName.toLowerCase()}.${el.className}` };
    }
    return { page: document.documentElement.scrollWidth - width, past: widest.right - width, what: widest.what };
  });

describe('reflow', () => {
  for (const text of ['normal', 'doubled'] as const) {
    it(`at 320 px, with the text size ${text}, no page scrolls sideways`, async () => {
      const ana = await person(browser, server.url);
      const bob = await person(browser, server.url);
      await befriend(ana, bob);
      const { id: chatId } = await mutateViaApi<{ id: string }>(bob.context, 'chats.direct', {
        username: ana.user.username,
      });
      await mutateViaApi(bob.context, 'message.send', {
        id: randomUUID(),
        chatId,
        body: 'A long line with a link https://example.com/a/very/long/path/that/does/not/break/easily and **bold** words, then `code`.',
      });
      await mutateViaApi(ana.context, 'groups.create', { name: 'Design review', userIds: [bob.user.id] });
      const page = ana.page;
      await page.setViewportSize({ width: 320, height: 640 });
      const pages: [string, () => Promise<void>][] = [
        ['/', () => page.getByRole('region', { name: 'Chats', exact: true }).waitFor()],
        [`/chats/@${bob.user.username}`, () => messageList(page).getByText('A long line', { exact: false }).waitFor()],
        ['/contacts', () => heading(page, 'Contacts').waitFor()],
        ['/settings', () => heading(page, 'Settings').waitFor()],
        ['/search?q=long', () => page.getByRole('list', { name: 'Results' }).waitFor()],
      ];
      const found: string[] = [];
      for (const [path, ready] of pages) {
        await page.goto(path);
        // The browser's text size doubled: the root font size, which every rem in the styles follows.
        if (text === 'doubled')
          await page.evaluate(() => {
            document.documentElement.style.fontSize = '200%';
          });
        await ready();
        const o = await overflow(page);
        if (o.page > 0 || o.past > 1)
          found.push(`${path}: the page is ${o.page} px too wide (${o.what} reaches ${o.past} px past)`);
        await maybeScreenshot(page, `reflow-${text}-${path.replace(/[^a-z]+/gi, '-')}`);
      }
      expect(found).toEqual([]);
      await finish(ana, bob);
    });
  }
});
