/**
 * Attaching images in the browser: progress while uploading (the upload
 * throttled through the DevTools protocol so it can be watched), cancel,
 * sending while uploads are still going, the server's reason shown for each
 * refused file while the good ones still go (a file that is no image goes as
 * a file), the 10-attachment limit, dropping
 * files on the chat, and image-only messages.
 */
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshot } from './browser';
import { befriend, chatList, composer, expectAllStored, finish, messageList, openChatWith, person } from './people';
import { dropFiles, noisyPngBytes, pickFiles, pngBytes, uploadItem, uploadList } from './rich';

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

const POLYGLOT = 'This file contains web page code as well as image data, so it is refused.';

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

const imagesIn = (page: Page) => messageList(page).locator('.message-images img');

describe('attaching images', () => {
  it('shows progress, cancels, and sends a message written while its image uploads', async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    await befriend(alice, bob);
    const a = alice.page;
    await openChatWith(alice, bob);
    await openChatWith(bob, alice);
    const big = await noisyPngBytes(1000, 1000); // about 3 MB
    await throttleUploads(a, 1024 * 1024);

    // Progress shows while it goes; Cancel stops it and takes it away.
    await pickFiles(a, [{ name: 'first.png', type: 'image/png', bytes: big }]);
    const progress = uploadItem(a, 'first.png').getByRole('progressbar', { name: 'Uploading first.png' });
    await expect
      .poll(() => progress.evaluate((p: HTMLProgressElement) => p.value), { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(await progress.evaluate((p: HTMLProgressElement) => p.value)).toBeLessThan(1);
    await maybeScreenshot(a, 'upload-progress');
    await uploadItem(a, 'first.png').getByRole('button', { name: 'Cancel upload of first.png' }).click();
    await uploadList(a).waitFor({ state: 'detached' });

    // Written and sent while the image is still uploading: it goes once the upload is done.
    await pickFiles(a, [{ name: 'second.png', type: 'image/png', bytes: big }]);
    await composer(a).fill('sent while *uploading*');
    await composer(a).press('Enter');
    await a.getByRole('status').filter({ hasText: 'Sending once the images have uploaded' }).waitFor();
    await bob.page.locator('.message-text em', { hasText: 'uploading' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => imagesIn(bob.page).count()).toBe(1);
    expect(await composer(a).inputValue()).toBe('');
    await uploadList(a).waitFor({ state: 'detached' });
    await throttleUploads(a, null);
    await finish(alice, bob);
  });

  it("shows the server's reason for each refused file, and sends the good ones without text", async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    await befriend(alice, bob);
    const a = alice.page;
    await openChatWith(alice, bob);
    await openChatWith(bob, alice);

    await pickFiles(a, [
      { name: 'good.png', type: 'image/png', bytes: await pngBytes(300, 200) },
      // Not an image whatever its name: a file, offered as a download (files.e2e.test.ts).
      { name: 'notes.png', type: 'image/png', bytes: Buffer.from('just some text, renamed to look like an image\n') },
      {
        name: 'page.png',
        type: 'image/png',
        bytes: Buffer.concat([await pngBytes(20, 20), Buffer.from('<script>window.__xss=1</script>')]),
      },
    ]);
    await uploadItem(a, 'good.png').and(a.locator('[data-status="done"]')).waitFor();
    await uploadItem(a, 'notes.png').and(a.locator('[data-status="done"]')).waitFor();
    await uploadItem(a, 'page.png').getByRole('alert').filter({ hasText: POLYGLOT }).waitFor();
    await maybeScreenshot(a, 'upload-errors');

    // No text: the image and the file alone are a message; the refused one is left behind.
    await a.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => imagesIn(bob.page).count(), { timeout: 15_000 }).toBe(1);
    await messageList(bob.page).getByTestId('file-card').filter({ hasText: 'notes.png' }).waitFor();
    await expectAllStored(a);
    await uploadList(a).waitFor({ state: 'detached' });
    expect(await messageList(bob.page).locator('.message-text').count()).toBe(0);
    await chatList(bob.page).getByTestId('chat-preview').filter({ hasText: '2 attachments' }).waitFor();

    // Eleven at once: ten upload, the eleventh is refused here without being sent.
    const tiny = await pngBytes(8, 8);
    await pickFiles(
      a,
      Array.from({ length: 11 }, (_, i) => ({ name: `n${i + 1}.png`, type: 'image/png', bytes: tiny })),
    );
    await uploadItem(a, 'n11.png')
      .getByRole('alert')
      .filter({ hasText: 'At most 10 images and files in one message.' })
      .waitFor();
    await expect.poll(() => uploadList(a).locator('[data-status="done"]').count(), { timeout: 20_000 }).toBe(10);
    await a.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => imagesIn(bob.page).count(), { timeout: 15_000 }).toBe(11);

    // The viewer moves through the chat's images with the arrow keys.
    await messageList(bob.page).getByRole('button', { name: 'Open image n1.png' }).click();
    const viewer = bob.page.getByRole('dialog', { name: 'Image viewer' });
    await viewer.getByText('2 of 11').waitFor();
    await bob.page.keyboard.press('ArrowRight');
    await viewer.getByRole('img', { name: 'n2.png' }).waitFor();
    await viewer.getByText('3 of 11').waitFor();
    await bob.page.keyboard.press('ArrowLeft');
    await bob.page.keyboard.press('ArrowLeft');
    await viewer.getByRole('img', { name: 'good.png' }).waitFor();
    await viewer.getByText('1 of 11').waitFor();
    expect(await viewer.getByRole('button', { name: 'Previous image' }).isDisabled()).toBe(true);
    await viewer.getByRole('button', { name: 'Close' }).click();
    await viewer.waitFor({ state: 'detached' });
    await finish(alice, bob);
  });

  it('takes images dropped on the chat', async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    await befriend(alice, bob);
    const a = alice.page;
    await openChatWith(alice, bob);
    await openChatWith(bob, alice);
    const file = { name: 'dropped.png', type: 'image/png', bytes: await pngBytes(120, 90) };

    await dropFiles(a, [file], { drop: false });
    await a.getByText('Drop images or files to attach them').waitFor();
    await maybeScreenshot(a, 'upload-drop');
    await dropFiles(a, [file]);
    await a.getByText('Drop images or files to attach them').waitFor({ state: 'detached' });
    await uploadItem(a, 'dropped.png').and(a.locator('[data-status="done"]')).waitFor();
    await composer(a).fill('dropped one');
    await composer(a).press('Enter');
    const img = messageList(bob.page).getByRole('button', { name: 'Open image dropped.png' }).locator('img');
    await expect
      .poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth), { timeout: 15_000 })
      .toBe(120);
    await finish(alice, bob);
  });
});
