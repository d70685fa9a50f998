/**
 * The load tool, in-process, against the real server: a short run must lose
 * and duplicate nothing with figures that add up; and the accounting must
 * catch a delivery that went missing, so the first check is not vacuous.
 */
import { startTestServer, type TestServer } from '@chat/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tally } from '../src/ledger';
import { defaultOptions } from '../src/options';
import { parseGroups } from '../src/plan';
import { runLoad } from '../src/run';
import { exitCode } from '../src/summary';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const quiet = () => {};

function shortRun(overrides: Parameters<typeof defaultOptions>[0] = {}) {
  return defaultOptions({
    url: [server.url],
    users: 10,
    connections: 2,
    groups: parseGroups('2x5'),
    'direct-share': 0.5,
    rate: 20,
    duration: 3,
    'ramp-up': 0.5,
    settle: 0,
    grace: 10,
    workers: 0,
    'login-concurrency': 2,
    ...overrides,
  });
}

/** A short run's books: every connection live, every send stored, nothing lost or twice, one latency per delivery, no errors. */
function expectCleanRun(result: Awaited<ReturnType<typeof runLoad>>, connections: number): void {
  const t = result.tally;
  expect(result.connections).toMatchObject({ connections, ready: connections });
  expect(t.stored).toBeGreaterThan(20);
  expect(t.stored).toBe(t.sent);
  expect(t.lost).toBe(0);
  expect(t.duplicated).toBe(0);
  expect(t.delivered).toBe(t.expected);
  expect(t.latency.count).toBe(t.delivered);
  expect(t.errors).toEqual({});
}

describe('load tool', () => {
  it('delivers every stored message to every member connection once, and the figures add up', async () => {
    const result = await runLoad(shortRun(), quiet);
    const t = result.tally;
    expect(result.connections).toMatchObject({ connections: 20, ready: 20 });
    expect(t.sent).toBeGreaterThan(40);
    expect(t.stored).toBe(t.sent);
    expect(t.lost).toBe(0);
    expect(t.duplicated).toBe(0);
    expect(t.delivered).toBe(t.expected);
    expect(t.delivered + t.lost).toBe(t.expected);
    expect(t.latency.count).toBe(t.delivered);
    expect(t.sendLatency.count).toBe(t.stored);
    // Each message is owed to 2 connections of each member: 2 members (one-to-one) or 5 (groups).
    expect(t.expected % 2).toBe(0);
    expect(t.expected).toBeGreaterThanOrEqual(t.stored * 4);
    expect(t.expected).toBeLessThanOrEqual(t.stored * 10);
    expect(t.errors).toEqual({});
    expect(exitCode(result)).toBe(0);

    // The same books with one delivery taken out: the tally must call it lost, and the run failed.
    const [report, ...others] = result.books.reports;
    if (!report) throw new Error('no report');
    const [chatId, pairs] = Object.entries(report.received)[0] ?? [];
    if (!chatId || !pairs?.[0]) throw new Error('no deliveries');
    const [seq, count] = pairs[0];
    const damaged = {
      ...report,
      received: { ...report.received, [chatId]: [[seq, count - 1] as [number, number], ...pairs.slice(1)] },
    };
    const missing = tally([damaged, ...others], result.books.audience);
    expect(missing.lost).toBe(1);
    expect(missing.delivered).toBe(t.delivered - 1);
    expect(exitCode({ ...result, tally: missing })).toBe(1);
  });

  it('reads the WebSocket streams and sends through the typed client on its own fetch as well, with the same books', async () => {
    const result = await runLoad(shortRun({ reader: 'typed', fetch: 'global', users: 6 }), quiet);
    expect(result.options).toMatchObject({ reader: 'typed', fetch: 'global' });
    expectCleanRun(result, 12);
  });

  it.each(['raw', 'typed'] as const)('follows SSE streams (%s reader), with the same books', async (reader) => {
    const result = await runLoad(shortRun({ transport: 'sse', reader, users: 6 }), quiet);
    expect(result.options).toMatchObject({ transport: 'sse', reader });
    expectCleanRun(result, 12);
  });

  it.each(['raw', 'typed'] as const)('long-polls (%s reader), with the same books', async (reader) => {
    // Held 2 s rather than 25: a run's end must not wait on polls the server is still holding.
    const result = await runLoad(shortRun({ transport: 'poll', reader, 'poll-wait': 2000, users: 6 }), quiet);
    expect(result.options).toMatchObject({ transport: 'poll', reader, 'poll-wait': 2000 });
    expectCleanRun(result, 12);
  });

  it('sends as mutations on each sender’s own WebSocket, with the same books', async () => {
    const result = await runLoad(shortRun({ 'send-over': 'ws', users: 6 }), quiet);
    expect(result.options).toMatchObject({ 'send-over': 'ws', reader: 'raw' });
    expectCleanRun(result, 12);
  });

  it.runIf(process.env.TEST_DB === 'postgres')(
    'seeds through SQL with sessions written there, then runs clean',
    async () => {
      const result = await runLoad(
        shortRun({ seed: 'db', sessions: 'db', 'database-url': server.database.url, users: 12, connections: 1 }),
        quiet,
      );
      expect(result.tally.lost).toBe(0);
      expect(result.tally.duplicated).toBe(0);
      expect(result.tally.stored).toBeGreaterThan(0);
      expect(result.tally.delivered).toBe(result.tally.expected);
    },
  );
});
