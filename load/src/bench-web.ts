/**
 * What a person waits for in the browser (issue 28, §2): the real server and
 * a build of the SPA over a seeded database, driven by Debian's Chromium
 * through playwright-core. Medians of `--repetitions` (five) of: a cold load
 * of a large group's page, opening it from the chat list (then its member
 * list), switching between two visited chats, and scrolling back through its
 * whole history (element nodes, JS heap, frame times); and the JavaScript the
 * first load fetched. Prints a table and writes the JSON (load/README.md).
 *
 *   pnpm --filter @chat/load bench:web [--db pglite|postgres] [--members 300] [--messages 1000]
 *     [--long-history 10000] [--receive 20000 [--receive-chats 50]] [--repetitions 5] [--scroll-step 400] [--scroll-timeout 600]
 *     [--web-dist DIR] [--json FILE] [--screenshots DIR] [--admin-url postgres://…/postgres]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_ADMIN_URL } from './server/start';
import type { Receive } from './web/receive';
import { runWebBench, type ScrollMedians, type WebBenchResult } from './web/run';

const { values } = parseArgs({
  // `pnpm … bench:web -- --messages 50` passes the `--` along.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    db: { type: 'string', default: 'pglite' },
    'admin-url': { type: 'string', default: DEFAULT_ADMIN_URL },
    members: { type: 'string', default: '300' },
    messages: { type: 'string', default: '1000' },
    'long-history': { type: 'string', default: '0' },
    receive: { type: 'string', default: '0' },
    'receive-chats': { type: 'string', default: '50' },
    repetitions: { type: 'string', default: '5' },
    'scroll-step': { type: 'string', default: '400' },
    'scroll-timeout': { type: 'string', default: '600' },
    'web-dist': { type: 'string' },
    json: { type: 'string' },
    screenshots: { type: 'string' },
  },
});

function whole(name: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} must be a whole number from ${min} to ${max}.`);
    process.exit(2);
  }
  return n;
}
if (values.db !== 'pglite' && values.db !== 'postgres') {
  console.error('--db must be pglite or postgres.');
  process.exit(2);
}

const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 13);
const jsonPath =
  values.json ?? fileURLToPath(new URL(`../results/web-${stamp.replace('T', '-')}-${values.db}.json`, import.meta.url));

const result = await runWebBench({
  db: values.db,
  adminUrl: values['admin-url'],
  members: whole('members', values.members, 2, 300),
  messages: whole('messages', values.messages, 1),
  longHistory: whole('long-history', values['long-history'], 0),
  receive: whole('receive', values.receive, 0),
  receiveChats: Number(values.receive) > 0 ? whole('receive-chats', values['receive-chats'], 1) : 0,
  repetitions: whole('repetitions', values.repetitions, 1),
  scrollStepPx: whole('scroll-step', values['scroll-step'], 1),
  scrollTimeoutMs: whole('scroll-timeout', values['scroll-timeout'], 1) * 1000,
  webDist: values['web-dist'],
  screenshotDir: values.screenshots,
  say: (line) => console.error(`[bench:web] ${line}`),
});
console.log(table(result));
mkdirSync(dirname(jsonPath), { recursive: true });
writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
console.log(`\nwritten to ${jsonPath}`);

function table(r: WebBenchResult): string {
  const m = r.medians;
  const o = r.options;
  const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
  const rows: Array<[string, string, string]> = [
    [
      `cold load of /groups/<id> to newest message painted (${o.members} members)`,
      `${m.coldLoadMs.toFixed(0)} ms`,
      '≤ 300 ms',
    ],
    [
      'open the group from the chat list: click to newest message painted',
      `${m.openGroupMs.toFixed(0)} ms`,
      '≤ 100 ms',
    ],
    ['then "Group info": click to member list painted', `${m.memberListMs.toFixed(0)} ms`, '(with the above)'],
    ['switch to the visited large group: click to painted', `${m.switchToBigMs.toFixed(0)} ms`, '≤ 50 ms'],
    ['switch to the visited small group: click to painted', `${m.switchToSmallMs.toFixed(0)} ms`, '≤ 50 ms'],
    ['initial JS, gzip -6 of what the first load fetched', kb(m.initialJsGzipBytes), '≤ 70 kB'],
    ['initial JS, bytes transferred as served', kb(m.initialJsTransferredBytes), ''],
    ...scrollRows(m.scroll),
    ...(m.longScroll ? scrollRows(m.longScroll) : []),
    ...(m.receive ? receiveRows(m.receive) : []),
  ];
  const width = Math.max(...rows.map((x) => x[0].length));
  const lines = rows.map(([a, b, c]) => `${a.padEnd(width)}  ${b.padStart(12)}  ${c}`);
  return [
    `bench:web, ${o.db}, ${o.members} members, ${o.messages} messages, medians of ${o.repetitions}; ` +
      `load average ${r.machine.loadBefore[0]?.toFixed(1)} → ${r.machine.loadAfter[0]?.toFixed(1)} on ${r.machine.cores} cores`,
    ...lines,
  ].join('\n');
}

function scrollRows(s: ScrollMedians): Array<[string, string, string]> {
  const n = `after scrolling back ${s.messages} messages${s.reachedOldest ? '' : ' (oldest NOT reached)'}`;
  return [
    [`${n}: element nodes in the message list`, String(s.listElements), '≤ 1,500'],
    [`${n}: element nodes in the document`, String(s.documentElements), ''],
    [`${n}: message rows in the DOM`, String(s.messageRows), ''],
    [
      `${n}: JS heap used (after a GC)`,
      `${s.jsHeapUsedMb.toFixed(1)} (${s.jsHeapUsedAfterGcMb.toFixed(1)}) MB`,
      '< 100 MB',
    ],
    [`${n}: frame interval p95 while scrolling`, `${s.frameIntervalP95Ms.toFixed(1)} ms`, ''],
    [`${n}: frame work p95 (rAF to rendered)`, `${s.frameWorkP95Ms.toFixed(1)} ms`, '≤ 16 ms'],
    [`${n}: time to scroll back`, `${(s.scrollMs / 1000).toFixed(1)} s`, ''],
  ];
}

function receiveRows(r: Receive): Array<[string, string, string]> {
  const n = `a tab receiving ${r.messages} messages in ${r.chats} chats`;
  return [
    [
      `${n}: JS heap after a GC, before → after`,
      `${r.heapBeforeMb.toFixed(1)} → ${r.heapAfterMb.toFixed(1)} MB`,
      '≤ 1.5×',
    ],
    [`${n}: sent in`, `${(r.sendMs / 1000).toFixed(1)} s`, ''],
    [`${n}: the last one shown in the chat list after its answer`, `${r.lastShownMs.toFixed(0)} ms`, ''],
    [`${n}: then a switch into the large group`, `${r.switchAfterMs.toFixed(0)} ms`, '≤ 50 ms'],
  ];
}
