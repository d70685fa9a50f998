/**
 * axe-core in the browser on every page and state we can reach: signed out
 * (sign-in, register), the chat list, a one-to-one chat with formatted
 * messages, an image, a reaction and a reply, a group with its info panel,
 * contacts with requests both ways, search results, settings, the image
 * viewer, the emoji picker, the menus and dialogs. Each is checked at the
 * desktop width and at 390 px, in the light and the dark theme (the system's
 * preference, emulated), with reduced motion on so that no transition is
 * caught half-way. The WCAG 2.0/2.1/2.2 A and AA rules must all pass; a
 * violation that cannot be fixed goes in ALLOWED with its reason.
 *
 * axe's source is injected as a script tag, so these contexts bypass the
 * server's CSP (which allows no inline script); the CSP itself is tested
 * elsewhere (settings, xss).
 */
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Allowance, audit as checkPage, type Finding, lines, WIDTHS } from './axe';
import { launchBrowser, maybeScreenshot, watchPage } from './browser';
import { type ApiUser, expectTransport, freshUsername, mutateViaApi, registerViaApi } from './helpers';
import { composer, heading, messageList, type Person } from './people';
import { pasteFiles, pngBytes, rowWith, uploadItem } from './rich';

/**
 * Violations that cannot be fixed, each for one rule on the elements whose
 * selector matches, with the reason. Keep it short.
 */
const ALLOWED: Allowance[] = [
  {
    rule: 'target-size',
    selector: /^\.back-link$/,
    state: /^skip-link-.*-390$/,
    reason:
      'The skip link shows over the corner of the page only while it has the focus (the first Tab stop); on a phone it covers the back arrow for that moment, which is whole again as soon as the focus moves on.',
  },
];

const audit = (page: Page, state: string) => checkPage(page, state, ALLOWED);

/** Each state is checked four times (two widths, two themes): more than the e2e default on a busy machine. */
const SLOW = 240_000;

let server: TestServer;
let browser: Browser;
let alice: Person;
let bob: Person;
let carol: Person;
let dave: Person;
let groupId: string;

/** A context like `newContext`'s, which lets the injected axe script run. */
function auditContext(): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: server.url,
    viewport: { ...WIDTHS[0] },
    bypassCSP: true,
    reducedMotion: 'reduce',
  });
}

/** Someone registered under a display name; with the app open and streaming when `open`. */
async function member(displayName: string, open = false): Promise<Person> {
  const context = await auditContext();
  const user: ApiUser = await registerViaApi(context, freshUsername());
  await mutateViaApi(context, 'profiles.update', { displayName, about: '' });
  user.displayName = displayName;
  const page = await context.newPage();
  const problems = watchPage(page);
  if (open) {
    await page.goto('/');
    await expectTransport(page, 'WebSocket');
  }
  return { user, context, page, problems };
}

const send = (from: Person, chatId: string, body: string, replyToId?: string) =>
  mutateViaApi<{ id: string }>(from.context, 'message.send', { id: randomUUID(), chatId, body, replyToId });

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  alice = await member('Alice Park', true);
  bob = await member('Bob Stone');
  carol = await member('Carol Jones');
  dave = await member('Dave Wu');
  await mutateViaApi(alice.context, 'contacts.request', { username: bob.user.username });
  await mutateViaApi(bob.context, 'contacts.accept', { userId: alice.user.id });
  // Requests both ways for the contacts page: one to Alice, one from her.
  await mutateViaApi(carol.context, 'contacts.request', { username: alice.user.username });
  await mutateViaApi(alice.context, 'contacts.request', { username: dave.user.username });

  const direct = await mutateViaApi<{ id: string }>(alice.context, 'chats.direct', { username: bob.user.username });
  const draft = await send(bob, direct.id, 'Morning! Did you see the **draft** of the *plan*?');
  await send(alice, direct.id, 'Yes. It builds with `pnpm build`:\n```\npnpm install\npnpm build\n```');
  await send(bob, direct.id, `@${alice.user.username} great, the notes are at https://example.com/plan`, draft.id);
  await mutateViaApi(alice.context, 'message.react', { messageId: draft.id, emoji: '👍', on: true });

  groupId = (
    await mutateViaApi<{ id: string }>(alice.context, 'groups.create', {
      name: 'Design review',
      userIds: [bob.user.id],
    })
  ).id;
  await send(bob, groupId, 'Shall we look at the draft at three?');
  await send(alice, groupId, 'Yes, three works.');

  // An image, pasted into the one-to-one chat through the UI.
  const a = alice.page;
  await a.goto(`/chats/@${bob.user.username}`);
  await heading(a, bob.user.displayName).waitFor();
  await pasteFiles(a, [{ name: 'sunset.png', type: 'image/png', bytes: await pngBytes(640, 400) }]);
  await uploadItem(a, 'sunset.png').and(a.locator('[data-status="done"]')).waitFor();
  await composer(a).fill('The view from the office');
  await composer(a).press('Enter');
  await rowWith(a, 'The view from the office').locator('img').waitFor();
}, SLOW);

