/**
 * Moving between transports behind a real nginx (apps/server/test/proxy.ts),
 * with no reload and no flag: when the proxy lifts its WebSocket block the
 * tab goes back to WebSocket within the client's retry interval, and what is
 * sent during the switch arrives once; after a server restart, tabs on
 * WebSocket, on SSE (behind a proxy that refuses WebSockets) and on
 * long-polling (behind one that also buffers) each return to the best their
 * network allows. docs/event-stream.md, "Behind a proxy".
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_TIMING } from '@chat/api/client/streams';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { mutateViaApi } from './helpers';
import { befriend, expectTexts, finish, heading, messageRow, openChatWith, send, texts } from './people';
import { expectTransportKind, expectWireOnce, personBehind, proxiedSuite, transportOf } from './proxy';

/**
 * How soon after the tab lands on SSE it must be back on WebSocket once the
 * block is lifted (within that first interval): the client's first try of the
 * better transport (the chooser's first `probeMs`), plus the time to open the
 * socket and go live.
 */
const UPWARD_WITHIN_MS = (DEFAULT_TIMING.probeMs[0] ?? 5_000) + 4_000;

const suite = proxiedSuite();
const { proxyFor } = suite;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Marks the page's document, to tell later that it was never reloaded. */
const markLoad = (page: Page) => page.evaluate(() => Object.assign(window, { __sameLoad: true }));
const sameLoad = (page: Page) => page.evaluate(() => (window as { __sameLoad?: boolean }).__sameLoad === true);

describe('when the proxy lifts its WebSocket block', () => {
  it('the tab is back on WebSocket within the retry interval, and what is sent during the switch arrives once', async () => {
    const proxy = await proxyFor(suite.server, 'no-websocket');
    const bob = await personBehind(suite.browser, suite.server.url);
    await expectTransportKind(bob.page, 'ws');
    let chatId = '';
    // Alice's first page is the chat: the block is lifted within a second or two of her landing on SSE.
    const alice = await personBehind(
      suite.browser,
      proxy.url,
      `/chats/@${bob.user.username}`,
      async (user, context) => {
        await mutateViaApi(context, 'contacts.request', { username: bob.user.username });
        await mutateViaApi(bob.context, 'contacts.accept', { userId: user.id });
        chatId = (await mutateViaApi<{ id: string }>(context, 'chats.direct', { username: bob.user.username })).id;
      },
    );
    await expectTransportKind(alice.page, 'sse');
    const onSseAt = Date.now();
    await mutateViaApi(bob.context, 'message.send', { id: randomUUID(), chatId, body: 'before' });
    await messageRow(alice.page, 'before').waitFor();
    await markLoad(alice.page);
    await openChatWith(bob, alice);

    // The moment a new socket is made, while the SSE stream is still the live one, Bob sends.
    const atSwitch: Promise<unknown>[] = [];
    await proxy.setMode('open');
    const lifted = Date.now();
    alice.page.on('websocket', () => {
      if (atSwitch.length > 0) return;
      atSwitch.push(mutateViaApi(bob.context, 'message.send', { id: randomUUID(), chatId, body: 'at the switch' }));
    });
    // And he keeps talking, every half second, until Alice's tab is on WebSocket.
    const sent = ['before'];
    for (let i = 0; (await transportOf(alice.page)) !== 'ws' && Date.now() - onSseAt < UPWARD_WITHIN_MS; i++) {
      await send(bob.page, `during ${i}`);
      sent.push(`during ${i}`);
      await sleep(500);
    }
    const tookMs = Date.now() - lifted;
    expect(await transportOf(alice.page), `not on WebSocket ${tookMs} ms after the block was lifted`).toBe('ws');
    expect(atSwitch, 'no WebSocket was made after the block was lifted').toHaveLength(1);
    await Promise.all(atSwitch);
    expect(await sameLoad(alice.page)).toBe(true);

    await send(bob.page, 'after');
    await send(alice.page, 'and back');
    const all = [...sent, 'at the switch', 'after', 'and back'];
    // "at the switch" takes the server's order among the others: compare as sets, then each list with the other.
    await expect.poll(async () => [...(await texts(alice.page))].sort(), { timeout: 20_000 }).toEqual([...all].sort());
    await expectTexts(bob.page, await texts(alice.page));
    expectWireOnce(alice.wire, [...sent, 'at the switch', 'after']);
    // Once on WebSocket, what follows comes over it alone: the SSE stream was closed.
    expect(alice.wire.filter((d) => d.body === 'after').map((d) => d.via)).toEqual(['ws']);
    await finish(alice, bob);
  }, 120_000);
});

describe('a server restart', () => {
  // The polling tab is the one to watch: its try of SSE, held by the buffering proxy since an older
  // cursor, is let through by the restart; its polls must go on from the last event they carried
  // (transport-choice.ts, `reached`), or that event crosses them twice (expectWireOnce below).
  it('brings tabs on WebSocket, SSE and long-polling back to their best transport without a reload', async () => {
    const own = await startTestServer();
    let restarted: TestServer | undefined;
    try {
      const onWs = await personBehind(suite.browser, (await proxyFor(own, 'open')).url);
      const onSse = await personBehind(suite.browser, (await proxyFor(own, 'no-websocket')).url);
      const onPoll = await personBehind(suite.browser, (await proxyFor(own, 'buffered')).url);
      const tabs = [
        { person: onWs, best: 'ws' as const },
        { person: onSse, best: 'sse' as const },
        { person: onPoll, best: 'poll' as const },
      ];
      for (const { person, best } of tabs) await expectTransportKind(person.page, best);
      await befriend(onWs, onSse);
      await befriend(onWs, onPoll);
      const group = await mutateViaApi<{ id: string }>(onWs.context, 'groups.create', {
        name: 'Behind proxies',
        userIds: [onSse.user.id, onPoll.user.id],
      });
      for (const { person, best } of tabs) {
        await person.page.goto(`/groups/${group.id}`);
        await heading(person.page, 'Behind proxies').waitFor();
        await expectTransportKind(person.page, best);
      }
      const sent = ['before the restart'];
      await send(onWs.page, sent[0] as string);
      for (const { person } of tabs) {
        await expectTexts(person.page, sent);
        await markLoad(person.page);
      }

      // The polling tab's background try of SSE is often in flight now, held by the proxy: cut by the
      // stopping server, the proxy passes on what it held, so the tab sees that stream connect and then drop.
      await own.server.close();
      restarted = await startTestServer({ database: own.database, env: { PORT: String(own.server.port) } });

      for (const { person, best } of tabs) await expectTransportKind(person.page, best, 45_000);
      for (const { person } of tabs) expect(await sameLoad(person.page)).toBe(true);
      for (const [i, { person }] of tabs.entries()) {
        const text = `after the restart ${i}`;
        await send(person.page, text);
        sent.push(text);
        for (const other of tabs) await messageRow(other.person.page, text).waitFor({ timeout: 20_000 });
      }
      for (const { person } of tabs) await expectTexts(person.page, sent);
      for (const { person } of tabs) {
        const others = sent.slice(1).filter((_, i) => tabs[i]?.person !== person);
        expectWireOnce(person.wire, others);
      }
      await finish(onWs, onSse, onPoll);
    } finally {
      await restarted?.stop();
      await own.stop();
    }
  }, 170_000);
});
