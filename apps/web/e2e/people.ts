/**
 * People for the messaging browser tests: each registered and signed in in a
 * context of their own (own cookies, storage and event stream), and the steps
 * they take in a chat.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { newContext, watchPage } from './browser';
import {
  type ApiUser,
  expectTransport,
  FRESH_CONNECTION,
  freshUsername,
  mutateViaApi,
  registerViaApi,
} from './helpers';

export interface Person {
  user: ApiUser;
  context: BrowserContext;
  page: Page;
  problems: ReturnType<typeof watchPage>;
}

export type Transport = 'ws' | 'sse' | 'poll';

const LABEL: Record<Transport, string> = { ws: 'WebSocket', sse: 'SSE', poll: 'Polling' };

/** Someone registered and signed in, with `path` open over `transport` and the stream up. */
export async function person(browser: Browser, baseUrl: string, path = '/', transport: Transport = 'ws') {
  const context = await newContext(browser, baseUrl);
  const user = await registerViaApi(context, freshUsername());
  const page = await context.newPage();
  const problems = watchPage(page);
  const mode = transport === 'ws' ? 'auto' : transport;
  await page.goto(`${path}${path.includes('?') ? '&' : '?'}transport=${mode}`);
  await expectTransport(page, LABEL[transport]);
  return { user, context, page, problems } satisfies Person;
}

export function transportLabel(transport: Transport): string {
  return LABEL[transport];
}

/** Makes two people contacts through the API (setting the scene, not what is tested). */
export async function befriend(a: Person, b: Person): Promise<void> {
  await mutateViaApi(a.context, 'contacts.request', { username: b.user.username });
  await mutateViaApi(b.context, 'contacts.accept', { userId: a.user.id });
}

/** Calls a tRPC query as the context's signed-in user. */
export async function queryViaApi<T>(context: BrowserContext, path: string, input: unknown): Promise<T> {
  const response = await context.request.get(
    `/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
    { headers: FRESH_CONNECTION },
  );
  const text = await response.text();
  expect(response.status(), text).toBe(200);
  return (JSON.parse(text) as { result: { data: { json: T } } }).result.data.json;
}

export const chatList = (page: Page) => page.getByRole('region', { name: 'Chats', exact: true });
export const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });
export const messageList = (page: Page) => page.getByRole('list', { name: 'Messages', exact: true });
export const composer = (page: Page) => page.getByRole('textbox', { name: 'Message', exact: true });

/** `a` opens the one-to-one chat with `b` (by its address) and waits for its messages. */
export async function openChatWith(a: Person, b: Person): Promise<void> {
  await a.page.goto(`/chats/@${b.user.username}`);
  await heading(a.page, b.user.displayName).waitFor();
  await a.page.getByTestId('timeline').locator('.spinner').waitFor({ state: 'detached' });
}

/** Types and sends with Enter. */
/** Waits until `page` says that `who` is typing. */
export async function seesTyping(page: Page, who: Person): Promise<void> {
  await page
    .getByTestId('typing')
    .filter({ hasText: `${who.user.displayName} is typing…` })
    .waitFor();
}

export async function send(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

/** The row of the message that says `text` (exactly). */
export function messageRow(page: Page, text: string): Locator {
  return messageList(page)
    .getByRole('listitem')
    .filter({ has: page.locator('.message-text', { hasText: new RegExp(`^${escapeRegExp(text)}$`) }) });
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The texts of the messages on screen, in order. */
export function texts(page: Page): Promise<string[]> {
  return messageList(page).locator('.message-text').allInnerTexts();
}

/** Waits until the page shows exactly these messages, in this order. */
export async function expectTexts(page: Page, expected: string[], timeout = 20_000): Promise<void> {
  await expect.poll(() => texts(page), { timeout }).toEqual(expected);
}

/** Waits until the server has stored every message the page shows (none pending in its outbox). */
export async function expectAllStored(page: Page, timeout = 20_000): Promise<void> {
  const unsent = messageList(page).locator('[data-status]:not([data-status="stored"])');
  await expect.poll(() => unsent.count(), { timeout }).toBe(0);
}

export async function finish(...people: Person[]): Promise<void> {
  for (const p of people) {
    expect(p.problems.uncaught).toEqual([]);
    await p.context.close();
  }
}
