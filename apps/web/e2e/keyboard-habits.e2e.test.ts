/**
 * Issue 24, "keyboard habits" of Slack and Skype users, pressed as a person
 * would: opening a chat puts the caret in its composer (not on a phone-sized
 * screen); Ctrl+K jumps to a chat or to a contact with no chat yet; ↑ in an
 * empty composer edits one's own last message and Esc leaves that; Alt+↑/↓
 * moves through the chat list (stopping at its ends); `?` lists the
 * shortcuts, ⌘ on a Mac and Ctrl elsewhere.
 */
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from './browser';
import { mutateViaApi, onPath } from './helpers';
import { focused, shotWidths, switcher, switcherField, switcherOptions } from './keyboard';
import { befriend, chatList, composer, finish, heading, messageRow, type Person, person } from './people';

let server: TestServer;
let browser: Browser;
let alice: Person;
let bob: Person;
let carol: Person;
let dave: Person;
let groupId: string;

const send = (from: Person, chatId: string, body: string) =>
  mutateViaApi(from.context, 'message.send', { id: randomUUID(), chatId, body });
const directChat = (from: Person, to: Person) =>
  mutateViaApi<{ id: string }>(from.context, 'chats.direct', { username: to.user.username });

/**
 * Alice's list, newest first: Dave (read), Design review (unread, from Bob),
 * Bob Stone (read). Carol is a contact with no chat.
 */
beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  alice = await person(browser, server.url);
  bob = await person(browser, server.url);
  carol = await person(browser, server.url);
  dave = await person(browser, server.url);
  const names: [Person, string][] = [
    [alice, 'Alice Park'],
    [bob, 'Bob Stone'],
    [carol, 'Carol Jones'],
    [dave, 'Dave Wu'],
  ];
  for (const [p, displayName] of names) {
    await mutateViaApi(p.context, 'profiles.update', { displayName, about: '' });
    p.user.displayName = displayName;
  }
  for (const other of [bob, carol, dave]) await befriend(alice, other);
  const withBob = await directChat(alice, bob);
  await send(alice, withBob.id, 'first from alice');
  await send(alice, withBob.id, 'second from alice');
  await send(bob, withBob.id, 'last word from bob');
  groupId = (
    await mutateViaApi<{ id: string }>(alice.context, 'groups.create', {
      name: 'Design review',
      userIds: [bob.user.id],
    })
  ).id;
  await send(alice, groupId, 'agenda?');
  await send(bob, groupId, 'new mockups are up');
  await send(alice, (await directChat(alice, dave)).id, 'lunch?');
});

afterAll(async () => {
  if (alice) await finish(alice, bob, carol, dave);
  await browser?.close();
  await server?.stop();
});

/** The titles in the chat list, top to bottom. */
const listTitles = (page: Page) => chatList(page).locator('.chat-item-title').allInnerTexts();

