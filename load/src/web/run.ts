/**
 * The browser benchmark, start to end: a fresh database (PGlite or
 * PostgreSQL) seeded with web/seed.ts, the real server serving a build of
 * the SPA, Debian's Chromium, each measurement `repetitions` times, medians.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectPostgres } from '@chat/db';
import { spawnServer } from '../server/start';
import {
  type ColdLoad,
  coldLoad,
  launchChromium,
  type OpenGroup,
  openGroup,
  type ScrollBack,
  type Switches,
  scrollBack,
  switchChats,
} from './measure';
import { type Receive, receiveMessages } from './receive';
import { seedWebBench, type WebSeedSizes } from './seed';

export interface WebBenchOptions extends WebSeedSizes {
  db: 'pglite' | 'postgres';
  /** For `db: 'postgres'`: where the run's database is made (and dropped). */
  adminUrl: string;
  /** A built SPA; without it, vite builds one into a temporary directory. */
  webDist: string | undefined;
  repetitions: number;
  /** Messages sent into the feed groups while a tab is open (0: not measured). */
  receive: number;
  /** Pixels scrolled up per frame while scrolling back. */
  scrollStepPx: number;
  scrollTimeoutMs: number;
  /** Where to save screenshots of the measured pages (to see that they show what was meant), if anywhere. */
  screenshotDir?: string | undefined;
  say(line: string): void;
}

export interface WebBenchResult {
  at: string;
  /** The machine's load averages (1, 5, 15 min) as the measuring began and ended: above its core count, other work competed. */
  machine: { cores: number; loadBefore: number[]; loadAfter: number[] };
  options: Omit<WebBenchOptions, 'say' | 'adminUrl'>;
  medians: {
    coldLoadMs: number;
    openGroupMs: number;
    memberListMs: number;
    switchToBigMs: number;
    switchToSmallMs: number;
    initialJsGzipBytes: number;
    initialJsTransferredBytes: number;
    scroll: ScrollMedians;
    longScroll: ScrollMedians | null;
    receive: Receive | null;
  };
  runs: {
    coldLoad: ColdLoad[];
    openGroup: OpenGroup[];
    switches: Switches;
    scroll: ScrollBack[];
    longScroll: ScrollBack[];
  };
}

export interface ScrollMedians {
  messages: number;
  listElements: number;
  documentElements: number;
  messageRows: number;
  jsHeapUsedMb: number;
  jsHeapUsedAfterGcMb: number;
  jsHeapBeforeMb: number;
  frameIntervalP95Ms: number;
  frameWorkP95Ms: number;
  scrollMs: number;
  reachedOldest: boolean;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const MB = 1024 * 1024;

function scrollMedians(runs: ScrollBack[]): ScrollMedians | null {
  if (runs.length === 0) return null;
  const m = (f: (r: ScrollBack) => number) => median(runs.map(f));
  return {
    messages: runs[0]?.messages ?? 0,
    listElements: m((r) => r.after.listElements),
    documentElements: m((r) => r.after.documentElements),
    messageRows: m((r) => r.after.messageRows),
    jsHeapUsedMb: m((r) => r.after.jsHeapUsedBytes / MB),
    jsHeapUsedAfterGcMb: m((r) => r.after.jsHeapUsedAfterGcBytes / MB),
    jsHeapBeforeMb: m((r) => r.before.jsHeapUsedAfterGcBytes / MB),
    frameIntervalP95Ms: m((r) => r.scroll.frameIntervalP95Ms),
    frameWorkP95Ms: m((r) => r.scroll.frameWorkP95Ms),
    scrollMs: m((r) => r.scroll.ms),
    reachedOldest: runs.every((r) => r.scroll.reachedOldest),
  };
}

const webDir = fileURLToPath(new URL('../../../apps/web/', import.meta.url));

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
  });
}

