/** Small steps the browser tests share: fresh users, signing in, waiting for the transport. */
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

export const PASSWORD = 'correct horse battery staple';

let counter = 0;
/** A username no earlier run or test has used. */
export function freshUsername(): string {
  counter += 1;
  return `e2e-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}${counter}`;
}

export interface ApiUser {
  id: string;
  username: string;
  displayName: string;
}

/** Registers through the API (no UI), leaving the session cookie in the context. */
export async function registerViaApi(context: BrowserContext, username: string): Promise<ApiUser> {
  return mutateViaApi<ApiUser>(context, 'auth.register', { username, password: PASSWORD, passwordRepeat: PASSWORD });
}

/** Calls a tRPC mutation as the context's signed-in user (for setting a scene, not for what is under test). */
/**
 * A test's API calls each on a connection of their own: one reused after the
 * server's keep-alive timeout can meet the server's close, and a mutation sent
 * into it fails with ECONNRESET, which a test must not retry (it may have run).
 */
export const FRESH_CONNECTION = { connection: 'close' };

export async function mutateViaApi<T>(context: BrowserContext, path: string, input: unknown): Promise<T> {
  const response = await context.request.post(`/trpc/${path}`, { data: { json: input }, headers: FRESH_CONNECTION });
  const text = await response.text();
  expect(response.status(), text).toBe(200);
  return (JSON.parse(text) as { result: { data: { json: T } } }).result.data.json;
}

/** For `page.waitForURL`: the path alone, whatever the query. */
export const onPath = (path: string) => (url: URL) => url.pathname === path;

/** Fills and submits the sign-in form on the current page. */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Waits until the transport indicator shows `label` ("WebSocket", "SSE", "Connecting…", "Offline"). */
export async function expectTransport(page: Page, label: string): Promise<void> {
  await page.getByTestId('transport').filter({ hasText: label }).waitFor();
}