describe('keyboard habits', () => {
  it('opening a chat puts the caret in its composer on a desktop, not on a phone-sized screen', async () => {
    const a = alice.page;
    await a.goto(`/chats/@${bob.user.username}`);
    await heading(a, 'Bob Stone').waitFor();
    await expect.poll(() => focused(a)).toBe('Message');

    await chatList(a)
      .getByRole('link', { name: /Design review/ })
      .click();
    await heading(a, 'Design review').waitFor();
    await expect.poll(() => focused(a)).toBe('Message');

    await a.setViewportSize({ width: 390, height: 844 });
    await a.goto(`/chats/@${bob.user.username}`);
    await heading(a, 'Bob Stone').waitFor();
    await composer(a).waitFor();
    await a.waitForTimeout(300); // the composer has mounted; give a wrong focus the time to happen
    expect(await focused(a)).toBe('BODY');
    await a.setViewportSize({ width: 1280, height: 800 });
  });

  it('Ctrl+K: unread first, filters chats and contacts, Enter opens (a new chat with a contact), Esc gives the focus back', async () => {
    const a = alice.page;
    await a.goto(`/chats/@${bob.user.username}`);
    await heading(a, 'Bob Stone').waitFor();
    await expect.poll(() => listTitles(a)).toEqual(['Dave Wu', 'Design review', 'Bob Stone']);
    await composer(a).fill('a draft');

    await a.keyboard.press('Control+K');
    const dialog = switcher(a);
    await dialog.waitFor();
    expect(await dialog.evaluate((d) => d.matches(':modal'))).toBe(true);
    await expect.poll(() => focused(a)).toBe('Jump to a chat or contact');
    // Nothing typed: the unread group first, then the list's order, then Carol (a contact, no chat yet).
    expect(await switcherOptions(a)).toEqual(['Design review', 'Dave Wu', 'Bob Stone', 'Carol Jones']);
    expect(await dialog.getByRole('option', { selected: true }).textContent()).toContain('Design review');
    await shotWidths(a, 'switcher-empty');

    // ↓ and ↑ move the selection the field names as active; Tab stays inside the dialog.
    await a.keyboard.press('ArrowDown');
    expect(await dialog.getByRole('option', { selected: true }).textContent()).toContain('Dave Wu');
    const activeId = await switcherField(a).getAttribute('aria-activedescendant');
    expect(await dialog.locator(`[id="${activeId}"]`).textContent()).toContain('Dave Wu');
    await a.keyboard.press('ArrowUp');
    expect(await dialog.getByRole('option', { selected: true }).textContent()).toContain('Design review');
    await a.keyboard.press('Tab');
    expect(await focused(a)).toBe('Close');
    await a.keyboard.press('Tab');
    expect(await focused(a)).toBe('Jump to a chat or contact');

    // Esc closes and the focus is back in the composer, draft and all.
    await a.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focused(a)).toBe('Message');
    expect(await composer(a).inputValue()).toBe('a draft');
    await composer(a).fill('');

    // By username, and a name part; then a contact with no chat: Enter creates and opens it.
    await a.keyboard.press('Control+K');
    await switcherField(a).fill(`@${dave.user.username}`);
    await expect.poll(() => switcherOptions(a)).toEqual(['Dave Wu']);
    await switcherField(a).fill('jon');
    await expect.poll(() => switcherOptions(a)).toEqual(['Carol Jones']);
    await switcherField(a).fill('one'); // St-one, J-one-s: chats before contacts among equals
    await expect.poll(() => switcherOptions(a)).toEqual(['Bob Stone', 'Carol Jones']);
    await switcherField(a).fill('car');
    await expect.poll(() => switcherOptions(a)).toEqual(['Carol Jones']);
    expect(await dialog.getByRole('option').textContent()).toContain('Start a chat');
    await shotWidths(a, 'switcher-filtered');
    await a.keyboard.press('Enter');
    await a.waitForURL(onPath(`/chats/@${carol.user.username}`));
    await heading(a, 'Carol Jones').waitFor();
    await expect.poll(() => focused(a)).toBe('Message');
    await expect.poll(() => listTitles(a)).toContain('Carol Jones');

    // From anywhere: Ctrl+K again closes it; the mouse picks too.
    await a.keyboard.press('Control+K');
    await dialog.waitFor();
    await a.keyboard.press('Control+K');
    await dialog.waitFor({ state: 'detached' });
    await a.keyboard.press('Control+K');
    await switcherField(a).fill('design');
    await dialog.getByRole('option', { name: /Design review/ }).click();
    await heading(a, 'Design review').waitFor();
    await expect.poll(() => focused(a)).toBe('Message');
  });

  it('works at 390 px: the switcher opens a chat', async () => {
    const a = alice.page;
    await a.setViewportSize({ width: 390, height: 844 });
    await a.goto('/');
    await chatList(a).waitFor();
    await a.keyboard.press('Control+K');
    await switcherField(a).fill('bob');
    await expect.poll(() => switcherOptions(a)).toEqual(['Bob Stone']);
    await a.keyboard.press('Enter');
    await heading(a, 'Bob Stone').waitFor();
    await a.setViewportSize({ width: 1280, height: 800 });
  });

  it('↑ in an empty composer edits my last message, not Bob’s; Esc leaves it unsaved, Enter saves', async () => {
    const a = alice.page;
    await a.goto(`/chats/@${bob.user.username}`);
    await messageRow(a, 'last word from bob').waitFor();
    await expect.poll(() => focused(a)).toBe('Message');

    // With text in the box, ↑ is only the caret's.
    await composer(a).fill('typing');
    await a.keyboard.press('ArrowUp');
    expect(await a.getByRole('textbox', { name: 'Edit message' }).count()).toBe(0);
    await composer(a).fill('');

    await a.keyboard.press('ArrowUp');
    const editor = a.getByRole('textbox', { name: 'Edit message' });
    await editor.waitFor();
    expect(await editor.inputValue()).toBe('second from alice');
    expect(await focused(a)).toBe('Edit message');
    await a.keyboard.type(' (changed)');
    await a.keyboard.press('Escape');
    await editor.waitFor({ state: 'detached' });
    await messageRow(a, 'second from alice').waitFor();
    expect(await focused(a)).toBe('Message');
    expect(await composer(a).inputValue()).toBe('');

    // Esc with nothing to leave: nothing happens.
    await a.keyboard.press('Escape');
    expect(await focused(a)).toBe('Message');
    expect(new URL(a.url()).pathname).toBe(`/chats/@${bob.user.username}`);

    await a.keyboard.press('ArrowUp');
    await editor.waitFor();
    await a.keyboard.type(', edited');
    await a.keyboard.press('Enter');
    const edited = messageRow(a, 'second from alice, edited');
    await edited.getByText('(edited)').waitFor();
    expect(await focused(a)).toBe('Message');
    await bob.page.goto(`/chats/@${alice.user.username}`);
    await messageRow(bob.page, 'second from alice, edited').waitFor();
    await messageRow(bob.page, 'last word from bob').waitFor();
  });

  it('Alt+↓/↑ moves through the chat list in its order, from the composer, and stops at the ends', async () => {
    const a = alice.page;
    await a.goto('/contacts');
    await chatList(a).waitFor();
    await expect.poll(() => listTitles(a)).toContain('Carol Jones');
    const order = await listTitles(a);
    expect(order).toHaveLength(4);
    // Nothing open: ↓ enters at the top.
    await a.keyboard.press('Alt+ArrowDown');
    await heading(a, order[0] ?? '').waitFor();
    for (const title of order.slice(1)) {
      await expect.poll(() => focused(a)).toBe('Message');
      await a.keyboard.press('Alt+ArrowDown');
      await heading(a, title).waitFor();
    }
    const last = a.url();
    await a.keyboard.press('Alt+ArrowDown');
    await a.waitForTimeout(300);
    expect(a.url()).toBe(last);
    for (const title of order.slice(0, -1).reverse()) {
      await a.keyboard.press('Alt+ArrowUp');
      await heading(a, title).waitFor();
    }
    const first = a.url();
    await a.keyboard.press('Alt+ArrowUp');
    await a.waitForTimeout(300);
    expect(a.url()).toBe(first);
  });

  it('? lists the shortcuts outside a text field, and is a question mark inside one', async () => {
    const a = alice.page;
    await a.goto(`/chats/@${bob.user.username}`);
    await expect.poll(() => focused(a)).toBe('Message');
    await a.keyboard.type('why?');
    expect(await composer(a).inputValue()).toBe('why?');
    const dialog = a.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(await dialog.count()).toBe(0);
    await composer(a).fill('');

    await a.getByTestId('timeline').click();
    await a.keyboard.press('?');
    await dialog.waitFor();
    const text = await dialog.textContent();
    for (const keys of ['Ctrl+K', 'Alt+↑', 'Alt+↓', 'Ctrl+B', 'Ctrl+Shift+X', 'Esc', '?']) expect(text).toContain(keys);
    expect(text).not.toContain('⌘');
    await shotWidths(a, 'shortcuts');
    await a.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Also from the menu, for those who do not know `?`.
    await a.getByTestId('user-menu').click();
    await a.getByRole('menuitem', { name: 'Keyboard shortcuts' }).click();
    await dialog.waitFor();
    await a.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await a.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('user-menu');
  });

  it('on a Mac: ⌘ in the list, ⌘K opens the switcher and Ctrl+K does not', async () => {
    const context = await newContext(browser, server.url);
    await context.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, 'platform', { get: () => 'MacIntel' }),
    );
    await context.addCookies(await alice.context.cookies());
    const page = await context.newPage();
    await page.goto(`/chats/@${bob.user.username}`);
    await heading(page, 'Bob Stone').waitFor();
    await page.getByTestId('timeline').click();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    const text = (await dialog.textContent()) ?? '';
    for (const keys of ['⌘K', '⌥↑', '⌘B', '⌘⇧X']) expect(text.replace(/\s+/g, '')).toContain(keys);
    expect(text).not.toContain('Ctrl');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+K');
    await page.waitForTimeout(300);
    expect(await switcher(page).count()).toBe(0);
    await page.keyboard.press('Meta+K');
    await switcher(page).waitFor();
    await context.close();
  });
});
