import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Clock,
  composeDeps,
  createBlobStore,
  type Deps,
  type EventHub,
  type LongPollService,
  pruneEvents,
  type RateLimitOverrides,
  removeUnattached,
  resolveRateLimits,
} from '@chat/api/server';
import { type DatabaseHandle, openDatabase } from '@chat/db';
import { createRequestListener } from './app';
import type { Config } from './config';
import type { AppLogger } from './logger';
import { UserStreams } from './transport/stream-caps';
import { attachWebSocket } from './transport/upgrade';

export interface RunningServer {
  url: string;
  port: number;
  deps: Deps;
  /** The process's event hub (tests count the streams it holds). */
  hub: EventHub;
  /** Each user's live connections (WebSockets and SSE streams) on this process, against STREAMS_PER_USER. */
  streams: UserStreams;
  /** The process's held polls and their mailboxes (tests count its log reads). */
  longPolls: LongPollService;
  /** Polls answered by our own route rather than tRPC's adapter (tests check that clients' polls take it). */
  pollRouteAnswers(): number;
  /** Graceful: reconnect notice to sockets, finish in-flight requests, close the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Time for sessions and the domain; tests pass one they move. */
  clock?: Clock;
  /** Over the defaults and RATE_LIMITS. */
  rateLimits?: RateLimitOverrides;
  /** The hub's fallback poll (ms); tests lengthen it. */
  safetyPollMs?: number;
  /** WebSocket keep-alive (ms): a quiet socket is pinged after `pingMs`, closed `pongWaitMs` later; tests shorten it. */
  keepAlive?: { pingMs: number; pongWaitMs: number };
}

export async function startServer(config: Config, log: AppLogger, options: StartOptions = {}): Promise<RunningServer> {
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.dataDir,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    deadlineMs: config.DATABASE_DEADLINE_MS,
  });
  log.info(
    { database: database.kind, dataDir: database.kind === 'pglite' ? config.dataDir : undefined },
    'database ready',
  );
  const blobs = createBlobStore({
    dataDir: config.dataDir,
    s3: config.S3_BUCKET
      ? {
          bucket: config.S3_BUCKET,
          region: config.S3_REGION,
          endpoint: config.S3_ENDPOINT,
          accessKeyId: config.S3_ACCESS_KEY_ID,
          secretAccessKey: config.S3_SECRET_ACCESS_KEY,
        }
      : undefined,
  });
  log.info({ blobs: blobs.kind }, 'image store ready');
  const services = await composeDeps({
    database,
    blobs,
    log,
    clock: options.clock,
    rateLimits: resolveRateLimits(config.RATE_LIMITS, options.rateLimits),
    sessions: {
      secureCookies: config.PUBLIC_ORIGIN?.startsWith('https://') ?? false,
      idleMs: config.SESSION_IDLE_DAYS * DAY_MS,
      absoluteMs: config.SESSION_MAX_DAYS * DAY_MS,
    },
    presence: {
      offlineGraceMs: config.PRESENCE_OFFLINE_GRACE_SECONDS * 1000,
      awayAfterIdleMs: config.AWAY_AFTER_IDLE_SECONDS * 1000,
    },
    safetyPollMs: options.safetyPollMs,
    waitingPollsPerUser: config.WAITING_POLLS_PER_USER,
  });
  const { deps } = services;
  const retention = startRetention(deps, config.EVENT_RETENTION_DAYS, log);

  const streams = new UserStreams(config.STREAMS_PER_USER);
  const stopping = new AbortController();
  const { listener, pollRoute } = await createRequestListener({
    deps,
    config,
    streams,
    ping: healthProbe(database),
    stopping: stopping.signal,
  });
  const server = createServer(listener);
  // Once stopping, every answer closes its connection: a client that keeps a
  // connection busy would otherwise be served on it until the 2 s cut below.
  let draining = false;
  server.prependListener('request', (_req, res) => {
    if (draining) res.shouldKeepAlive = false;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Node asks the kernel for a queue of 511 connections waiting to be accepted. A reconnect storm brings
    // thousands at once; those past the queue have their SYN dropped and retry a second or more later.
    server.listen({ port: config.PORT, host: config.HOST, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const ws = attachWebSocket(server, deps, config, streams, log, options.keepAlive);
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  log.info({ port, origin: config.PUBLIC_ORIGIN ?? `http://localhost:${port}` }, 'listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    deps,
    hub: services.hub,
    streams,
    longPolls: services.longPolls,
    pollRouteAnswers: () => pollRoute?.taken ?? 0,
    close() {
      closing ??= (async () => {
        draining = true;
        // Held polls are answered now (they would hold the close up to 25 s); their clients ask the next server.
        services.longPolls.stop();
        // SSE streams end cleanly: their clients reconnect, and a proxy holding one back lets it through.
        stopping.abort();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await ws.close();
        server.closeIdleConnections();
        // Anything still open after a grace period (a client slow to read its last bytes) is cut.
        const force = setTimeout(() => server.closeAllConnections(), 2_000);
        await stopped;
        clearTimeout(force);
        clearInterval(retention);
        await services.stop();
        await database.close();
      })();
      return closing;
    },
  };
}

/** /healthz answers within 2 s whatever the database does: its probe gives up sooner. */
const HEALTH_PROBE_MS = 1_500;

/**
 * The database probe of /healthz, with its own deadline: a ping under way is
 * shared (a stall does not pile up pings), but only while it is younger than
 * the deadline, so one stuck on a connection that is being replaced cannot
 * keep answering "down" after the database is back.
 */
function healthProbe(database: DatabaseHandle): () => Promise<void> {
  let pending: Promise<void> | undefined;
  let startedAt = 0;
  return () => {
    if (!pending || Date.now() - startedAt > HEALTH_PROBE_MS) {
      startedAt = Date.now();
      const ping: Promise<void> = database.ping().finally(() => {
        if (pending === ping) pending = undefined;
      });
      pending = ping;
    }
    return database.withinDeadline(pending, HEALTH_PROBE_MS);
  };
}

/** Connections the kernel queues for accept (capped by net.core.somaxconn, 4096 on current Linux). */
const LISTEN_BACKLOG = 4096;
const DAY_MS = 24 * 60 * 60 * 1000;
const RETENTION_EVERY_MS = 60 * 60 * 1000;

const UNATTACHED_UPLOAD_HOURS = 24;

/**
 * Hourly housekeeping: prunes the event log (clients resuming from before the
 * cut get a resync), removes images uploaded but never sent, and drops rate
 * limit counters whose window has ended.
 */
function startRetention(deps: Deps, days: number, log: AppLogger): NodeJS.Timeout {
  const run = () => {
    const cutoff = new Date(Date.now() - days * 24 * 60 * 60 * 1000);
    pruneEvents(deps.db, cutoff).then(
      (n) => n > 0 && log.info({ pruned: n, cutoff }, 'pruned old events'),
      (error: unknown) => log.warn({ err: error }, 'pruning events failed'),
    );
    const stale = new Date(Date.now() - UNATTACHED_UPLOAD_HOURS * 60 * 60 * 1000);
    removeUnattached(deps, stale).then(
      (n) => n > 0 && log.info({ removed: n }, 'removed images never sent'),
      (error: unknown) => log.warn({ err: error }, 'removing unsent images failed'),
    );
    deps.limits.prune(new Date(Date.now() - 60_000)).catch((error: unknown) => {
      log.warn({ err: error }, 'pruning rate limit counters failed');
    });
  };
  const timer = setInterval(run, RETENTION_EVERY_MS);
  timer.unref();
  return timer;
}
