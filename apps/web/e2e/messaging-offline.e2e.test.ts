/**
 * Messaging through lost connections, on each transport: someone goes
 * offline, comes back and sees everything once and in order; what they wrote
 * offline is sent on reconnect; the outbox survives a reload and a lost
 * answer without storing anything twice; the composer says why it cannot send.
 */
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshot } from './browser';
import { expectTransport, mutateViaApi } from './helpers';
import {
  befriend,
  composer,
  expectAllStored,
  expectTexts,
  finish,
  messageRow,
  openChatWith,
  person,
  send,
  type Transport,
  texts,
  transportLabel,
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

const SEND_PATH = '**/trpc/*message.send*';

const status = (page: Page, text: string) => messageRow(page, text).getAttribute('data-status');

/** The tRPC calls or answers in one WebSocket message (none for PING, PONG or anything not JSON). */
function parsedCalls(message: string | Buffer): { id?: unknown; params?: { path?: unknown } }[] {
  try {
    const parsed: unknown = JSON.parse(String(message));
    return (Array.isArray(parsed) ? parsed : [parsed]).filter((c) => typeof c === 'object' && c !== null);
  } catch {
    return [];
  }
}

describe('messaging through lost connections', () => {
  it.each<Transport>(['ws', 'sse', 'poll'])(
    'over %s: back from offline, sees every message once and in order, and sends what was written offline',
    async (transport) => {
      const alice = await person(browser, server.url, '/', transport);
      const bob = await person(browser, server.url);
      await befriend(alice, bob);
      const a = alice.page;
      const b = bob.page;
      await openChatWith(alice, bob);
      await openChatWith(bob, alice);
      await expectTransport(a, transportLabel(transport));
      await send(b, 'before');
      await expectTexts(a, ['before']);

      await alice.context.setOffline(true);
      await expectTransport(a, 'Offline');
      const burst = ['one', 'two', 'three', 'four', 'five'];
      for (const text of burst) await send(b, text);
      await expectTexts(b, ['before', ...burst]);
      await expectAllStored(b);

      // Written offline: shown at once, waiting for the connection.
      await send(a, 'written offline');
      await messageRow(a, 'written offline').getByRole('img', { name: 'Sending' }).waitFor();
      expect(await texts(a)).toEqual(['before', 'written offline']);
      await maybeScreenshot(a, `offline-${transport}`);

      await alice.context.setOffline(false);
      await expectTransport(a, transportLabel(transport));
      const all = ['before', ...burst, 'written offline'];
      await expectTexts(a, all);
      await expectTexts(b, all);
      expect(await status(a, 'written offline')).toBe('stored');
      // Alice has the chat open: her reading reaches Bob.
      await messageRow(b, 'five').getByRole('img', { name: 'Read' }).waitFor();
      // Nothing arrives twice later on (a poll, a late replay).
      await a.waitForTimeout(transport === 'poll' ? 3_500 : 1_000);
      expect(await texts(a)).toEqual(all);
      expect(await texts(b)).toEqual(all);

      await finish(alice, bob);
    },
  );

  it('sends over the stream’s WebSocket; an answer lost with the socket is sent again and stored once', async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    await befriend(alice, bob);
    const a = alice.page;
    const b = bob.page;
    let httpSends = 0;
    a.on('request', (request) => {
      if (request.url().includes('message.send')) httpSends += 1;
    });
    // Alice's socket from now on goes through this route (the page reloads
    // below): it counts the sends it carries and can lose one's answer by
    // closing the socket instead of passing the answer on.
    let socketSends = 0;
    let loseNextAnswer = false;
    await alice.context.routeWebSocket(/\/trpc/, (page) => {
      const toServer = page.connectToServer();
      const sendIds = new Set<unknown>();
      page.onMessage((message) => {
        for (const call of parsedCalls(message)) {
          if (call.params?.path === 'message.send') {
            sendIds.add(call.id);
            socketSends += 1;
          }
        }
        toServer.send(message);
      });
      toServer.onMessage((message) => {
        const [answer] = parsedCalls(message);
        if (loseNextAnswer && answer && sendIds.has(answer.id)) {
          loseNextAnswer = false;
          void page.close();
          return;
        }
        page.send(message);
      });
    });
    await a.reload();
    await openChatWith(alice, bob);
    await openChatWith(bob, alice);
    await expectTransport(a, transportLabel('ws'));

    await send(a, 'over the socket');
    await expectTexts(b, ['over the socket']);
    await expect.poll(() => status(a, 'over the socket'), { timeout: 10_000 }).toBe('stored');
    expect(socketSends).toBe(1);
    expect(httpSends).toBe(0);

    // Stored, but the socket closes before its answer: the outbox does not
    // know until the stream is back, and then learns it from the stream or
    // by sending it again (same id).
    loseNextAnswer = true;
    await send(a, 'answer lost with the socket');
    await expectTexts(b, ['over the socket', 'answer lost with the socket']);
    await expect.poll(() => status(a, 'answer lost with the socket'), { timeout: 30_000 }).toBe('stored');
    expect(loseNextAnswer).toBe(false);
    // Sent again, unless the resumed stream said first that it was stored: it
    // counts as live only once caught up (docs/event-stream.md, "Choosing a
    // transport"), and the event settles the outbox entry.
    expect(socketSends + httpSends).toBeGreaterThanOrEqual(2);
    await a.waitForTimeout(1_000);
    const both = ['over the socket', 'answer lost with the socket'];
    expect(await texts(b)).toEqual(both);
    expect(await texts(a)).toEqual(both);

    await finish(alice, bob);
  });

  it('over HTTP (SSE stream): keeps unsent messages across a reload, retries with the same id, and stores each once', async () => {
    // Sends go over HTTP when the stream is not on a WebSocket: the route below sees them.
    const alice = await person(browser, server.url, '/', 'sse');
    const bob = await person(browser, server.url);
    await befriend(alice, bob);
    const a = alice.page;
    const b = bob.page;
    await openChatWith(alice, bob);
    await openChatWith(bob, alice);

    // The server stores it but the answer is lost: sent again later, it is still one message.
    let lost = false;
    await alice.context.route(SEND_PATH, async (route) => {
      if (lost) return route.continue();
      lost = true;
      await route.fetch();
      await route.abort();
    });
    await send(a, 'answer lost');
    await expectTexts(b, ['answer lost']);
    await expect.poll(() => status(a, 'answer lost'), { timeout: 20_000 }).toBe('stored');
    await alice.context.unroute(SEND_PATH);

    // The server cannot be reached: "Not sent" with Retry, and it survives a reload.
    await alice.context.route(SEND_PATH, (route) => route.abort());
    await send(a, 'kept for later');
    await messageRow(a, 'kept for later').getByRole('button', { name: 'Retry' }).waitFor();
    await messageRow(a, 'kept for later').getByRole('alert').getByText('Not sent').waitFor();
    await a.reload();
    await messageRow(a, 'kept for later').getByRole('button', { name: 'Retry' }).waitFor();
    await maybeScreenshot(a, 'outbox-failed');
    await alice.context.unroute(SEND_PATH);
    await messageRow(a, 'kept for later').getByRole('button', { name: 'Retry' }).click();
    await expectTexts(b, ['answer lost', 'kept for later']);
    await expect.poll(() => status(a, 'kept for later'), { timeout: 10_000 }).toBe('stored');

    // Written, then the page is reloaded before it could go: the reloaded page sends it.
    await alice.context.route(SEND_PATH, (route) => route.abort());
    await send(a, 'sent after reload');
    await messageRow(a, 'sent after reload').getByRole('button', { name: 'Retry' }).waitFor();
    await alice.context.unroute(SEND_PATH);
    await a.reload();
    const all = ['answer lost', 'kept for later', 'sent after reload'];
    await expectTexts(b, all);
    await expectTexts(a, all);
    await a.waitForTimeout(1_000);
    expect(await texts(b)).toEqual(all);

    await finish(alice, bob);
  });

  it('shows the length near the limit, and why sending is not possible', async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    await befriend(alice, bob);
    const a = alice.page;
    await openChatWith(alice, bob);

    await composer(a).fill('x'.repeat(3_600));
    await a.getByText(/^3,?600 \/ 4,?000$/).waitFor();
    await composer(a).fill('x'.repeat(4_010));
    await a.getByText(/10 characters too long/).waitFor();
    expect(await a.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await composer(a).press('Enter');
    expect(await texts(a)).toEqual([]);
    await composer(a).fill('');

    // Bob removes Alice: her composer says why she cannot write, until they are contacts again.
    await mutateViaApi(bob.context, 'contacts.remove', { userId: alice.user.id });
    await a.getByRole('note').filter({ hasText: 'You are no longer contacts' }).waitFor();
    expect(await composer(a).isDisabled()).toBe(true);
    await maybeScreenshot(a, 'composer-blocked');
    await befriend(bob, alice);
    await a.getByRole('note').waitFor({ state: 'detached' });
    await send(a, 'friends again');
    await messageRow(a, 'friends again').getByRole('img', { name: 'Delivered' }).waitFor();

    await finish(alice, bob);
  });
});
