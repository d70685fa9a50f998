/**
 * "A tab open all day" (issue 28 §2): a tab on the small group while another
 * member sends N messages round-robin into the seeded feed groups, over HTTP
 * through the typed client, a few at a time. The JS heap after a forced GC
 * before and after, and a switch into the large group afterwards (is the UI
 * still responsive).
 */
import { randomUUID } from 'node:crypto';
import { createChatClient } from '@chat/api/client';
import type { Browser } from 'playwright-core';
import { chatLink, clickToPaint, loadAndPaint, memory, newestOf, signedInPage } from './measure';
import type { WebSeed } from './seed';

export interface Receive {
  messages: number;
  chats: number;
  sendMs: number;
  /** From the last send's answer to its text shown in the chat list. */
  lastShownMs: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  documentElementsAfter: number;
  /** Click into the large group (visited before the messages came) to its newest message painted. */
  switchAfterMs: number;
}

const SENDERS = 4;
const MB = 1024 * 1024;

export async function receiveMessages(browser: Browser, url: string, seed: WebSeed, count: number): Promise<Receive> {
  const receive = seed.receive;
  if (!receive) throw new Error('no feed groups were seeded');
  const page = await signedInPage(browser, url, seed);
  try {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await loadAndPaint(page, seed.small.path, seed.small);
    await page.waitForSelector(chatLink(seed.big));
    await clickToPaint(page, chatLink(seed.big), newestOf(seed.big));
    await clickToPaint(page, chatLink(seed.small), newestOf(seed.small));
    await page.getByTestId('transport').filter({ hasText: 'WebSocket' }).waitFor();
    const before = await memory(page, cdp);

    const client = createChatClient({ url, origin: url, cookie: receive.senderCookie });
    const started = performance.now();
    let sent = 0;
    const send = (i: number, body: string) => {
      const chat = receive.chats[i % receive.chats.length];
      if (!chat) throw new Error('no chat');
      return client.api.message.send.mutate({ id: randomUUID(), chatId: chat.id, body });
    };
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (sent < count - 1) {
          const i = sent++;
          await send(i, `Feed message ${i + 1}, sent while the tab is open.`);
          if ((i + 1) % 1000 === 0) {
            const s = (performance.now() - started) / 1000;
            console.log(`receive: ${i + 1} of ${count} sent in ${s.toFixed(0)} s (${((i + 1) / s).toFixed(0)}/s)`);
          }
        }
      }),
    );
    const last = `The last of ${count} feed messages ${randomUUID().slice(0, 8)}`;
    await send(count - 1, last);
    const sendMs = performance.now() - started;
    client.close();
    const answered = performance.now();
    await page.getByTestId('chat-preview').filter({ hasText: last }).waitFor({ timeout: 120_000 });
    const lastShownMs = performance.now() - answered;
    const after = await memory(page, cdp);
    const switchAfterMs = await clickToPaint(page, chatLink(seed.big), newestOf(seed.big));
    return {
      messages: count,
      chats: receive.chats.length,
      sendMs,
      lastShownMs,
      heapBeforeMb: before.jsHeapUsedAfterGcBytes / MB,
      heapAfterMb: after.jsHeapUsedAfterGcBytes / MB,
      documentElementsAfter: after.documentElements,
      switchAfterMs,
    };
  } finally {
    await page.context().close();
  }
}
