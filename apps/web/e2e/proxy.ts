/**
 * The browser's side of the proxy tests: the nginx harness (apps/server/test/proxy.ts,
 * shared with the typed client's tests), people whose browser reaches the app
 * only through a proxy, and the transport the indicator says is in use.
 */
import { type ProxyMode, startProxy, type TestProxy } from '@chat/server/proxy';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchBrowser, newContext, watchPage } from './browser';
import { type ApiUser, freshUsername, registerViaApi } from './helpers';
import type { Person } from './people';

export { getOnce, nginxPath, type ProxyMode, startProxy, type TestProxy } from '@chat/server/proxy';

/** A proxy test file's server, browser and proxies (`proxiedSuite`). */
export interface ProxiedSuite {
  readonly server: TestServer;
  readonly browser: Browser;
  /** A proxy in `mode` in front of `upstream`, stopped after the file's tests. */
  proxyFor(upstream: TestServer, mode: ProxyMode): Promise<TestProxy>;
}

/** Starts a test server and a browser before the file's tests and stops them, and its proxies, after. */
export function proxiedSuite(): ProxiedSuite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const proxies: TestProxy[] = [];
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    for (const proxy of proxies) await proxy.stop();
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the suite has not started');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
    async proxyFor(upstream, mode) {
      const proxy = await startProxy(upstream.url, mode);
      proxies.push(proxy);
      return proxy;
    },
  };
}

export type TransportKind = 'ws' | 'sse' | 'poll';

export interface ProxiedPerson extends Person {
  /** What crossed the wire to the page (`tapStream`). */
  wire: Delivery[];
}

/** The transport the indicator names (its `data-transport`), or null while none carries the stream. */
export function transportOf(page: Page): Promise<string | null> {
  return page.getByTestId('transport').getAttribute('data-transport', { timeout: 5_000 });
}

/** Why the indicator's transport is not a better one (its `data-reason`), or null. */
export function reasonOf(page: Page): Promise<string | null> {
  return page.getByTestId('transport').getAttribute('data-reason', { timeout: 5_000 });
}

/** Waits until the indicator shows `kind`. */
export async function expectTransportKind(page: Page, kind: TransportKind, timeout = 30_000): Promise<void> {
  try {
    await expect.poll(() => transportOf(page), { timeout }).toBe(kind);
  } catch {
    const indicator = page.getByTestId('transport');
    const state = await indicator.getAttribute('data-state', { timeout: 1_000 }).catch(() => 'none');
    const history = await transportHistory(page).catch(() => []);
    const timeline = await page
      .evaluate(() => (window as unknown as { __transportTimeline?: string[] }).__transportTimeline ?? [])
      .catch(() => []);
    throw new Error(
      `the indicator did not show ${kind} within ${timeout} ms: data-state ${state}, shown so far ${history.join(' → ')}\n` +
        `  since the page loaded: ${timeline.join(', ')}`,
    );
  }
}

/**
 * Records every transport the indicator shows, in order, from the page's start
 * (read with `transportHistory`): which were passed through, and what it ends on.
 */
const RECORD_TRANSPORTS = () => {
  const seen: string[] = [];
  const timeline: string[] = [];
  const started = Date.now();
  Object.assign(window, { __transports: seen, __transportTimeline: timeline });
  setInterval(() => {
    const indicator = document.querySelector('[data-testid="transport"]');
    const now = indicator?.getAttribute('data-transport') ?? '';
    if (now && seen.at(-1) !== now) seen.push(now);
    const state =
      `${indicator?.getAttribute('data-state')} ${now} ${indicator?.getAttribute('data-reason') ?? ''}`.trim();
    if (timeline.at(-1)?.endsWith(` ${state}`) !== true) timeline.push(`${Date.now() - started} ms ${state}`);
  }, 50);
};

export function transportHistory(page: Page): Promise<string[]> {
  return page.evaluate(() => [...((window as unknown as { __transports?: string[] }).__transports ?? [])]);
}

/**
 * Someone registered and signed in whose browser reaches the app only at
 * `baseUrl` (a proxy), with `path` open in auto mode (no `?transport=`: a
 * fresh context remembers no forced choice), the event stream tapped on the
 * wire from the first page load.
 */
