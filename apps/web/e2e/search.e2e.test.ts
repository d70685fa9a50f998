/**
 * Search in the browser against the real server: typing searches as you type
 * and highlights the matches; a result opens its message in its chat (and a
 * reload lands there again); `/search?q=…` reloads to the same results; Esc
 * returns to the chat list and the page before; a stranger's messages never
 * show; the server's word on a bad filter shows inline; a narrow window shows
 * one column at a time.
 */
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshot } from './browser';
import { mutateViaApi, onPath } from './helpers';
import { befriend, chatList, finish, heading, messageList, messageRow, type Person, person } from './people';

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

const TARGET = 'the pineapple plan is ready';
const MARKUP = '<b>pineapple</b> & <i>tags</i> stay text';
/** Seeding four people and some 60 messages takes a while on two shared cores. */
const SLOW = 150_000;

const IN_GROUP = 'pineapple pizza for the launch?';
const STRANGER = 'pineapple secret between strangers';
const BEFORE = Array.from({ length: 30 }, (_, i) => `filler ${i + 1}`);
const AFTER = Array.from({ length: 30 }, (_, i) => `later ${i + 1}`);

interface Scene {
  alice: Person;
  bob: Person;
  carol: Person;
  groupId: string;
  targetId: string;
}

const sendAs = (p: Person, chatId: string, body: string) =>
  mutateViaApi<{ id: string }>(p.context, 'message.send', { id: randomUUID(), chatId, body });

/**
 * Alice and Bob are contacts with a long one-to-one chat (the target in the
 * middle) and a group; Carol and Dave, strangers to Alice, use the same word.
 */
async function scene(alicePath = '/', viewport?: { width: number; height: number }): Promise<Scene> {
  const alice = await person(browser, server.url, alicePath);
  if (viewport) await alice.page.setViewportSize(viewport);
  const bob = await person(browser, server.url);
  const carol = await person(browser, server.url);
  const dave = await person(browser, server.url);
  await befriend(alice, bob);
  await befriend(carol, dave);
  const direct = await mutateViaApi<{ id: string }>(bob.context, 'chats.direct', { username: alice.user.username });
  for (const body of BEFORE) await sendAs(bob, direct.id, body);
  const target = await sendAs(bob, direct.id, TARGET);
  for (const body of AFTER) await sendAs(bob, direct.id, body);
  await sendAs(bob, direct.id, MARKUP);
  const group = await mutateViaApi<{ id: string }>(alice.context, 'groups.create', {
    name: 'Launch crew',
    userIds: [bob.user.id],
  });
  await sendAs(alice, group.id, IN_GROUP);
  const strangers = await mutateViaApi<{ id: string }>(carol.context, 'chats.direct', { username: dave.user.username });
  await sendAs(carol, strangers.id, STRANGER);
  await dave.context.close();
  return { alice, bob, carol, groupId: group.id, targetId: target.id };
}

const searchBox = (page: Page) => page.getByRole('searchbox', { name: 'Search messages' });
const resultsPanel = (page: Page) => page.getByRole('region', { name: 'Search results' });
const results = (page: Page) => resultsPanel(page).getByRole('list', { name: 'Results' });
const hits = (page: Page) => results(page).getByRole('link');
const hit = (page: Page, text: string) => hits(page).filter({ hasText: text });
const highlighted = (page: Page) => messageList(page).locator('[aria-current="true"]');

/** Waits until the results show exactly these many hits. */
async function expectHitCount(page: Page, count: number): Promise<void> {
  await expect.poll(() => hits(page).count(), { timeout: 20_000 }).toBe(count);
}

/** Waits until `row` is wholly inside the scrolled message list. */
async function expectInView(page: Page, row: Locator): Promise<void> {
  const timeline = page.getByTestId('timeline');
  await expect
    .poll(
      async () => {
        const [r, t] = await Promise.all([row.boundingBox(), timeline.boundingBox()]);
        return Boolean(r && t && r.y >= t.y - 1 && r.y + r.height <= t.y + t.height + 1);
      },
      { timeout: 10_000 },
    )
    .toBe(true);
}

/** Waits until the page is at the target, highlighted and in view, with messages on both sides of it. */
async function expectAtTarget(page: Page, s: Scene): Promise<void> {
  await page.waitForURL(onPath(`/chats/@${s.bob.user.username}/messages/${s.targetId}`));
  await heading(page, s.bob.user.displayName).waitFor();
  await highlighted(page).filter({ hasText: TARGET }).waitFor();
  expect(await highlighted(page).count()).toBe(1);
  await expectInView(page, messageRow(page, TARGET));
  await messageRow(page, 'filler 30').waitFor();
  await messageRow(page, 'later 1').waitFor();
}

