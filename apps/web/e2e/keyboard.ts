/** Steps the keyboard tests share: what has the focus, the quick switcher, screenshots at two widths. */
import type { Page } from 'playwright-core';
import { maybeScreenshot } from './browser';

/** The focused element's accessible label (aria-label or <label>), or its tag name. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (!active) return '';
    const labelled = active.getAttribute('aria-label');
    if (labelled) return labelled;
    const label = active.id ? document.querySelector(`label[for="${active.id}"]`) : null;
    return label?.textContent?.trim() || active.tagName;
  });
}

export const switcher = (page: Page) => page.getByRole('dialog', { name: 'Jump to a chat' });
export const switcherField = (page: Page) =>
  switcher(page).getByRole('combobox', { name: 'Jump to a chat or contact' });

/** The titles the switcher lists, in order. */
export function switcherOptions(page: Page): Promise<string[]> {
  return switcher(page).getByRole('option').locator('.switcher-title').allInnerTexts();
}

/** `<name>-1280` and `<name>-390` into E2E_SCREENSHOT_DIR, then back to the desktop width. */
export async function shotWidths(page: Page, name: string): Promise<void> {
  if (!process.env.E2E_SCREENSHOT_DIR) return;
  await maybeScreenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(100);
  await maybeScreenshot(page, `${name}-390`);
  await page.setViewportSize({ width: 1280, height: 800 });
}