/** A temporary place for the run's database and build, removed at the end. */
async function prepareDatabase(options: WebBenchOptions): Promise<{
  target: { databaseUrl?: string; dataDir?: string };
  env: Record<string, string>;
  drop(): Promise<void>;
}> {
  if (options.db === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'chat-bench-web-db-'));
    return { target: { dataDir }, env: { DATA_DIR: dataDir }, drop: async () => rmSync(dataDir, { recursive: true }) };
  }
  const name = `chat_bench_web_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = connectPostgres(options.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(options.adminUrl);
  url.pathname = `/${name}`;
  return {
    target: { databaseUrl: url.toString() },
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const a = connectPostgres(options.adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export async function runWebBench(options: WebBenchOptions): Promise<WebBenchResult> {
  const { say, repetitions: reps } = options;
  const cleanups: Array<() => Promise<void> | void> = [];
  try {
    let webDist = options.webDist;
    if (!webDist) {
      const dir = mkdtempSync(join(tmpdir(), 'chat-bench-web-dist-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      say(`building the SPA into ${dir}`);
      await run(
        join(webDir, 'node_modules/.bin/vite'),
        ['build', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn'],
        webDir,
      );
      webDist = dir;
    }
    const database = await prepareDatabase(options);
    cleanups.push(database.drop);
    say(
      `seeding ${options.db}: a group of ${options.members} with ${options.messages} messages` +
        (options.longHistory ? `, a group with ${options.longHistory}` : ''),
    );
    const seed = await seedWebBench(database.target, options);
    const { url, child } = await spawnServer({ ...database.env, WEB_DIST: webDist });
    cleanups.push(() => stopChild(child));
    say(`server at ${url}`);
    const browser = await launchChromium();
    cleanups.push(() => browser.close());

    // One load not counted: the server's first queries plan their statements and fill its caches.
    await coldLoad(browser, url, seed);
    const loadBefore = loadavg();
    const runs: WebBenchResult['runs'] = {
      coldLoad: [],
      openGroup: [],
      switches: { toBigMs: [], toSmallMs: [] },
      scroll: [],
      longScroll: [],
    };
    for (let i = 0; i < reps; i++) runs.coldLoad.push(await coldLoad(browser, url, seed));
    say(`cold load: ${runs.coldLoad.map((r) => r.ms.toFixed(0)).join(', ')} ms`);
    for (let i = 0; i < reps; i++)
      runs.openGroup.push(await openGroup(browser, url, seed, i === 0 ? options.screenshotDir : undefined));
    say(
      `open group: ${runs.openGroup.map((r) => `${r.messagesMs.toFixed(0)}+${r.membersMs.toFixed(0)}`).join(', ')} ms`,
    );
    runs.switches = await switchChats(browser, url, seed, reps);
    say(`switch: ${runs.switches.toBigMs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    const scrollOptions = { stepPx: options.scrollStepPx, timeoutMs: options.scrollTimeoutMs };
    for (let i = 0; i < reps; i++) {
      const screenshotDir = i === 0 ? options.screenshotDir : undefined;
      runs.scroll.push(await scrollBack(browser, url, seed, seed.big, { ...scrollOptions, screenshotDir }));
      say(`scrolled back ${seed.big.messages} messages in ${(runs.scroll.at(-1)?.scroll.ms ?? 0).toFixed(0)} ms`);
    }
    // Each scroll through a long history takes minutes: once.
    if (seed.long) {
      runs.longScroll.push(await scrollBack(browser, url, seed, seed.long, scrollOptions));
      say(`scrolled back ${seed.long.messages} messages in ${(runs.longScroll[0]?.scroll.ms ?? 0).toFixed(0)} ms`);
    }

    // Sending takes a while and leaves the feed groups full: once, last.
    let receive: Receive | null = null;
    if (options.receive > 0) {
      receive = await receiveMessages(browser, url, seed, options.receive);
      say(
        `received ${receive.messages} messages: heap ${receive.heapBeforeMb.toFixed(1)} → ${receive.heapAfterMb.toFixed(1)} MB`,
      );
    }

    const first = runs.coldLoad[0]?.scripts ?? [];
    const { say: _say, adminUrl: _adminUrl, screenshotDir: _shots, ...shown } = options;
    return {
      at: new Date().toISOString(),
      machine: { cores: cpus().length, loadBefore, loadAfter: loadavg() },
      options: shown,
      medians: {
        coldLoadMs: median(runs.coldLoad.map((r) => r.ms)),
        openGroupMs: median(runs.openGroup.map((r) => r.messagesMs)),
        memberListMs: median(runs.openGroup.map((r) => r.membersMs)),
        switchToBigMs: median(runs.switches.toBigMs),
        switchToSmallMs: median(runs.switches.toSmallMs),
        initialJsGzipBytes: first.reduce((s, x) => s + x.gzipBytes, 0),
        initialJsTransferredBytes: first.reduce((s, x) => s + x.transferredBytes, 0),
        scroll: scrollMedians(runs.scroll) as ScrollMedians,
        longScroll: scrollMedians(runs.longScroll),
        receive,
      },
      runs,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
