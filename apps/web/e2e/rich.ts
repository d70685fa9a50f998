/** Steps the rich-message browser tests share: images made in the test, pasting and picking them. */
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { composer, messageList } from './people';

/** A PNG of one colour, made here (never a fixture file). */
export function pngBytes(width: number, height: number, colour = { r: 40, g: 120, b: 200 }): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

/** Noise compresses badly: a PNG of about `width`×`height`×3 bytes, to watch an upload's progress. */
export function noisyPngBytes(width: number, height: number): Promise<Buffer> {
  const noise = { type: 'gaussian', mean: 128, sigma: 60 } as const;
  return sharp({ create: { width, height, channels: 3, background: '#808080', noise } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

/** Pastes files into the composer: a real `paste` event carrying a DataTransfer with File objects. */
export async function pasteFiles(page: Page, files: { name: string; type: string; bytes: Buffer }[]): Promise<void> {
  const plain = files.map((f) => ({ name: f.name, type: f.type, bytes: f.bytes.toString('base64') }));
  await composer(page).evaluate((field, list) => {
    const data = new DataTransfer();
    for (const f of list) {
      const raw = Uint8Array.from(atob(f.bytes), (c) => c.charCodeAt(0));
      data.items.add(new File([raw], f.name, { type: f.type }));
    }
    field.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, plain);
}

/** Picks files with the composer's "Attach images or files" file input. */
export async function pickFiles(page: Page, files: { name: string; type: string; bytes: Buffer }[]): Promise<void> {
  await page
    .getByTestId('image-picker')
    .setInputFiles(files.map((f) => ({ name: f.name, mimeType: f.type, buffer: f.bytes })));
}

export const uploadList = (page: Page) => page.getByRole('list', { name: 'Attached images and files' });
export const uploadItem = (page: Page, name: string): Locator =>
  uploadList(page).getByRole('listitem').filter({ hasText: name });

/** The row of the message whose text contains `text`. */
export function rowWith(page: Page, text: string): Locator {
  return messageList(page)
    .getByRole('listitem')
    .filter({ has: page.locator('.message-text', { hasText: text }) });
}

/** Drags files over the chat pane and drops them (real drag events carrying a DataTransfer). */
export async function dropFiles(
  page: Page,
  files: { name: string; type: string; bytes: Buffer }[],
  options: { drop: boolean } = { drop: true },
): Promise<void> {
  const plain = files.map((f) => ({ name: f.name, type: f.type, bytes: f.bytes.toString('base64') }));
  await page.getByRole('region', { name: 'Conversation' }).evaluate(
    (pane, { list, drop }) => {
      const data = new DataTransfer();
      for (const f of list) {
        const raw = Uint8Array.from(atob(f.bytes), (c) => c.charCodeAt(0));
        data.items.add(new File([raw], f.name, { type: f.type }));
      }
      const target = pane.querySelector('.timeline') ?? pane;
      for (const type of drop ? ['dragenter', 'dragover', 'drop'] : ['dragenter', 'dragover']) {
        target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
      }
    },
    { list: plain, drop: options.drop },
  );
}
