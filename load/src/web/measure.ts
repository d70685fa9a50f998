/**
 * Each of the browser benchmark's measurements, once, in a page of Debian's
 * Chromium: times from the in-page probe (probe.ts), memory and node counts
 * from the DevTools protocol (Performance.getMetrics), bytes from its
 * Network domain.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Browser, type CDPSession, chromium, type Page } from 'playwright-core';
import { installProbe, type ScrollBackResult } from './probe';
import type { SeededChat, WebSeed } from './seed';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The browser tests' flags (apps/web/e2e/browser.ts): without the background-networking ones Chromium floods a closed network. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export const newestOf = (chat: SeededChat) => `[data-message-id="${chat.newestId}"]`;
const TIMELINE = '[data-testid="timeline"]';
const MEMBER_ROW = 'ul[aria-label="Members"] li';

/** A fresh context (empty cache and storage), signed in as the seeded user, with the probe installed. */
export async function signedInPage(browser: Browser, url: string, seed: WebSeed): Promise<Page> {
  const context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 800 } });
  await context.addCookies([{ name: 'chat_session', value: seed.sessionId, url }]);
  // tsx (esbuild) names functions through a `__name` helper that a serialised function would call in the page.
  await context.addInitScript({ content: `var __name = (f) => f; (${installProbe.toString()})();` });
  return context.newPage();
}

async function closePage(page: Page): Promise<void> {
  await page.context().close();
}

/** Navigates to `path` and waits until `chat`'s newest message is painted; ms since navigation start. */
export async function loadAndPaint(page: Page, path: string, chat: SeededChat): Promise<number> {
  await page.goto(path, { waitUntil: 'commit' });
  return page.evaluate((selector) => window.__bench.painted(selector, false), newestOf(chat));
}

/** Clicks `target` and returns ms from the click's event to `selector` painted. */
export async function clickToPaint(page: Page, target: string, selector: string): Promise<number> {
  await page.evaluate(() => window.__bench.arm());
  const painted = page.evaluate((s) => window.__bench.painted(s, true), selector);
  await page.click(target);
  const at = await painted;
  const clickAt = await page.evaluate(() => window.__bench.clickAt);
  if (clickAt === null) throw new Error(`no click seen on ${target}`);
  return at - clickAt;
}

export const chatLink = (chat: SeededChat) => `a.chat-item[href="${chat.path}"]`;

export interface ColdLoad {
  ms: number;
  /** Where the time went, ms from navigation start (the page's own Navigation, Paint and Resource Timing). */
  timeline: {
    domContentLoaded: number;
    firstContentfulPaint: number;
    requests: Array<{ name: string; start: number; end: number }>;
  };
  /** Scripts fetched until the newest message was painted. */
  scripts: Array<{ url: string; transferredBytes: number; bodyBytes: number; gzipBytes: number; encoding: string }>;
}

