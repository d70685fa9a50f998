/**
 * Messaging in the browser, two people in two contexts against the real
 * server: live both ways with receipts, typing, edits and deletes; unread
 * badges and the tab title; permalinks; paging back through history.
 */
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshot } from './browser';
import { mutateViaApi, onPath } from './helpers';
import {
  befriend,
  chatList,
  composer,
  expectTexts,
  finish,
  heading,
  messageList,
  messageRow,
  openChatWith,
  person,
  queryViaApi,
  seesTyping,
  send,
  texts,
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

const newPerson = (path = '/') => person(browser, server.url, path);

describe('messaging in the browser', () => {
  it('chats live both ways, with receipts, typing, presence, edits and deletes', async () => {
    const alice = await newPerson();
    const bob = await newPerson();
    await befriend(alice, bob);
    const a = alice.page;
    const b = bob.page;
    await openChatWith(alice, bob);
    await openChatWith(bob, alice);
    await a.getByText('No messages yet').waitFor();
    await a.getByTestId('presence').filter({ hasText: 'Online' }).waitFor();

    // Bob types: Alice sees it; then his message arrives and the line goes.
    await composer(b).fill('Hi');
    await seesTyping(a, bob);
    await composer(b).fill('');

    await send(a, 'Hello Bob');
    await messageRow(b, 'Hello Bob').waitFor();
    // Bob has the chat open and in view: Alice's message reaches "Read".
    await messageRow(a, 'Hello Bob').getByRole('img', { name: 'Read' }).waitFor();

    // Shift+Enter is a new line; Enter sends.
    await composer(b).fill('Hi Alice');
    await composer(b).press('Shift+Enter');
    await composer(b).pressSequentially('How are you?');
    await composer(b).press('Enter');
    await expectTexts(a, ['Hello Bob', 'Hi Alice\nHow are you?']);
    await expectTexts(b, ['Hello Bob', 'Hi Alice\nHow are you?']);
    await expect.poll(() => composer(b).inputValue(), { timeout: 5_000 }).toBe('');
    await a.getByTestId('typing').filter({ hasText: /^$/ }).waitFor();
    await messageRow(b, 'Hi Alice\nHow are you?').getByRole('img', { name: 'Read' }).waitFor();
    await maybeScreenshot(a, 'chat-live');

    // Alice edits her message: Bob sees the new text, marked edited.
    const mine = messageRow(a, 'Hello Bob');
    await mine.locator('.message').hover();
    await mine.getByRole('button', { name: 'Edit message' }).click();
    await a.getByRole('textbox', { name: 'Edit message' }).fill('Hello Bob, edited');
    await a.getByRole('textbox', { name: 'Edit message' }).press('Enter');
    await messageRow(b, 'Hello Bob, edited').getByText('(edited)').waitFor();
    await messageRow(a, 'Hello Bob, edited').getByText('(edited)').waitFor();

    // Bob cannot edit Alice's message; he deletes his own, Alice sees it go.
    // Pointed at, Alice's message shows Bob its actions, and editing is not among them.
    const hers = messageRow(b, 'Hello Bob, edited');
    await hers.locator('.message').hover();
    await hers.getByRole('button', { name: 'Add reaction' }).waitFor();
    expect(await hers.getByRole('button', { name: 'Edit message' }).count()).toBe(0);
    const his = messageRow(b, 'Hi Alice\nHow are you?');
    await his.locator('.message').hover();
    await his.getByRole('button', { name: 'Delete message' }).click();
    await b.getByRole('dialog', { name: 'Delete message' }).getByRole('button', { name: 'Delete' }).click();
    await expectTexts(a, ['Hello Bob, edited', 'This message was deleted']);
    await expectTexts(b, ['Hello Bob, edited', 'This message was deleted']);
    await chatList(a).getByTestId('chat-preview').filter({ hasText: 'Message deleted' }).waitFor();

    await finish(alice, bob);
  });

  it('counts unread in the list and the tab title, opens at "New messages", links to a message', async () => {
    const alice = await newPerson('/contacts');
    const bob = await newPerson();
    await befriend(alice, bob);
    const a = alice.page;
    const b = bob.page;
    await openChatWith(bob, alice);
    for (const text of ['one', 'two', 'three']) await send(b, text);
    await expectTexts(b, ['one', 'two', 'three']);

    // Alice is elsewhere: the list counts, moves the chat up, and the title says so.
    const item = chatList(a).getByRole('link', { name: bob.user.displayName });
    await item.getByTestId('unread-badge').filter({ hasText: /^3/ }).waitFor();
    await item.getByTestId('chat-preview').filter({ hasText: 'three' }).waitFor();
    await expect.poll(() => a.title(), { timeout: 10_000 }).toMatch(/^\(3\) /);
    await messageRow(b, 'three').getByRole('img', { name: 'Delivered' }).waitFor();
    await maybeScreenshot(a, 'chat-unread');

    // Opening the chat shows where the unread start, and reads them.
    await item.click();
    await a.waitForURL(onPath(`/chats/@${bob.user.username}`));
    await expectTexts(a, ['one', 'two', 'three']);
    const line = a.getByTestId('new-messages');
    await line.waitFor();
    expect(await messageList(a).getByRole('listitem').first().getByTestId('new-messages').count()).toBe(1);
    await item.getByTestId('unread-badge').waitFor({ state: 'detached' });
    await expect.poll(() => a.title(), { timeout: 10_000 }).not.toMatch(/^\(/);
    await messageRow(b, 'three').getByRole('img', { name: 'Read' }).waitFor();
    await send(a, 'got them');
    await chatList(b).getByTestId('chat-preview').filter({ hasText: 'got them' }).waitFor();
    await chatList(a).getByTestId('chat-preview').filter({ hasText: 'You: got them' }).waitFor();

    // A permalink (each message's time links to it) opens the chat with that message highlighted.
    await messageRow(a, 'two').getByRole('link', { name: 'Link to message' }).click();
    const id = await messageRow(a, 'two').getAttribute('data-message-id');
    await a.waitForURL(onPath(`/chats/@${bob.user.username}/messages/${id}`));
    await messageList(a).locator('[aria-current="true"]').filter({ hasText: 'two' }).waitFor();
    await b.goto(`/chats/@${alice.user.username}/messages/${id}`);
    await messageList(b).locator('[aria-current="true"]').filter({ hasText: 'two' }).waitFor();
    expect(await texts(b)).toEqual(['one', 'two', 'three', 'got them']);

    await finish(alice, bob);
  });

  it('keeps following the newest message when more lands between its own scroll and that scroll being reported', async () => {
    // Issue 26, on any transport: the list scrolls itself to the bottom when content grows below,
    // and the browser reports that scroll a frame later. A message added in between (two of one
    // stream batch, or one just after one's own send) made that report look like the person
    // scrolling up: the list stopped following, and a chat not at its bottom is not marked read.
    const alice = await newPerson();
    const bob = await newPerson();
    await befriend(alice, bob);
    const chat = await mutateViaApi<{ id: string }>(alice.context, 'chats.direct', { username: bob.user.username });
    for (let i = 1; i <= 30; i++) {
      await mutateViaApi(alice.context, 'message.send', { id: randomUUID(), chatId: chat.id, body: `earlier ${i}` });
    }
    await openChatWith(alice, bob);
    await openChatWith(bob, alice);
    const b = bob.page;
    await messageRow(b, 'earlier 30').waitFor();
    const timeline = b.getByTestId('timeline');
    const fromBottom = () => timeline.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    expect(await timeline.evaluate((el) => el.scrollHeight > el.clientHeight + 300)).toBe(true);
    // It opened at the first unread: Bob scrolls down to the newest, as a reader does.
    await timeline.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await expect.poll(fromBottom).toBeLessThanOrEqual(32);
    await messageRow(alice.page, 'earlier 30').getByRole('img', { name: 'Read' }).waitFor();

    // Something grows below: the list scrolls itself down; before that scroll is reported, more
    // grows below (placeholders standing in for messages, taken away afterwards).
    const left = await timeline.evaluate(async (el) => {
      const list = el.querySelector('ol.messages');
      if (!list) throw new Error('no message list');
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      const placeholder = (height: number) => {
        const item = document.createElement('li');
        item.style.height = `${height}px`;
        return item;
      };
      const first = placeholder(120);
      const second = placeholder(150);
      // Called after the list's own observer in the frame that sees `first`: the list has just
      // scrolled itself down; `second` comes before the next frame reports that scroll.
      const after = new ResizeObserver(() => {
        after.disconnect();
        setTimeout(() => list.append(second), 0);
      });
      after.observe(list);
      list.append(first);
      for (let i = 0; i < 5; i++) await frame();
      const distance = el.scrollHeight - el.scrollTop - el.clientHeight;
      first.remove();
      second.remove();
      return distance;
    });
    expect(left).toBeLessThanOrEqual(32);

    // Still following: the next message is on screen at the bottom, and marked read.
    await send(alice.page, 'after the race');
    await messageRow(b, 'after the race').waitFor();
    await expect.poll(fromBottom).toBeLessThanOrEqual(32);
    await messageRow(alice.page, 'after the race').getByRole('img', { name: 'Read' }).waitFor({ timeout: 10_000 });
    await finish(alice, bob);
  });

  it('shows senders and "Read by N" in a group, and pages back through a long history', async () => {
    const alice = await newPerson();
    const bob = await newPerson();
    const carol = await newPerson();
    await befriend(alice, bob);
    await befriend(alice, carol);
    const group = await mutateViaApi<{ id: string }>(alice.context, 'groups.create', {
      name: 'Team',
      userIds: [bob.user.id, carol.user.id],
    });
    const a = alice.page;
    // 120 messages from Bob, sent through the API: more than two pages.
    const history = Array.from({ length: 120 }, (_, i) => `history ${i + 1}`);
    for (const body of history) {
      await mutateViaApi(bob.context, 'message.send', { id: randomUUID(), chatId: group.id, body });
    }
    await chatList(a)
      .getByRole('link', { name: 'Team' })
      .getByTestId('unread-badge')
      .filter({ hasText: '99+' })
      .waitFor();

    // A permalink deep in the history: the message in the middle, highlighted; "Jump to latest" leaves it.
    const early = await queryViaApi<{ messages: { id: string; body: string | null }[] }>(
      alice.context,
      'message.history',
      { chatId: group.id, direction: 'newer', limit: 6 },
    );
    // The group's first line says it was created (docs/group-lines.md): Bob's fifth is the sixth.
    const fifth = early.messages.find((m) => m.body === 'history 5')?.id;
    await a.goto(`/groups/${group.id}/messages/${fifth}`);
    await messageList(a).locator('[aria-current="true"]').filter({ hasText: 'history 5' }).waitFor();
    expect(await texts(a)).toEqual(history.slice(0, 30));
    await a.getByRole('button', { name: 'Jump to latest' }).click();
    await a.waitForURL(onPath(`/groups/${group.id}`));
    await heading(a, 'Team').waitFor();
    await messageRow(a, 'history 120').waitFor();
    await a.getByRole('button', { name: 'Jump to latest' }).waitFor({ state: 'detached' });
    // Scrolling up loads older pages, in order, each message once; at most 100 are held (two pages:
    // stores/messages.ts, WINDOW), so at the start the newest have gone: the line and Bob's first 99.
    const timeline = a.getByTestId('timeline');
    const scrollTo = (where: 'top' | 'bottom') =>
      timeline.evaluate((el, top) => {
        el.scrollTop = top ? 0 : el.scrollHeight;
      }, where === 'top');
    await expect
      .poll(
        async () => {
          await scrollTo('top');
          return texts(a);
        },
        { timeout: 20_000 },
      )
      .toEqual(history.slice(0, 99));
    await a.getByText('This is the beginning of the conversation.').waitFor();
    expect(await messageList(a).locator('[data-message-id]').count()).toBe(100);
    // Scrolling down pages the newest back in, letting go of the oldest: the last 100, in order.
    await expect
      .poll(
        async () => {
          await scrollTo('bottom');
          return texts(a);
        },
        { timeout: 20_000 },
      )
      .toEqual(history.slice(20));
    await a.getByRole('button', { name: 'Jump to latest' }).waitFor({ state: 'detached' });
    // Paging up from there (Bob's 25th near the top asks for the page before) keeps what is on screen
    // where it was, while the newest go again.
    // Where a row is in the view (px from the timeline's top), measured in the page.
    const offsetOf = (text: string, scroll: boolean) =>
      messageRow(a, text).evaluate((row, scrollFirst) => {
        if (scrollFirst) row.scrollIntoView({ block: 'start' });
        const view = row.closest('[data-testid="timeline"]');
        return row.getBoundingClientRect().top - (view?.getBoundingClientRect().top ?? 0);
      }, scroll);
    const placed = await offsetOf('history 25', true);
    await expect.poll(async () => (await texts(a))[0], { timeout: 20_000 }).not.toBe('history 21');
    await a.waitForTimeout(300);
    expect(Math.abs((await offsetOf('history 25', false)) - placed)).toBeLessThanOrEqual(2);
    expect((await texts(a)).at(-1)).not.toBe('history 120');
    await a.getByRole('button', { name: 'Jump to latest' }).click();
    await messageRow(a, 'history 120').waitFor();

    await send(a, 'thanks all');
    await messageRow(a, 'thanks all').getByText('Read by', { exact: false }).waitFor({ state: 'detached' });
    await bob.page.goto(`/groups/${group.id}`);
    await messageRow(bob.page, 'thanks all').waitFor();
    await messageRow(a, 'thanks all').getByText('Read by 1', { exact: true }).waitFor();
    // Carol has 121 unread: she opens at the first (the sender's name heads his run), and has
    // read the last once she jumps there.
    const c = carol.page;
    await c.goto(`/groups/${group.id}`);
    await c.getByTestId('new-messages').waitFor();
    await messageList(c).getByRole('listitem').first().getByTestId('new-messages').waitFor();
    await messageList(c).locator('.sender').filter({ hasText: bob.user.displayName }).first().waitFor();
    expect((await texts(c))[0]).toBe('history 1');
    await c.waitForTimeout(1_000);
    await messageRow(a, 'thanks all').getByText('Read by 1', { exact: true }).waitFor();
    await c.getByRole('button', { name: 'Jump to latest' }).click();
    await messageRow(a, 'thanks all').getByText('Read by 2', { exact: true }).waitFor();
    await maybeScreenshot(a, 'group-chat');

    await finish(alice, bob, carol);
  });
});
