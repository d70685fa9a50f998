/**
 * Issue 24, bug 1: formatting toggles off. Pressing a mark's shortcut (or its
 * button) again ends the mark with the caret outside it, as in Slack, Teams
 * or Google Docs; a mark pressed and never typed into leaves nothing behind,
 * so no empty `****` reaches a sent message. Every way a person produces:
 * with no selection, on a selection, nested bold-italic, the toolbar, undo
 * and Backspace.
 */
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshotWidths } from './browser';
import { befriend, composer, finish, messageList, openChatWith, type Person, person } from './people';
import { rowWith } from './rich';

let server: TestServer;
let browser: Browser;
let alice: Person;
let bob: Person;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  alice = await person(browser, server.url);
  bob = await person(browser, server.url);
  await befriend(alice, bob);
  await openChatWith(alice, bob);
});

afterAll(async () => {
  if (alice && bob) await finish(alice, bob);
  await browser?.close();
  await server?.stop();
});

const field = (page: Page) => composer(page);
const value = (page: Page) => field(page).inputValue();
const type = (page: Page, text: string) => field(page).pressSequentially(text);
const tool = (page: Page, name: string) =>
  page.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name, exact: true });

async function clear(page: Page): Promise<void> {
  await field(page).fill('');
  await field(page).focus();
}

describe('composer marks toggle off', () => {
  it('Ctrl+B, text, Ctrl+B ends bold with the caret after it, and sends what was typed', async () => {
    const a = alice.page;
    await clear(a);
    await field(a).press('Control+b');
    await type(a, 'bold');
    await field(a).press('Control+b');
    await type(a, ' plain');
    expect(await value(a)).toBe('**bold** plain');
    await maybeScreenshotWidths(a, 'marks-bold-plain');
    await field(a).press('Enter');
    const row = rowWith(a, 'plain');
    await row.locator('strong', { hasText: /^bold$/ }).waitFor();
    expect(await messageList(a).locator('.message-text').last().textContent()).toBe('bold plain');
  });

  it('Ctrl+I does the same, and so do the toolbar buttons', async () => {
    const a = alice.page;
    await clear(a);
    await field(a).press('Control+i');
    await type(a, 'it');
    await field(a).press('Control+i');
    await type(a, ' x');
    expect(await value(a)).toBe('*it* x');

    await clear(a);
    await tool(a, 'Bold').click();
    await type(a, 'bold');
    await tool(a, 'Bold').click();
    await type(a, ' plain');
    expect(await value(a)).toBe('**bold** plain');
  });

  it('a mark pressed twice with nothing typed leaves nothing; one never typed into is not sent', async () => {
    const a = alice.page;
    await clear(a);
    await type(a, 'hello ');
    await field(a).press('Control+b');
    await field(a).press('Control+b');
    await type(a, 'world');
    expect(await value(a)).toBe('hello world');

    await field(a).press('Control+i');
    expect(await value(a)).toBe('hello world');
    await expect.poll(() => tool(a, 'Italic').getAttribute('aria-pressed')).toBe('true');
    await maybeScreenshotWidths(a, 'marks-italic-pending');
    await field(a).press('Enter');
    await rowWith(a, 'hello world').waitFor();
    expect(await messageList(a).locator('.message-text').last().textContent()).toBe('hello world');
    expect(await value(a)).toBe('');
  });

  it('nested bold-italic ends one mark at a time', async () => {
    const a = alice.page;
    await clear(a);
    await field(a).press('Control+b');
    await field(a).press('Control+i');
    await type(a, 'both');
    await field(a).press('Control+i');
    await type(a, ' bold');
    await field(a).press('Control+b');
    await type(a, ' plain');
    expect(await value(a)).toBe('***both* bold** plain');
    await field(a).press('Enter');
    const row = rowWith(a, 'both bold plain');
    await row.locator('strong em', { hasText: /^both$/ }).waitFor();
    expect(await row.locator('strong').textContent()).toBe('both bold');
  });

  it('on a selection: wraps, and the same key again unwraps', async () => {
    const a = alice.page;
    await clear(a);
    await type(a, 'make this bold');
    await field(a).evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(10, 14));
    await field(a).press('Control+b');
    expect(await value(a)).toBe('make this **bold**');
    await field(a).press('Control+b');
    expect(await value(a)).toBe('make this bold');
    await field(a).press('Control+i');
    await field(a).press('End');
    await type(a, '!');
    expect(await value(a)).toBe('make this *bold*!');
  });

  it('Backspace over the last letter of a mark and undo never leave empty marks', async () => {
    const a = alice.page;
    await clear(a);
    await type(a, 'a ');
    await field(a).press('Control+b');
    await type(a, 'x');
    expect(await value(a)).toBe('a **x**');
    await field(a).press('Backspace');
    expect(await value(a)).toBe('a ');
    // Still bold, as in a word processor: what is typed next is bold.
    await type(a, 'y');
    expect(await value(a)).toBe('a **y**');
    await field(a).press('Control+z');
    expect(await value(a)).not.toMatch(/\*\*\*\*/);
    await field(a).press('Control+z');
    expect(await value(a)).not.toMatch(/\*\*\*\*/);

    await clear(a);
    await field(a).press('Control+b');
    await type(a, 'bold');
    await field(a).press('Control+b');
    await type(a, ' plain');
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      await field(a).press('Control+z');
      seen.push(await value(a));
    }
    // Each step back is text a person could have typed: never an empty `****`, never a lone `**`.
    for (const v of seen) expect(v).not.toMatch(/\*\*\*\*|(^|\s)\*\*(\s|$)/);
    expect(seen.slice(0, 2)).toEqual(['**bold**', '**b**']);
  });
});