/** A cold load of the large group's page (fresh context: nothing cached), with the scripts it fetched. */
export async function coldLoad(browser: Browser, url: string, seed: WebSeed): Promise<ColdLoad> {
  const page = await signedInPage(browser, url, seed);
  try {
    const cdp = await page.context().newCDPSession(page);
    const scripts = new Map<string, { url: string; encoding: string; transferred: number }>();
    cdp.on('Network.responseReceived', (e) => {
      if (e.type === 'Script') {
        const encoding = e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? 'identity';
        scripts.set(e.requestId, { url: e.response.url, encoding, transferred: 0 });
      }
    });
    cdp.on('Network.loadingFinished', (e) => {
      const s = scripts.get(e.requestId);
      if (s) s.transferred = e.encodedDataLength;
    });
    await cdp.send('Network.enable');
    // BENCH_WEB_PROFILE=DIR: a CPU profile of the page's main thread from navigation to the paint, one file per load.
    const profileDir = process.env.BENCH_WEB_PROFILE;
    if (profileDir) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const ms = await loadAndPaint(page, seed.big.path, seed.big);
    if (profileDir) {
      const { profile } = await cdp.send('Profiler.stop');
      mkdirSync(profileDir, { recursive: true });
      writeFileSync(join(profileDir, `cold-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    }
    const out: ColdLoad['scripts'] = [];
    for (const [requestId, s] of scripts) {
      const body = await cdp.send('Network.getResponseBody', { requestId });
      const bytes = Buffer.from(body.body, body.base64Encoded ? 'base64' : 'utf8');
      out.push({
        url: new URL(s.url).pathname,
        transferredBytes: s.transferred,
        bodyBytes: bytes.length,
        gzipBytes: gzipSync(bytes).length,
        encoding: s.encoding,
      });
    }
    const timeline = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const requests = performance.getEntriesByType('resource').map((r) => ({
        name: r.name.replace(location.origin, '').slice(0, 120),
        start: Math.round(r.startTime),
        end: Math.round(r.startTime + r.duration),
      }));
      return {
        domContentLoaded: nav ? Math.round(nav.domContentLoadedEventEnd) : Number.NaN,
        firstContentfulPaint: fcp ? Math.round(fcp.startTime) : Number.NaN,
        requests,
      };
    });
    return { ms, timeline, scripts: out };
  } finally {
    await closePage(page);
  }
}

export interface OpenGroup {
  /** From the click on the group in the chat list to its newest message painted. */
  messagesMs: number;
  /** Then from the click on "Group info" to the member list painted. */
  membersMs: number;
  memberRows: number;
}

/** Opens the large group from the chat list (first visit in this tab), then its member list. */
export async function openGroup(
  browser: Browser,
  url: string,
  seed: WebSeed,
  screenshotDir?: string | undefined,
): Promise<OpenGroup> {
  const page = await signedInPage(browser, url, seed);
  try {
    await loadAndPaint(page, seed.small.path, seed.small);
    await page.waitForSelector(chatLink(seed.big));
    const messagesMs = await clickToPaint(page, chatLink(seed.big), newestOf(seed.big));
    const membersMs = await clickToPaint(page, 'button[aria-label="Group info"]', MEMBER_ROW);
    const memberRows = await page.locator(MEMBER_ROW).count();
    if (screenshotDir) await page.screenshot({ path: `${screenshotDir}/bench-web-open-group.png` });
    return { messagesMs, membersMs, memberRows };
  } finally {
    await closePage(page);
  }
}

export interface Switches {
  toBigMs: number[];
  toSmallMs: number[];
}

/** Visits both groups, then switches between them `times` times each way. */
export async function switchChats(browser: Browser, url: string, seed: WebSeed, times: number): Promise<Switches> {
  const page = await signedInPage(browser, url, seed);
  try {
    await loadAndPaint(page, seed.small.path, seed.small);
    await page.waitForSelector(chatLink(seed.big));
    await clickToPaint(page, chatLink(seed.big), newestOf(seed.big));
    await clickToPaint(page, chatLink(seed.small), newestOf(seed.small));
    const out: Switches = { toBigMs: [], toSmallMs: [] };
    for (let i = 0; i < times; i++) {
      out.toBigMs.push(await clickToPaint(page, chatLink(seed.big), newestOf(seed.big)));
      out.toSmallMs.push(await clickToPaint(page, chatLink(seed.small), newestOf(seed.small)));
    }
    return out;
  } finally {
    await closePage(page);
  }
}

export interface Memory {
  jsHeapUsedBytes: number;
  /** After a full garbage collection (HeapProfiler.collectGarbage): what the page holds on to. */
  jsHeapUsedAfterGcBytes: number;
  /** Element nodes in the message list and in the document. */
  listElements: number;
  documentElements: number;
  /** Chromium's count of live DOM nodes of every kind (text nodes too), from Performance.getMetrics. */
  domNodes: number;
  messageRows: number;
}

export async function memory(page: Page, cdp: CDPSession): Promise<Memory> {
  const metric = async (name: string) => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === name)?.value ?? Number.NaN;
  };
  const jsHeapUsedBytes = await metric('JSHeapUsedSize');
  await cdp.send('HeapProfiler.collectGarbage');
  const jsHeapUsedAfterGcBytes = await metric('JSHeapUsedSize');
  const domNodes = await metric('Nodes');
  const counts = await page.evaluate((timeline) => {
    const list = document.querySelector(timeline);
    return {
      listElements: list ? list.getElementsByTagName('*').length : Number.NaN,
      documentElements: document.getElementsByTagName('*').length,
      messageRows: list ? list.querySelectorAll('[data-message-id]').length : Number.NaN,
    };
  }, TIMELINE);
  return { jsHeapUsedBytes, jsHeapUsedAfterGcBytes, domNodes, ...counts };
}

export interface ScrollBack {
  chat: string;
  messages: number;
  before: Memory;
  after: Memory;
  scroll: Omit<ScrollBackResult, 'frameIntervals' | 'frameWork'> & {
    frames: number;
    frameIntervalP95Ms: number;
    frameWorkP95Ms: number;
    /** Frames that took longer than 1.5 × 16.7 ms from the previous one (at least one vsync missed). */
    longFrames: number;
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Loads `chat` cold, then scrolls from its newest message back to its oldest, `stepPx` a frame. */
export async function scrollBack(
  browser: Browser,
  url: string,
  seed: WebSeed,
  chat: SeededChat,
  options: { stepPx: number; timeoutMs: number; screenshotDir?: string | undefined },
): Promise<ScrollBack> {
  const page = await signedInPage(browser, url, seed);
  try {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await loadAndPaint(page, chat.path, chat);
    const before = await memory(page, cdp);
    const result = await page.evaluate(
      ([timeline, oldest, step, timeout]) => window.__bench.scrollBack(timeline, oldest, step, timeout),
      [TIMELINE, `[data-message-id="${chat.oldestId}"]`, options.stepPx, options.timeoutMs] as const,
    );
    const after = await memory(page, cdp);
    if (options.screenshotDir) await page.screenshot({ path: `${options.screenshotDir}/bench-web-scrolled-back.png` });
    const { frameIntervals, frameWork, ...rest } = result;
    return {
      chat: chat.path,
      messages: chat.messages,
      before,
      after,
      scroll: {
        ...rest,
        frames: frameIntervals.length,
        frameIntervalP95Ms: percentile(frameIntervals, 95),
        frameWorkP95Ms: percentile(frameWork, 95),
        longFrames: frameIntervals.filter((ms) => ms > 25).length,
      },
    };
  } finally {
    await closePage(page);
  }
}