afterAll(async () => {
  for (const p of [alice, bob, carol, dave]) await p?.context.close();
  await browser?.close();
  await server?.stop();
});

describe('accessibility (axe-core, WCAG 2.2 A and AA)', () => {
  it(
    'signed out: sign-in, with its errors, and register',
    async () => {
      const context = await auditContext();
      const page = await context.newPage();
      const found: Finding[] = [];
      await page.goto('/login');
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      found.push(...(await audit(page, 'sign-in')));
      await page.getByLabel('Username').fill('nobody-here');
      await page.getByLabel('Password').fill('wrong password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('.form-error, .field-error').first().waitFor();
      found.push(...(await audit(page, 'sign-in-error')));
      await page.goto('/register');
      await page.getByRole('button', { name: /create account|register/i }).waitFor();
      found.push(...(await audit(page, 'register')));
      await context.close();
      expect(lines(found)).toEqual([]);
    },
    SLOW,
  );

  it(
    'the chat list and a one-to-one chat: the skip link, the profile panel, the message editor',
    async () => {
      const a = alice.page;
      const found: Finding[] = [];
      await a.goto('/');
      await a.getByRole('region', { name: 'Chats', exact: true }).getByText('Design review').waitFor();
      found.push(...(await audit(a, 'chat-list')));

      await a.goto(`/chats/@${bob.user.username}`);
      await heading(a, bob.user.displayName).waitFor();
      await rowWith(a, 'The view from the office').locator('img').waitFor();
      await messageList(a).locator('.reaction-chip').first().waitFor();
      found.push(...(await audit(a, 'chat')));
      // Each message is one sentence to a screen reader: author and time, text, then what surrounds it in words.
      const time = String.raw`\d{1,2}[:.]\d{2}(\s?[AP]M)?`;
      const said = (pattern: string) => messageList(a).getByRole('listitem', { name: new RegExp(`^${pattern}$`) });
      await said(
        `Bob Stone at ${time}: Morning! Did you see the draft of the plan\\? You reacted with 👍\\.`,
      ).waitFor();
      await said(
        `Bob Stone at ${time}, replying to Bob Stone: @\\S+ great, the notes are at https://example.com/plan`,
      ).waitFor();
      await said(`You at ${time}: The view from the office 1 image\\. (Sent|Delivered|Read)\\.`).waitFor();
      // The lead is also read in place, before the text (a one-to-one chat shows no names).
      expect(await rowWith(a, 'The view from the office').locator('.visually-hidden').first().textContent()).toMatch(
        new RegExp(`^You at ${time}:$`),
      );

      // The skip link: the first Tab stop, shown while focused; Enter puts the caret in the composer.
      // From the top of the page, as after a load (opening a chat focuses its composer, so start over there).
      await a.evaluate(() => {
        document.body.tabIndex = -1;
        document.body.focus();
        document.body.removeAttribute('tabindex');
      });
      await a.keyboard.press('Tab');
      const skip = a.getByRole('button', { name: 'Skip to composer' });
      expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
      expect((await skip.boundingBox())?.width ?? 0).toBeGreaterThan(40);
      found.push(...(await audit(a, 'skip-link')));
      await a.keyboard.press('Enter');
      expect(await composer(a).evaluate((el) => el === document.activeElement)).toBe(true);

      await a
        .getByRole('button', { name: `View profile of ${bob.user.displayName}` })
        .first()
        .click();
      const profile = a.getByRole('complementary', { name: 'Profile' });
      await profile.getByRole('heading', { name: bob.user.displayName }).waitFor();
      found.push(...(await audit(a, 'profile-panel')));
      await profile.getByRole('button', { name: 'Close profile' }).click();
      await profile.waitFor({ state: 'detached' });

      await composer(a).fill('');
      await composer(a).press('ArrowUp');
      const editor = a.getByRole('textbox', { name: 'Edit message' });
      await editor.waitFor();
      found.push(...(await audit(a, 'message-editor')));
      await editor.press('Escape');
      await editor.waitFor({ state: 'detached' });
      expect(lines(found)).toEqual([]);
    },
    SLOW,
  );

  it(
    'the emoji picker, the image viewer and the account menu',
    async () => {
      const a = alice.page;
      const found: Finding[] = [];
      await a.goto(`/chats/@${bob.user.username}`);
      await rowWith(a, 'The view from the office').locator('img').waitFor();

      const row = rowWith(a, 'Did you see');
      await row.locator('.message').hover();
      await row.getByRole('button', { name: 'Add reaction' }).click();
      const picker = a.getByRole('dialog', { name: 'Add reaction' });
      await picker.getByRole('button', { name: 'thumbs up' }).first().waitFor();
      found.push(...(await audit(a, 'emoji-picker')));
      await a.keyboard.press('Escape');
      await picker.waitFor({ state: 'detached' });

      await rowWith(a, 'The view from the office').getByRole('button', { name: 'Open image sunset.png' }).click();
      const viewer = a.getByRole('dialog', { name: 'Image viewer' });
      await viewer.getByRole('img', { name: 'sunset.png' }).waitFor();
      found.push(...(await audit(a, 'image-viewer')));
      await a.keyboard.press('Escape');
      await viewer.waitFor({ state: 'detached' });

      // The account menu lives in the sidebar, which a phone shows on the chat list.
      await a.goto('/');
      await a.getByTestId('user-menu').click();
      await a.getByRole('menu', { name: 'Account' }).waitFor();
      found.push(...(await audit(a, 'user-menu')));
      await a.keyboard.press('Escape');
      expect(lines(found)).toEqual([]);
    },
    SLOW,
  );

  it(
    'a group with its info panel and dialogs',
    async () => {
      const a = alice.page;
      const found: Finding[] = [];
      await a.goto(`/groups/${groupId}`);
      await heading(a, 'Design review').waitFor();
      await messageList(a).getByText('Yes, three works.').waitFor();
      await a.getByRole('button', { name: 'Group info' }).click();
      await a.getByRole('button', { name: 'Add members' }).waitFor();
      found.push(...(await audit(a, 'group-info')));

      await messageList(a)
        .getByRole('button', { name: /^Seen by/ })
        .first()
        .click();
      const seenBy = a.getByRole('complementary', { name: 'Seen by' });
      await seenBy.waitFor();
      found.push(...(await audit(a, 'seen-by-panel')));
      await a.keyboard.press('Escape');
      await seenBy.waitFor({ state: 'detached' });
      // Seen by took the info panel's place: open it again.
      if (!(await a.getByRole('button', { name: 'Add members' }).isVisible())) {
        await a.getByRole('button', { name: 'Group info' }).click();
      }
      await a.getByRole('button', { name: 'Add members' }).waitFor();

      await a.getByRole('button', { name: 'Add members' }).click();
      const add = a.getByRole('dialog', { name: 'Add members' });
      await add.waitFor();
      found.push(...(await audit(a, 'add-members-dialog')));
      await a.keyboard.press('Escape');
      await add.waitFor({ state: 'detached' });

      await a.getByRole('button', { name: 'Leave group' }).click();
      const leave = a.getByRole('dialog', { name: 'Leave group' });
      await leave.waitFor();
      found.push(...(await audit(a, 'confirm-dialog')));
      await leave.getByRole('button', { name: 'Cancel' }).click();
      await leave.waitFor({ state: 'detached' });

      await a.getByRole('button', { name: 'New group' }).click();
      const create = a.getByRole('dialog', { name: 'New group' });
      await create.waitFor();
      found.push(...(await audit(a, 'new-group-dialog')));
      await a.keyboard.press('Escape');
      await create.waitFor({ state: 'detached' });

      await a.getByTestId('timeline').click();
      await a.keyboard.press('?');
      const shortcuts = a.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await shortcuts.waitFor();
      found.push(...(await audit(a, 'shortcuts-dialog')));
      await a.keyboard.press('Escape');
      await shortcuts.waitFor({ state: 'detached' });

      await a.keyboard.press('Control+k');
      const switcher = a.getByRole('dialog', { name: 'Jump to a chat' });
      await switcher.waitFor();
      found.push(...(await audit(a, 'quick-switcher')));
      await a.keyboard.press('Escape');
      await switcher.waitFor({ state: 'detached' });
      expect(lines(found)).toEqual([]);
    },
    SLOW,
  );

  it(
    'contacts with requests, search results and settings',
    async () => {
      const a = alice.page;
      const found: Finding[] = [];
      await a.goto('/contacts');
      await a.getByRole('button', { name: `Accept request from ${carol.user.displayName}` }).waitFor();
      await a.getByRole('button', { name: `Cancel request to ${dave.user.displayName}` }).waitFor();
      found.push(...(await audit(a, 'contacts')));

      await a.goto('/search?q=draft');
      await a.getByRole('region', { name: 'Search results' }).locator('.search-hit').first().waitFor();
      found.push(...(await audit(a, 'search')));

      await a.goto('/settings');
      await a.getByRole('heading', { name: 'Sessions' }).waitFor();
      found.push(...(await audit(a, 'settings')));
      expect(lines(found)).toEqual([]);
    },
    SLOW,
  );

  it(
    'the theme: System follows the device; Light and Dark are kept across a reload; reduced motion stops transitions',
    async () => {
      const a = alice.page;
      const theme = () => a.evaluate(() => document.documentElement.dataset.theme);
      await a.goto('/settings');
      const group = a.getByRole('group', { name: 'Theme' });
      expect(await group.getByRole('radio', { name: /^System/ }).isChecked()).toBe(true);
      await a.emulateMedia({ colorScheme: 'dark' });
      await expect.poll(theme).toBe('dark');
      await a.emulateMedia({ colorScheme: 'light' });
      await expect.poll(theme).toBe('light');

      await group.getByRole('radio', { name: /^Dark/ }).check();
      await expect.poll(theme).toBe('dark');
      await a.reload();
      await a.getByRole('group', { name: 'Theme' }).waitFor();
      expect(await theme()).toBe('dark');
      expect(await a.getByRole('radio', { name: /^Dark/ }).isChecked()).toBe(true);
      await maybeScreenshot(a, 'a11y-settings-chosen-dark');

      await a.getByRole('radio', { name: /^Light/ }).check();
      await a.emulateMedia({ colorScheme: 'dark' });
      await expect.poll(theme).toBe('light');
      await a.getByRole('radio', { name: /^System/ }).check();
      await expect.poll(theme).toBe('dark');
      expect(await a.evaluate(() => localStorage.getItem('chat.theme'))).toBeNull();
      await a.emulateMedia({ colorScheme: 'light' });

      // These contexts ask for reduced motion: the buttons' transitions are off.
      const transition = () =>
        a
          .getByRole('button', { name: 'Sign out all other sessions' })
          .evaluate((el) => getComputedStyle(el).transitionDuration);
      expect(await transition()).toBe('0s');
      await a.emulateMedia({ reducedMotion: 'no-preference' });
      expect(await transition()).not.toBe('0s');
      await a.emulateMedia({ reducedMotion: 'reduce' });
      expect(alice.problems.uncaught).toEqual([]);
    },
    SLOW,
  );
});
