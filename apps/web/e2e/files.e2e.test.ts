/**
 * Files in the browser, as people use them: Alice attaches a PDF with the
 * button, drops a text file and pastes an archive, watches one upload and
 * cancels another; Bob sees the cards arrive live and downloads one (the
 * browser's suggested name and the bytes are checked); a stranger in a third
 * browser gets nothing for the same link.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshot, maybeScreenshotWidths } from './browser';
import { befriend, composer, expectAllStored, finish, messageList, openChatWith, person } from './people';
import { dropFiles, pasteFiles, pickFiles, uploadItem, uploadList } from './rich';

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

/** Slows this page's uploads to `bytesPerSecond` (or back to full speed with null). */
async function throttleUploads(page: Page, bytesPerSecond: number | null): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond ?? -1,
  });
}

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);
const TEXT = Buffer.from('Minutes of Monday\n- ship files\n');
/** A name that would be markup if it were ever put into the page as HTML. */
const MARKUP_NAME = '<img src=x onerror="window.__owned=1">.txt';

describe('files', () => {
  it('one attaches files by button, drop and paste; the other sees the cards live and downloads one', async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    const stranger = await person(browser, server.url);
    await befriend(alice, bob);
    const a = alice.page;
    const b = bob.page;
    await openChatWith(alice, bob);
    await openChatWith(bob, alice);

    // A big one, slowed down: progress shows, and cancel takes it away without sending it.
    await throttleUploads(a, 256 * 1024);
    await pickFiles(a, [{ name: 'huge.bin', type: 'application/octet-stream', bytes: randomBytes(3 * 1024 * 1024) }]);
    const huge = uploadItem(a, 'huge.bin');
    await huge.getByRole('progressbar', { name: 'Uploading huge.bin' }).waitFor();
    await huge.getByRole('button', { name: 'Cancel upload of huge.bin' }).click();
    await uploadList(a).waitFor({ state: 'detached' });
    await throttleUploads(a, null);

    // The button, a drop on the chat, a paste into the composer.
    await pickFiles(a, [{ name: 'Q3 report.pdf', type: 'application/pdf', bytes: PDF }]);
    await dropFiles(a, [{ name: MARKUP_NAME, type: 'text/plain', bytes: TEXT }]);
    await composer(a).click();
    await pasteFiles(a, [{ name: 'bundle.zip', type: 'application/zip', bytes: zipOf('a.txt', 'hello') }]);
    for (const name of ['Q3 report.pdf', MARKUP_NAME, 'bundle.zip']) {
      await uploadItem(a, name).and(a.locator('[data-status="done"]')).waitFor();
    }
    await uploadItem(a, 'Q3 report.pdf')
      .getByText(/^PDF · \d+ B$/)
      .waitFor();
    await composer(a).fill('the files from Monday');
    await maybeScreenshotWidths(a, 'files-composer');
    await a.getByRole('button', { name: 'Send' }).click();
    await expectAllStored(a);

    // Bob: three cards, live, names as text (never markup), type and size.
    const cards = messageList(b).getByTestId('file-card');
    await expect.poll(() => cards.count(), { timeout: 15_000 }).toBe(3);
    expect(await cards.locator('.file-name').allTextContents()).toEqual(['Q3 report.pdf', MARKUP_NAME, 'bundle.zip']);
    expect(await cards.nth(0).locator('.file-meta').textContent()).toBe(`PDF · ${PDF.length} B`);
    expect(await cards.nth(2).locator('.file-meta').textContent()).toMatch(/^Archive · \d+ B$/);
    expect(await b.evaluate(() => (window as { __owned?: number }).__owned)).toBeUndefined();
    expect(await messageList(b).locator('.file-card img').count()).toBe(0);
    await maybeScreenshotWidths(b, 'files-received');

    // Downloading: saved (never opened) under its own name, byte for byte.
    for (const [name, bytes] of [
      ['Q3 report.pdf', PDF],
      [MARKUP_NAME, TEXT],
    ] as const) {
      const link = messageList(b).getByRole('link', { name: `Download ${name}` });
      const [download] = await Promise.all([b.waitForEvent('download'), link.click()]);
      // The server offers the name as given; Chromium itself swaps what no file system should hold (<, >, ").
      expect(download.suggestedFilename()).toBe(name.replace(/[<>"]/g, '_'));
      const path = await download.path();
      expect((await readFile(path)).equals(bytes)).toBe(true);
    }
    expect(b.url()).toContain('/chats/@'); // still in the chat: nothing opened in its place

    // A stranger with the link gets nothing.
    const href =
      (await messageList(b).getByRole('link', { name: 'Download Q3 report.pdf' }).getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/api\/files\/[0-9a-f-]{36}$/);
    const theirs = await stranger.page.request.get(href);
    expect(theirs.status()).toBe(404);
    expect(theirs.headers()['content-disposition']).toBeUndefined();
    const bobs = await b.request.get(href);
    expect(bobs.headers()['content-disposition']).toMatch(/^attachment;/);
    expect(bobs.headers()['x-content-type-options']).toBe('nosniff');

    await maybeScreenshot(a, 'files-sent');
    await finish(alice, bob, stranger);
  }, 180_000);
});

/** A ZIP with one stored entry (enough for the server to sniff it as application/zip). */
function zipOf(name: string, text: string): Buffer {
  const data = Buffer.from(text);
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(local.length + fileName.length + data.length, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}
