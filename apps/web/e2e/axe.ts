/**
 * axe-core in a page: its source injected as a script tag (the context must
 * bypass CSP, which allows no inline script), the WCAG 2.0/2.1/2.2 A and AA
 * rules run, and the page checked at the desktop width and at 390 px, in
 * the light and the dark theme (the system preference, emulated).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { maybeScreenshot } from './browser';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

/** A violation that cannot be fixed: one rule, on the elements whose selector matches (in the states named), and why. */
export interface Allowance {
  rule: string;
  selector: RegExp;
  /** `<state>-<theme>-<width>`; every state when absent. */
  state?: RegExp;
  reason: string;
}

export interface Finding {
  state: string;
  rule: string;
  help: string;
  target: string;
  summary: string;
}

/** Runs axe on the page as it is now; returns what it found, less the allowed. */
async function axeFindings(page: Page, state: string, allowed: Allowance[]): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async (tags) => {
    const { axe } = window as unknown as { axe: typeof import('axe-core') };
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return results.violations.flatMap((v) =>
      v.nodes.map((n) => ({ rule: v.id, help: v.help, target: n.target.join(' '), summary: n.failureSummary ?? '' })),
    );
  }, TAGS);
  return violations
    .filter(
      (v) => !allowed.some((a) => a.rule === v.rule && a.selector.test(v.target) && (a.state?.test(state) ?? true)),
    )
    .map((v) => ({ state, ...v }));
}

/**
 * Checks the page at both widths in both themes, saving a screenshot of each
 * (`a11y-<state>-<theme>-<width>`) when E2E_SCREENSHOT_DIR is set; back to
 * desktop and light after.
 */
export async function audit(page: Page, state: string, allowed: Allowance[]): Promise<Finding[]> {
  const found: Finding[] = [];
  for (const size of WIDTHS) {
    await page.setViewportSize({ ...size });
    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme });
      await page.waitForFunction((theme) => document.documentElement.dataset.theme === theme, colorScheme);
      const name = `${state}-${colorScheme}-${size.width}`;
      await maybeScreenshot(page, `a11y-${name}`);
      found.push(...(await axeFindings(page, name, allowed)));
    }
  }
  await page.setViewportSize({ ...WIDTHS[0] });
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

/** Readable in a failed assertion: one line per element. */
export const lines = (found: Finding[]) =>
  found.map((f) => `${f.state}: ${f.rule} (${f.help}) at ${f.target}\n  ${f.summary}`);
