/**
 * The built app in Chromium behind a real nginx set up as restrictive
 * corporate proxies are (apps/server/test/proxy.ts): one that refuses
 * WebSocket upgrades, one that also buffers whole responses. With no flag the
 * app picks SSE behind the first and long-polling behind the second, and two
 * people chat both ways, with receipts and typing, nothing lost or repeated
 * (in each list and on the wire). Moving between transports: proxy-moves.e2e.test.ts.
 * docs/event-stream.md, "Behind a proxy".
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  befriend,
  composer,
  expectTexts,
  finish,
  messageRow,
  openChatWith,
  type Person,
  seesTyping,
  send,
  texts,
} from './people';
import {
  expectTransportKind,
  expectWireOnce,
  type ProxyMode,
  personBehind,
  proxiedSuite,
  reasonOf,
  type TestProxy,
  type TransportKind,
  transportHistory,
  transportOf,
} from './proxy';

const suite = proxiedSuite();
const { proxyFor } = suite;

const behind = (proxy: TestProxy, path = '/') => personBehind(suite.browser, proxy.url, path);

/** Waits until the sender's own message shows "Read"; says what it shows instead when it does not. */
async function expectRead(page: Page, text: string): Promise<void> {
  const row = messageRow(page, text);
  try {
    await row.getByRole('img', { name: 'Read' }).waitFor({ timeout: 30_000 });
  } catch {
    const marks = await row.getByRole('img').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));
    throw new Error(`"${text}" never showed Read on its sender's side: it shows ${JSON.stringify(marks)}`);
  }
}

/**
 * Two people chat both ways: typing seen each way; ten messages each, first
 * turn by turn and then both at once; each side's list ends exactly the same,
 * every message once; each side's last message reaches "Read".
 */
async function chatBothWays(alice: Person, bob: Person): Promise<string[]> {
  const a = alice.page;
  const b = bob.page;
  await openChatWith(alice, bob);
  await openChatWith(bob, alice);

  await composer(b).fill('Hi');
  await seesTyping(a, bob);
  await composer(b).fill('');
  await composer(a).fill('Hey');
  await seesTyping(b, alice);
  await composer(a).fill('');

  const sent: string[] = [];
  for (let i = 0; i < 5; i++) {
    await send(a, `alice ${i}`);
    sent.push(`alice ${i}`);
    await messageRow(b, `alice ${i}`).waitFor();
    await send(b, `bob ${i}`);
    sent.push(`bob ${i}`);
    await messageRow(a, `bob ${i}`).waitFor();
  }
  await expectTexts(a, sent);
  await expectTexts(b, sent);

  // Both at once: the order is the server's, the same on both sides.
  for (let i = 5; i < 10; i++) {
    await send(a, `alice ${i}`);
    await send(b, `bob ${i}`);
    sent.push(`alice ${i}`, `bob ${i}`);
  }
  await expect.poll(async () => (await texts(a)).length, { timeout: 30_000 }).toBe(sent.length);
  await expect.poll(async () => (await texts(b)).length, { timeout: 30_000 }).toBe(sent.length);
  const seenByA = await texts(a);
  expect(await texts(b)).toEqual(seenByA);
  expect([...seenByA].sort()).toEqual([...sent].sort());

  await expectRead(a, 'alice 9');
  await expectRead(b, 'bob 9');
  return sent;
}

/**
 * Two people behind a proxy in `mode` end on `kind` with no flag, chat both
 * ways (chatBothWays), stay on it, and each saw the other's messages cross
 * the wire once.
 */
async function chatBehind(mode: ProxyMode, kind: TransportKind) {
  const proxy = await proxyFor(suite.server, mode);
  const alice = await behind(proxy);
  const bob = await behind(proxy);
  await expectTransportKind(alice.page, kind);
  await expectTransportKind(bob.page, kind);
  expect(new URL(alice.page.url()).searchParams.get('transport')).toBeNull();
  await befriend(alice, bob);

  const sent = await chatBothWays(alice, bob);

  expect(await transportOf(alice.page)).toBe(kind);
  expect(await transportOf(bob.page)).toBe(kind);
  expect(await transportHistory(alice.page)).not.toContain('ws');
  expectWireOnce(
    alice.wire,
    sent.filter((text) => text.startsWith('bob')),
  );
  expectWireOnce(
    bob.wire,
    sent.filter((text) => text.startsWith('alice')),
  );
  return { proxy, alice, bob };
}

describe('behind a proxy that refuses WebSockets', () => {
  it('chats both ways over SSE, with receipts and typing, nothing lost or repeated', async () => {
    const { proxy, alice, bob } = await chatBehind('no-websocket', 'sse');
    // The indicator says why: the WebSocket did not work here.
    expect(await reasonOf(alice.page)).toMatch(/^websocket-/);
    expect(
      proxy.accessLog().filter((line) => line.startsWith('403 GET /trpc upgrade=websocket')).length,
    ).toBeGreaterThan(0);
    expect(proxy.accessLog().filter((line) => line.startsWith('101 '))).toEqual([]);
    await finish(alice, bob);
  }, 120_000);
});

describe('behind a proxy that refuses WebSockets and buffers whole responses', () => {
  // Issue 26: the last message of a burst sometimes never showed "Read". A message landing between the
  // reader's list scrolling itself to the bottom and the browser reporting that scroll made the report
  // look like a scroll up; the list let go of the bottom and stopped marking read (lib/bottom-follow.ts).
  it('ends on long-polling without any flag, and chats both ways with receipts and typing', async () => {
    const { proxy, alice, bob } = await chatBehind('buffered', 'poll');
    expect(await reasonOf(alice.page)).toMatch(/^sse-/);
    expect(proxy.accessLog().some((line) => /^200 GET \/trpc\/[^ ]*events\.poll/.test(line))).toBe(true);
    // Buffered, the SSE stream never delivered anything.
    expect(alice.wire.filter((d) => d.via !== 'poll')).toEqual([]);
    await finish(alice, bob);
  }, 150_000);
});