describe('search in the browser', () => {
  it(
    'searches as you type, highlights, opens a result at its message, and lands there again on reload',
    async () => {
      const s = await scene();
      const a = s.alice.page;
      await chatList(a).getByRole('link', { name: s.bob.user.displayName }).waitFor();
      const entries = await a.evaluate(() => history.length);

      // A prefix while typing finds the word; the address follows, one history entry for the typing.
      await searchBox(a).pressSequentially('pineap', { delay: 30 });
      await a.waitForURL((url) => url.pathname === '/search' && url.searchParams.get('q') === 'pineap');
      await expectHitCount(a, 3);
      await chatList(a).waitFor({ state: 'detached' });
      await searchBox(a).pressSequentially('ple', { delay: 30 });
      await searchBox(a).press('Enter');
      await a.waitForURL((url) => url.searchParams.get('q') === 'pineapple');
      expect(await a.evaluate(() => history.length)).toBe(entries + 1);
      await expectHitCount(a, 3);

      // Each hit: its chat, its sender, its time, the word in <mark>; markup in a message stays text.
      const marks = await results(a).locator('mark').allInnerTexts();
      expect(marks.length).toBeGreaterThanOrEqual(3);
      for (const m of marks) expect(m.toLowerCase()).toBe('pineapple');
      await hit(a, 'plan is ready').getByText(s.bob.user.displayName).waitFor();
      const group = hit(a, 'pizza for the launch');
      await group.getByText('Launch crew').waitFor();
      await group.getByText('You', { exact: true }).waitFor();
      expect(await hit(a, 'pizza').locator('time').count()).toBe(1);
      expect(await hit(a, 'stay text').getByTestId('search-snippet').textContent()).toBe(MARKUP);
      expect(await results(a).locator('b, i').count()).toBe(0);
      // The stranger's message with the same word never shows.
      expect(await hits(a).filter({ hasText: 'secret' }).count()).toBe(0);
      await maybeScreenshot(a, 'search-results');

      // Open the hit: the chat at that message, highlighted and in view, messages around it; the results stay.
      await hit(a, 'plan is ready').click();
      await expectAtTarget(a, s);
      await hit(a, 'plan is ready').and(a.locator('[aria-current="page"]')).waitFor();
      expect(await searchBox(a).inputValue()).toBe('pineapple');
      await maybeScreenshot(a, 'search-opened');

      // Scrolling both ways from there loads what is beyond, in order.
      const timeline = a.getByTestId('timeline');
      await expect
        .poll(
          async () => {
            await timeline.evaluate((el) => {
              el.scrollTop = el.scrollHeight;
            });
            return messageRow(a, 'later 30').count();
          },
          { timeout: 20_000 },
        )
        .toBe(1);
      await expect
        .poll(
          async () => {
            await timeline.evaluate((el) => {
              el.scrollTop = 0;
            });
            return messageRow(a, 'filler 1').count();
          },
          { timeout: 20_000 },
        )
        .toBe(1);
      const shown = await messageList(a).locator('.message-text').allInnerTexts();
      expect(shown).toEqual([...BEFORE, TARGET, ...AFTER, MARKUP]);

      // Reloading the permalink lands on the message again (the search itself is not in this address).
      await a.reload();
      await expectAtTarget(a, s);
      await chatList(a).waitFor();

      // Back in history is the search; Forward the message.
      await a.goBack();
      await a.waitForURL(onPath(`/search`));
      await expectHitCount(a, 3);
      expect(await searchBox(a).inputValue()).toBe('pineapple');

      await finish(s.alice, s.bob, s.carol);
    },
    SLOW,
  );

  it(
    'reloads /search?q=…, orders, pages, moves by keyboard, shows bad filters, and Esc returns',
    async () => {
      const s = await scene();
      const a = s.alice.page;

      // A reloaded (or shared) search shows its results.
      await a.goto('/search?q=pineapple');
      await expectHitCount(a, 3);
      expect(await searchBox(a).inputValue()).toBe('pineapple');
      await a.reload();
      await expectHitCount(a, 3);
      expect(await hits(a).filter({ hasText: 'secret' }).count()).toBe(0);

      // Most relevant first: in the address too, and it survives a reload.
      await resultsPanel(a).getByRole('button', { name: 'Relevant' }).click();
      await a.waitForURL((url) => url.searchParams.get('order') === 'relevant');
      await a.reload();
      await expectHitCount(a, 3);
      expect(await resultsPanel(a).getByRole('button', { name: 'Relevant' }).getAttribute('aria-pressed')).toBe('true');
      await resultsPanel(a).getByRole('button', { name: 'Newest' }).click();
      await a.waitForURL((url) => url.pathname === '/search' && !url.searchParams.has('order'));
      await resultsPanel(a).getByText('3 results').waitFor();

      // The keyboard: ↓ from the box to the first hit, ↓ to the next, Enter opens it.
      await searchBox(a).focus();
      await searchBox(a).press('ArrowDown');
      await expect.poll(() => a.evaluate(() => document.activeElement?.classList.contains('search-hit'))).toBe(true);
      const second = await hits(a).nth(1).getAttribute('href');
      await a.keyboard.press('ArrowDown');
      await a.keyboard.press('Enter');
      await a.waitForURL((url) => url.pathname === second);
      await highlighted(a).waitFor();

      // Esc beside an opened result: the chat list again, the chat stays.
      await searchBox(a).press('Escape');
      await chatList(a).waitFor();
      await resultsPanel(a).waitFor({ state: 'detached' });
      expect(new URL(a.url()).pathname).toBe(second);
      expect(await searchBox(a).inputValue()).toBe('');

      // From a chat, a search with more hits than a page: load more; Esc goes back to the chat.
      await chatList(a).getByRole('link', { name: s.bob.user.displayName }).click();
      await a.waitForURL(onPath(`/chats/@${s.bob.user.username}`));
      await searchBox(a).fill('filler');
      await a.waitForURL((url) => url.searchParams.get('q') === 'filler');
      await expectHitCount(a, 20);
      await resultsPanel(a).getByText('20+ results').waitFor();
      await resultsPanel(a).getByRole('button', { name: 'Load more results' }).click();
      await expectHitCount(a, 30);
      await resultsPanel(a).getByRole('button', { name: 'Load more results' }).waitFor({ state: 'detached' });
      await resultsPanel(a).getByText('30 results').waitFor();
      await searchBox(a).press('Escape');
      await a.waitForURL(onPath(`/chats/@${s.bob.user.username}`));
      await chatList(a).waitFor();

      // A bad filter: the server's message, inline; nothing found: an empty state.
      await searchBox(a).fill('pineapple in:nosuchgroup');
      await resultsPanel(a)
        .getByRole('alert')
        .filter({ hasText: 'You are in no group called “nosuchgroup”.' })
        .waitFor();
      expect(await hits(a).count()).toBe(0);
      await searchBox(a).fill('pineapple in:"Launch crew"');
      await expectHitCount(a, 1);
      await searchBox(a).fill('zebracornflakes');
      await resultsPanel(a).getByText('No results').waitFor();
      // Only the tips: the search "?" opens them.
      await resultsPanel(a).getByRole('button', { name: 'Search tips' }).click();
      await resultsPanel(a).getByText('from:@alice').first().waitFor();

      // The close button does what Esc does.
      await a.getByRole('button', { name: 'Close search' }).click();
      await a.waitForURL(onPath(`/chats/@${s.bob.user.username}`));
      await chatList(a).waitFor();

      await finish(s.alice, s.bob, s.carol);
    },
    SLOW,
  );

  it(
    'shows one column at a time on a narrow window: results, then the message, then back to the results',
    async () => {
      const s = await scene('/', { width: 390, height: 760 });
      const a = s.alice.page;
      await searchBox(a).fill('pineapple');
      await expectHitCount(a, 3);
      await hit(a, 'plan is ready').click();
      await expectAtTarget(a, s);
      expect(await resultsPanel(a).isVisible()).toBe(false);
      await maybeScreenshot(a, 'search-narrow-opened');
      await a.getByRole('link', { name: 'Back to search results' }).click();
      await a.waitForURL((url) => url.pathname === '/search' && url.searchParams.get('q') === 'pineapple');
      await expectHitCount(a, 3);
      expect(await hits(a).first().isVisible()).toBe(true);
      await searchBox(a).press('Escape');
      await chatList(a).waitFor();
      await a.getByRole('link', { name: 'Back to search results' }).waitFor({ state: 'detached' });

      await finish(s.alice, s.bob, s.carol);
    },
    SLOW,
  );
});
