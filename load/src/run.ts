/**
 * One load run, start to end: (start the server,) plan and seed the
 * population, open every stream over the ramp-up, send for the duration,
 * wait out the grace period for deliveries still owed, tally the books, and
 * (with --ceilings) measure the bare-ws and pgbench ceilings.
 */
import { randomBytes } from 'node:crypto';
import { createChatClient } from '@chat/api/client';
import type { HubCounters } from '@chat/api/server';
import { createAgents } from './agents';
import { now } from './body';
import { measurePgbenchCeiling, type PgbenchCeiling } from './ceilings/pgbench';
import { measureWsCeiling, type WsCeiling } from './ceilings/ws-ceiling';
import { ceilingConnections, readFileLimits } from './file-limit';
import { type LedgerReport, type Tally, tally } from './ledger';
import { databaseBackends, progressLine, type Samples, sampleAll, totalProgress, type Watched } from './monitor';
import type { Options } from './options';
import { buildPlan } from './plan';
import { seedThroughApi } from './seed/api';
import { seedThroughDatabase } from './seed/db';
import { describePlan, type Population } from './seed/population';
import { type DatabaseUse, DatabaseWindow } from './server/pg-window';
import { DEFAULT_ADMIN_URL, type StartedServers, startServers } from './server/start';
import { coresBetween } from './server/stats';
import type { AgentApi, StartResult, StormResult } from './share';
import { audienceMix, audienceOf, makeShares } from './shares';

