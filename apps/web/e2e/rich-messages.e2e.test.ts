/**
 * Rich messages between two people in two browser contexts: a pasted image
 * with **bold** and *italic* text, the thumbnail and the viewer on the other
 * side, a reaction from the picker seen live by the sender and kept after a
 * reload; the composer's formatting buttons and shortcuts.
 */
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshot } from './browser';
import { befriend, composer, finish, messageList, openChatWith, person } from './people';
import { pasteFiles, pngBytes, rowWith, uploadItem } from './rich';

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

const newPerson = () => person(browser, server.url);

describe('rich messages in the browser', () => {
  it('pasted image and formatted text reach the other side; a reaction comes back live and stays', async () => {
    const alice = await newPerson();
    const bob = await newPerson();
    await befriend(alice, bob);
    const a = alice.page;
    const b = bob.page;
    await openChatWith(alice, bob);
    await openChatWith(bob, alice);

    // Alice pastes a PNG made here, writes bold and italic text, and sends.
    await pasteFiles(a, [{ name: 'sunset.png', type: 'image/png', bytes: await pngBytes(640, 400) }]);
    await uploadItem(a, 'sunset.png').and(a.locator('[data-status="done"]')).waitFor();
    await composer(a).fill('Look at **this** *view* from https://example.com/trip');
    await composer(a).press('Enter');

    // Bob sees the marks as elements, the link made safe, and the thumbnail loaded at its reserved size.
    const row = rowWith(b, 'from');
    await row.locator('strong', { hasText: 'this' }).waitFor();
    await row.locator('em', { hasText: 'view' }).waitFor();
    const link = row.locator('.message-text a');
    expect(await link.getAttribute('href')).toBe('https://example.com/trip');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    const thumb = row.getByRole('button', { name: 'Open image sunset.png' }).locator('img');
    await expect
      .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(await thumb.getAttribute('width')).toBe('320');
    expect(await thumb.getAttribute('height')).toBe('200');
    await maybeScreenshot(b, 'rich-received');

    // The viewer: the full image, a download link, Escape closes.
    await row.getByRole('button', { name: 'Open image sunset.png' }).click();
    const viewer = b.getByRole('dialog', { name: 'Image viewer' });
    const full = viewer.getByRole('img', { name: 'sunset.png' });
    await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 10_000 }).toBe(640);
    const download = viewer.getByRole('link', { name: 'Download sunset.png' });
    expect(await download.getAttribute('href')).toMatch(/^\/api\/images\/[0-9a-f-]{36}\?download=1$/);
    const saved = await b.request.get((await download.getAttribute('href')) ?? '');
    expect(saved.headers()['content-disposition']).toMatch(/^attachment/);
    await maybeScreenshot(b, 'rich-viewer');
    await b.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

    // Bob reacts from the picker: the full set is searchable by name.
    await row.locator('.message').hover();
    await row.getByRole('button', { name: 'Add reaction' }).click();
    const picker = b.getByRole('dialog', { name: 'Add reaction' });
    await picker.getByRole('button', { name: 'thumbs up' }).first().waitFor();
    await picker.getByRole('searchbox', { name: 'Search emoji' }).fill('rocket');
    await picker.getByRole('button', { name: 'rocket', exact: true }).waitFor();
    await maybeScreenshot(b, 'rich-picker');
    await picker.getByRole('searchbox', { name: 'Search emoji' }).fill('');
    await picker.getByRole('group', { name: 'Frequently used' }).getByRole('button', { name: 'thumbs up' }).click();
    await picker.waitFor({ state: 'detached' });
    const bobsChip = row.locator('.reaction-chip[data-emoji="👍"]');
    await expect.poll(() => bobsChip.getAttribute('aria-pressed')).toBe('true');

    // Alice sees it live: count 1, not hers, Bob's name on hover.
    const chip = rowWith(a, 'from').locator('.reaction-chip[data-emoji="👍"]');
    await chip.waitFor();
    expect(await chip.locator('.reaction-count').textContent()).toBe('1');
    expect(await chip.getAttribute('aria-pressed')).toBe('false');
    expect(await chip.getAttribute('title')).toBe(`${bob.user.displayName} reacted with 👍`);
    await maybeScreenshot(a, 'rich-reaction');

    // Alice adds hers by clicking the chip: 2 for both; a reload keeps it.
    await chip.click();
    await expect.poll(() => chip.locator('.reaction-count').textContent()).toBe('2');
    await expect.poll(() => bobsChip.locator('.reaction-count').textContent(), { timeout: 10_000 }).toBe('2');
    await a.reload();
    const after = rowWith(a, 'from').locator('.reaction-chip[data-emoji="👍"]');
    await after.waitFor();
    expect(await after.locator('.reaction-count').textContent()).toBe('2');
    expect(await after.getAttribute('aria-pressed')).toBe('true');
    expect(await after.getAttribute('title')).toBe(`You and ${bob.user.displayName} reacted with 👍`);

    // Bob takes his back: Alice's chip counts 1 again.
    await bobsChip.click();
    await expect.poll(() => after.locator('.reaction-count').textContent(), { timeout: 10_000 }).toBe('1');

    // The chat list's preview is plain text.
    await a.goto('/');
    await a
      .getByTestId('chat-preview')
      .filter({ hasText: 'You: Look at this view from https://example.com/trip' })
      .waitFor();
    await finish(alice, bob);
  });

  it('formats with the toolbar and Ctrl+B / Ctrl+I, and sends the marks as typed', async () => {
    const alice = await newPerson();
    const bob = await newPerson();
    await befriend(alice, bob);
    const a = alice.page;
    await openChatWith(alice, bob);

    const field = composer(a);
    await field.fill('make this bold');
    await field.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(10, 14));
    await field.press('Control+b');
    expect(await field.inputValue()).toBe('make this **bold**');
    await field.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(5, 9));
    await field.press('Control+i');
    expect(await field.inputValue()).toBe('make *this* **bold**');
    await field.press('End');
    await field.pressSequentially(' and ');
    await a.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: 'Strikethrough' }).click();
    await field.pressSequentially('gone');
    await a.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: 'Code' }).click();
    // A mark pressed with nothing selected waits for the next letter (no empty marks in the text).
    expect(await field.inputValue()).toBe('make *this* **bold** and ~~gone~~');
    await field.pressSequentially('x');
    expect(await field.inputValue()).toBe('make *this* **bold** and ~~gone`x`~~');
    // Undo takes the last mark back (the marks are edits of the field).
    await field.press('Control+z');
    expect(await field.inputValue()).toBe('make *this* **bold** and ~~gone~~');
    await field.press('Enter');

    const row = rowWith(a, 'make');
    await row.locator('em', { hasText: 'this' }).waitFor();
    await row.locator('strong', { hasText: 'bold' }).waitFor();
    await row.locator('s', { hasText: 'gone' }).waitFor();
    const stored = await messageList(a).locator('.message-text').last().textContent();
    expect(stored).toBe('make this bold and gone');
    await finish(alice, bob);
  });
});
