/**
 * Debian's Chromium, driven by playwright-core (never `playwright install`).
 * Each launch gets a fresh temporary profile from Playwright itself.
 */
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Without the background-networking flags Chromium floods a closed network with refused connections. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A fresh context (its own cookies and storage) whose relative URLs go to `baseURL`. */
export function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
}

/**
 * Collects what went wrong inside a page: uncaught exceptions and console
 * errors, to assert on or to print when a test fails. E2E_DEBUG=1 also
 * prints every console message of the page.
 */
export function watchPage(page: Page): { uncaught: string[]; consoleErrors: string[] } {
  const problems = { uncaught: [] as string[], consoleErrors: [] as string[] };
  page.on('pageerror', (error) => problems.uncaught.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
    if (process.env.E2E_DEBUG) console.log('[page]', message.type(), message.text());
  });
  return problems;
}

/** Saves a screenshot when E2E_SCREENSHOT_DIR is set (to look at the UI by eye). */
export async function maybeScreenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png` });
}

/** `maybeScreenshot` at the desktop width and again at a phone's 390 px (`<name>-390`). */
export async function maybeScreenshotWidths(page: Page, name: string): Promise<void> {
  if (!process.env.E2E_SCREENSHOT_DIR) return;
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  await maybeScreenshot(page, name);
  await page.setViewportSize({ width: 390, height: 844 });
  await maybeScreenshot(page, `${name}-390`);
  await page.setViewportSize(size);
}