export interface RunResult {
  options: Options;
  population: string;
  connections: StartResult;
  /** Streams live when sending ended (more than at the end of the ramp-up when some were slow to come up). */
  liveAtEnd: number;
  /** Seconds of sending, as measured. */
  sendSeconds: number;
  tally: Tally;
  /** One per `--storm-at` time, with the server's RSS once it was over (MiB, when the server is watched). */
  storms: Array<StormResult & { rssAfterMiB?: number }>;
  /** Over the send phase: cores' worth of CPU used, and the server's memory at its end. */
  usage: {
    server?: number;
    postgres?: number;
    tool?: number;
    machine?: number;
    others?: number;
    serverRss?: number;
    serverPeakRss?: number;
    /** Before the first stream opened. */
    serverRssBefore?: number;
  };
  ceilings: { ws?: WsCeiling; pgbench?: PgbenchCeiling; notes: string[] };
  /** With --start-server: PostgreSQL's side of the send phase (pg_stat_database deltas, waits sampled). */
  database?: DatabaseUse;
  /** With --start-server: each server process's hub counters over the send phase (undefined: it did not answer). */
  hubs?: Array<HubCounters | undefined>;
  /** The agents' books and the audience per chat, from which `tally` was made (tests re-tally them). */
  books: { reports: LedgerReport[]; audience: (chatId: string) => number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runLoad(
  options: Options,
  say: (line: string) => void = (l) => console.error(l),
): Promise<RunResult> {
  let servers: StartedServers | undefined;
  if (options['start-server']) {
    servers = await startServers({
      adminUrl: options['database-url'] ?? DEFAULT_ADMIN_URL,
      processes: options['server-processes'],
      cpuProfDir: options['cpu-prof'],
    });
    say(`started ${servers.urls.join(', ')} (pid ${servers.pids.join(', ')}) on ${servers.databaseUrl}`);
  }
  const urls = servers?.urls ?? options.url;
  const pids = servers?.pids ?? options['server-pid'] ?? [];
  const databaseUrl = servers?.databaseUrl ?? options['database-url'];
  let agents: AgentApi[] = [];
  try {
    const runId = `ld${Date.now().toString(36)}${randomBytes(1).toString('hex')}`;
    const plan = buildPlan({
      runId,
      users: options.users,
      groups: options.groups,
      directShare: options['direct-share'],
      seed: options['random-seed'],
    });
    say(`seeding ${describePlan(plan)} through ${options.seed === 'db' ? 'SQL' : 'the API'}`);
    const seeded = now();
    const population: Population =
      options.seed === 'db'
        ? await seedThroughDatabase(databaseUrl as string, plan, options.sessions === 'db', say)
        : await seedThroughApi(urls[0] as string, plan, options['login-concurrency'], say);
    say(`seeded in ${((now() - seeded) / 1000).toFixed(1)} s`);
    if (options.sessions === 'db') await checkSession(urls[0] as string, population.cookies[0] ?? null);

    // The server's memory before any stream: with it, the summary gives memory per connection.
    const idle = sampleAll({ server: pids, postgres: [], tool: [] }).server;
    agents = createAgents(options.workers, options['tool-cpu-prof']);
    const shares = makeShares(options, urls, plan, population, agents.length);
    const t0 = now();
    const monitor = setInterval(async () => {
      say(
        progressLine(
          t0,
          await totalProgress(agents),
          sampleAll({ server: pids, postgres: [], tool: [] }).server,
          undefined,
        ),
      );
    }, 2_000);
    const starts = await Promise.all(agents.map((a, i) => a.start(shares[i] as (typeof shares)[number])));
    clearInterval(monitor);
    const connections = {
      connections: starts.reduce((s, r) => s + r.connections, 0),
      ready: starts.reduce((s, r) => s + r.ready, 0),
      rampMs: Math.max(...starts.map((r) => r.rampMs)),
    };
    say(
      `${connections.ready}/${connections.connections} streams live after ${(connections.rampMs / 1000).toFixed(1)} s`,
    );

    // The server announces each new stream's presence to the user's contacts and co-members; let that settle.
    await sleep(options.settle * 1000);
    const watched: Watched = {
      server: pids,
      postgres: await databaseBackends(databaseUrl),
      tool: [...new Set([process.pid, ...(await Promise.all(agents.map((a) => a.pid())))])],
    };
    const audience = audienceOf(plan, population, options.connections);
    // Every acknowledged message has reached its whole audience: the books, merged, owe nothing.
    const settled = async () => tally(await Promise.all(agents.map((a) => a.report())), audience).lost === 0;
    const window = servers ? measuredWindow(servers, options['database-url'] ?? DEFAULT_ADMIN_URL) : undefined;
    const sending = await sendPhase(options, agents, watched, say, settled, window).finally(() => window?.close());
    const reports = await Promise.all(agents.map((a) => a.report()));
    const result: RunResult = {
      options,
      population: describePlan(plan),
      connections,
      liveAtEnd: sending.liveAtEnd,
      sendSeconds: sending.seconds,
      tally: tally(reports, audience),
      storms: sending.storms,
      usage: usageBetween(sending.before, sending.after),
      ceilings: { notes: [] },
      books: { reports, audience },
      ...(sending.window ?? {}),
    };
    if (idle && result.usage.serverRss !== undefined) result.usage.serverRssBefore = idle.rss;
    await Promise.all(agents.map((a) => a.disconnect()));
    if (options.ceilings) {
      result.ceilings = await measureCeilings(options, agents, plan, databaseUrl, connections.connections, say);
    }
    return result;
  } finally {
    await Promise.allSettled(agents.map((a) => a.close()));
    await servers?.stop();
  }
}

async function checkSession(url: string, cookie: string | null): Promise<void> {
  const me = await createChatClient({ url, cookie }).api.auth.me.query();
  if (!me) throw new Error('The server did not accept a session written in SQL: run with --sessions login instead.');
}

interface MeasuredWindow {
  begin(): Promise<void>;
  end(): Promise<Pick<RunResult, 'database' | 'hubs'>>;
  close(): Promise<void>;
}

/** PostgreSQL's statistics and the hubs' counters, read at both edges of the send phase. */
function measuredWindow(servers: StartedServers, adminUrl: string): MeasuredWindow {
  const db = DatabaseWindow.open(servers.databaseUrl, adminUrl);
  let hubsBefore: Array<HubCounters | undefined> = [];
  return {
    async begin() {
      [hubsBefore] = await Promise.all([servers.hubCounters(), db.begin()]);
    },
    async end() {
      const [hubsAfter, database] = await Promise.all([servers.hubCounters(), db.end()]);
      const hubs = hubsAfter.map((b, i) => {
        const a = hubsBefore[i];
        if (!a || !b) return undefined;
        return Object.fromEntries(
          Object.entries(b).map(([k, v]) => [k, v - a[k as keyof HubCounters]]),
        ) as unknown as HubCounters;
      });
      return { hubs, ...(database ? { database } : {}) };
    },
    close: () => db.close(),
  };
}

async function sendPhase(
  options: Options,
  agents: AgentApi[],
  watched: Watched,
  say: (line: string) => void,
  settled: () => Promise<boolean>,
  window?: MeasuredWindow,
) {
  const startAt = now() + 100;
  await Promise.all(agents.map((a) => a.go(startAt)));
  await window?.begin();
  const before = sampleAll(watched);
  let last = before;
  const monitor = setInterval(async () => {
    const s = sampleAll(watched);
    const cores =
      s.server && last.server ? (s.server.cpu - last.server.cpu) / ((s.server.at - last.server.at) / 1000) : undefined;
    last = s;
    say(progressLine(startAt, await totalProgress(agents), s.server, cores));
  }, 1_000);
  const storms: RunResult['storms'] = [];
  for (const stormAt of options['storm-at'] ?? []) {
    if (stormAt >= options.duration) break;
    await sleep(Math.max(0, startAt + stormAt * 1000 - now()));
    say(`storm: dropping ${(options['storm-share'] * 100).toFixed(0)}% of the connections`);
    const results = await Promise.all(agents.map((a) => a.storm(options['storm-share'])));
    const rss = sampleAll(watched).server?.rss;
    const storm = {
      dropped: results.reduce((s, r) => s + r.dropped, 0),
      resumed: results.reduce((s, r) => s + r.resumed, 0),
      resumeMs: Math.max(...results.map((r) => r.resumeMs)),
      ...(rss === undefined ? {} : { rssAfterMiB: rss / 2 ** 20 }),
    };
    storms.push(storm);
    say(`storm: ${storm.resumed}/${storm.dropped} resumed in ${(storm.resumeMs / 1000).toFixed(2)} s`);
  }
  await sleep(Math.max(0, startAt + options.duration * 1000 - now()));
  await Promise.all(agents.map((a) => a.stopSending()));
  const after = sampleAll(watched);
  const measured = await window?.end();
  const seconds = (now() - startAt) / 1000;
  // Grace: until every owed delivery arrived and every send was answered, or the grace period ends.
  const graceEnd = now() + options.grace * 1000;
  while (now() < graceEnd) {
    const p = await totalProgress(agents);
    // The counts alone cannot end it: deliveries of sends that timed out (but
    // were stored) count in `delivered` and not in `owed`, so the totals can
    // meet while acknowledged messages are still on their way. Then the books decide.
    if (p.delivered >= p.owed && p.acked + p.sendFailed >= p.sent && (await settled())) break;
    await sleep(250);
  }
  clearInterval(monitor);
  const final = await totalProgress(agents);
  say(progressLine(startAt, final, undefined, undefined));
  return { seconds, storms, before, after, liveAtEnd: final.ready, window: measured };
}

function usageBetween(a: Samples, b: Samples): RunResult['usage'] {
  const usage: RunResult['usage'] = {};
  const server = coresBetween(a.server, b.server);
  if (server !== undefined) usage.server = server;
  const postgres = coresBetween(a.postgres, b.postgres);
  if (postgres !== undefined) usage.postgres = postgres;
  const tool = coresBetween(a.tool, b.tool);
  if (tool !== undefined) usage.tool = tool;
  const machine = coresBetween(a.machine, b.machine);
  if (machine !== undefined) {
    usage.machine = machine;
    // What neither the server, nor its database, nor this tool used: other work on the machine, which skews a benchmark.
    usage.others = Math.max(0, machine - (server ?? 0) - (postgres ?? 0) - (tool ?? 0));
  }
  if (b.server) {
    usage.serverRss = b.server.rss;
    usage.serverPeakRss = b.server.peakRss;
  }
  return usage;
}

async function measureCeilings(
  options: Options,
  agents: AgentApi[],
  plan: ReturnType<typeof buildPlan>,
  databaseUrl: string | undefined,
  connections: number,
  say: (line: string) => void,
): Promise<RunResult['ceilings']> {
  const out: RunResult['ceilings'] = { notes: [] };
  say('ceiling: bare ws broadcast');
  const opened = ceilingConnections(connections, readFileLimits());
  if (opened < connections) {
    out.notes.push(
      `bare ws measured on ${opened.toLocaleString('en')} of ${connections.toLocaleString('en')} connections: its server is one process, under the open-file limit`,
    );
  }
  out.ws = await measureWsCeiling({
    agents,
    connections: opened,
    mix: audienceMix(plan, options.connections),
    bodySize: options['body-size'],
    durationMs: 10_000,
  });
  if (databaseUrl) {
    say('ceiling: pgbench inserts');
    try {
      out.pgbench = await measurePgbenchCeiling(databaseUrl);
    } catch (error) {
      out.notes.push(`pgbench ceiling not measured: ${(error as Error).message}`);
    }
  } else out.notes.push('pgbench ceiling not measured: no --database-url');
  return out;
}