export async function personBehind(
  browser: Browser,
  baseUrl: string,
  path = '/',
  /** Sets the scene through the API before the first page load (befriending, say). */
  beforeLoad: (user: ApiUser, context: BrowserContext) => Promise<void> = async () => {},
): Promise<ProxiedPerson> {
  const context = await newContext(browser, baseUrl);
  await context.addInitScript(RECORD_TRANSPORTS);
  const user = await registerViaApi(context, freshUsername());
  await beforeLoad(user, context);
  const page = await context.newPage();
  const problems = watchPage(page);
  const wire = await tapStream(page);
  await page.goto(path);
  await page.getByTestId('transport').waitFor();
  return { user, context, page, problems, wire };
}

/** A stored event as it crossed the wire to the page: over which connection, and which event. */
export interface Delivery {
  via: TransportKind;
  /** One WebSocket, one EventSource request, or 'polls' (a poll loop carries one cursor across requests). */
  connection: string;
  eventId: number;
  type: string;
  /** A message event's text. */
  body?: string;
}

/** Every stored event found in a frame, an SSE message or a poll's answer (superjson's `json` holds them as plain objects). */
function storedEvents(value: unknown, found: { eventId: number; type: string; body?: string }[] = []) {
  if (Array.isArray(value)) for (const v of value) storedEvents(v, found);
  else if (value && typeof value === 'object') {
    const o = value as { id?: unknown; type?: unknown; payload?: { message?: { body?: unknown } } };
    if (typeof o.id === 'number' && typeof o.type === 'string' && o.payload) {
      const body = o.payload.message?.body;
      found.push({ eventId: o.id, type: o.type, ...(typeof body === 'string' ? { body } : {}) });
    } else for (const v of Object.values(o)) storedEvents(v, found);
  }
  return found;
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/**
 * Taps the page's event stream on all three transports (WebSocket frames,
 * SSE messages through the DevTools protocol, `events.poll` answers), so a
 * test can tell an event lost or repeated on the wire from one the page's
 * store hid.
 */
export async function tapStream(page: Page): Promise<Delivery[]> {
  const deliveries: Delivery[] = [];
  let sockets = 0;
  page.on('websocket', (ws) => {
    const connection = `ws#${++sockets}`;
    ws.on('framereceived', ({ payload }) => {
      for (const e of storedEvents(parse(String(payload)))) deliveries.push({ via: 'ws', connection, ...e });
    });
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.eventSourceMessageReceived', ({ requestId, data }) => {
    for (const e of storedEvents(parse(data))) deliveries.push({ via: 'sse', connection: `sse#${requestId}`, ...e });
  });
  page.on('response', async (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/trpc/') || !url.pathname.includes('events.poll')) return;
    const paths = url.pathname.slice('/trpc/'.length).split(',');
    const body = parse(await response.text().catch(() => ''));
    const answers = Array.isArray(body) ? body : [body];
    paths.forEach((path, i) => {
      if (path !== 'events.poll') return;
      for (const e of storedEvents(answers[i])) deliveries.push({ via: 'poll', connection: 'polls', ...e });
    });
  });
  return deliveries;
}

/** Event ids a single connection carried more than once (a cursor that did not move on). */
export function repeatedWithinAConnection(deliveries: Delivery[]): string[] {
  const seen = new Set<string>();
  const repeated: string[] = [];
  for (const d of deliveries) {
    const key = `${d.connection}:${d.eventId}`;
    if (seen.has(key)) repeated.push(`${key} (${d.type}${d.body ? ` "${d.body}"` : ''})`);
    seen.add(key);
  }
  return repeated;
}

/** How many times each message text arrived as `message.created`, on any connection. */
export function createdCounts(deliveries: Delivery[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of deliveries) {
    if (d.type === 'message.created' && d.body !== undefined) counts.set(d.body, (counts.get(d.body) ?? 0) + 1);
  }
  return counts;
}

/** Nothing repeated on any one connection, and each text created on the wire at least once. */
export function expectWireOnce(wire: Delivery[], texts: string[]): void {
  expect(repeatedWithinAConnection(wire)).toEqual([]);
  const counts = createdCounts(wire);
  const missing = texts.filter((text) => !counts.get(text));
  expect(missing, 'message.created never crossed the wire for these').toEqual([]);
}
