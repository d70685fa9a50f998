/**
 * A smoke test of the browser benchmark (`pnpm --filter @chat/load bench:web`,
 * load/README.md): the whole run at tiny sizes, once, against the built SPA.
 * It checks that every figure is a real measurement (a finite, positive
 * number, the oldest message reached), never how fast: timings belong in
 * the benchmark's report, not in tests.
 */
import { fileURLToPath } from 'node:url';
import { testAdminUrl, testDatabaseKind } from '@chat/db/testing';
import { describe, expect, it } from 'vitest';
import { runWebBench } from '../src/web/run';

const webDist = process.env.WEB_DIST ?? fileURLToPath(new URL('../../apps/web/dist', import.meta.url));

describe('bench:web', () => {
  // Seeding, the server's start and eight page loads on a shared two-core machine: minutes, not the suite's 90 s.
  it('measures a small group in Chromium and every figure is a number', { timeout: 300_000 }, async () => {
    const result = await runWebBench({
      db: testDatabaseKind(),
      adminUrl: testAdminUrl,
      members: 30,
      messages: 50,
      longHistory: 0,
      receive: 20,
      receiveChats: 3,
      repetitions: 1,
      scrollStepPx: 400,
      scrollTimeoutMs: 30_000,
      webDist,
      screenshotDir: process.env.E2E_SCREENSHOT_DIR,
      say: () => {},
    });
    const m = result.medians;
    for (const [name, value] of Object.entries({
      coldLoadMs: m.coldLoadMs,
      openGroupMs: m.openGroupMs,
      memberListMs: m.memberListMs,
      switchToBigMs: m.switchToBigMs,
      switchToSmallMs: m.switchToSmallMs,
      initialJsGzipBytes: m.initialJsGzipBytes,
      initialJsTransferredBytes: m.initialJsTransferredBytes,
      listElements: m.scroll.listElements,
      documentElements: m.scroll.documentElements,
      jsHeapUsedMb: m.scroll.jsHeapUsedMb,
      jsHeapUsedAfterGcMb: m.scroll.jsHeapUsedAfterGcMb,
      frameIntervalP95Ms: m.scroll.frameIntervalP95Ms,
      frameWorkP95Ms: m.scroll.frameWorkP95Ms,
    })) {
      expect(Number.isFinite(value) && value > 0, `${name} = ${value}`).toBe(true);
    }
    expect(m.scroll.reachedOldest).toBe(true);
    const receive = m.receive;
    expect(receive?.messages).toBe(20);
    for (const value of [receive?.heapBeforeMb, receive?.heapAfterMb, receive?.lastShownMs, receive?.switchAfterMs]) {
      expect(Number.isFinite(value) && (value ?? 0) >= 0, String(value)).toBe(true);
    }
    expect(m.scroll.messageRows).toBe(50);
    expect(result.runs.openGroup[0]?.memberRows).toBe(30);
    expect(result.runs.coldLoad[0]?.scripts.length).toBeGreaterThan(0);
    expect(m.scroll.documentElements).toBeGreaterThanOrEqual(m.scroll.listElements);
  });
});
