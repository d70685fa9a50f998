import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { Sockets, within } from './deadline';
import * as schema from './schema';

export type Schema = typeof schema;
/** One type for both drivers: domain code never knows which one it runs on. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** A database or a transaction: what a domain function that writes accepts. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  readonly db: Database;
  readonly kind: 'postgres' | 'pglite';
  /**
   * LISTEN on a channel. `onReady` runs once listening and again after every
   * reconnection, so the caller can do a catch-up read for what it missed.
   */
  listen(channel: string, onNotify: (payload: string) => void, onReady: () => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  /** Round trip to the database; throws when it is unreachable. */
  ping(): Promise<void>;
  /**
   * `work`, or a `DatabaseDeadlineError` when it has not settled within the
   * deadline (`ms`, or the handle's `deadlineMs`); connections that went
   * silent meanwhile are replaced (deadline.ts). Without a deadline (PGlite,
   * which cannot stall, or none configured): `work` as it is.
   */
  withinDeadline<T>(work: Promise<T>, ms?: number): Promise<T>;
  /** Replaces the LISTEN connection (it stopped hearing what was sent); the listener catches up once back. */
  relisten(): void;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL URL; when absent, PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite's data directory; when absent too, PGlite runs in memory. */
  dataDir?: string | undefined;
  /** postgres.js pool size. */
  maxConnections?: number;
  /**
   * PostgreSQL only: the server cancels a statement running longer than this,
   * and ends a session left idle inside a transaction as long (so a stalled
   * client cannot hold the event log's lock). Migrations are not limited.
   */
  statementTimeoutMs?: number;
  /** PostgreSQL only: the default of `withinDeadline`; must exceed `statementTimeoutMs`. */
  deadlineMs?: number;
}

const moduleDir = dirname(fileURLToPath(import.meta.url));
/**
 * drizzle-kit's folder: packages/db/migrations when this module runs from its
 * source; when it is bundled into the server (apps/server/build.ts), the
 * folder copied beside the bundle.
 */
export const migrationsFolder =
  [join(moduleDir, '..', 'migrations'), join(moduleDir, 'migrations')].find((dir) =>
    existsSync(join(dir, 'meta', '_journal.json')),
  ) ?? join(moduleDir, '..', 'migrations');
const MIGRATION_LOCK = 72_616_001;

/** Opens the database named by the options and applies pending migrations. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options.dataDir);
}

/**
 * A postgres.js client for a PostgreSQL URL, taking libpq's `host` parameter
 * as libpq does: `postgres://user@localhost/db?host=/var/run/postgresql`
 * connects to the Unix socket in that directory (its `.s.PGSQL.<port>`),
 * which costs each query less than TCP when PostgreSQL is on the same machine
 * (docs/database.md, "Over a Unix socket"). postgres.js itself reads a
 * socket only from its `host` option or `PGHOST`, and would send a URL's
 * `host` parameter to the server as a setting, which the server refuses.
 */
export function connectPostgres(url: string, options: postgres.Options<Record<string, never>> = {}): postgres.Sql {
  const { url: rest, host } = splitHost(url);
  return postgres(rest, host ? { ...options, host } : options);
}

/** The URL without its `host` parameter, and that parameter (a host name, or a socket's directory). */
export function splitHost(url: string): { url: string; host: string | undefined } {
  const parsed = new URL(url);
  const host = parsed.searchParams.get('host') ?? undefined;
  if (host === undefined) return { url, host };
  parsed.searchParams.delete('host');
  return { url: parsed.toString(), host };
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  await migrateOnce(url);
  const { statementTimeoutMs, deadlineMs } = options;
  // A connection silent for longer than any statement may run is stalled, not busy.
  const sockets = new Sockets((statementTimeoutMs ?? deadlineMs ?? 0) + SILENT_GRACE_MS);
  const connection = statementTimeoutMs
    ? { statement_timeout: statementTimeoutMs, idle_in_transaction_session_timeout: statementTimeoutMs }
    : {};
  const common = {
    onnotice: () => {},
    // A new connection to a stalled server waits no longer than a call would.
    connect_timeout: deadlineMs ? Math.ceil(deadlineMs / 1000) : 10,
    // postgres.js waits 3^n/100 s (up to 20 s) between failed reconnects, and
    // queries queue meanwhile: after an outage of a few seconds the server
    // would stay down long after the database is back. At most 2 s instead.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 2),
    connection,
  };
  // postgres.js takes a `socket` factory that its types do not name.
  const poolOptions = { ...common, max: options.maxConnections ?? 10, socket: sockets.factory('pool') };
  const client = connectPostgres(url, poolOptions);
  // LISTEN on a client of its own, so that its connection can be told apart and replaced.
  const listenOptions = { ...common, max: 1, socket: sockets.factory('listen') };
  const listener = connectPostgres(url, listenOptions);
  const db = drizzlePostgres(preparing(client), { schema }) as unknown as Database;
  const withinDeadline = <T>(work: Promise<T>, ms = deadlineMs): Promise<T> =>
    ms ? within(work, ms, () => sockets.suspect()) : work;
  return {
    db,
    kind: 'postgres',
    async listen(channel, onNotify, onReady) {
      const sub = await listener.listen(channel, onNotify, onReady);
      return () => sub.unlisten();
    },
    async notify(channel, payload) {
      await client.notify(channel, payload);
    },
    async ping() {
      await client`select 1`;
    },
    withinDeadline,
    relisten() {
      sockets.replace('listen');
    },
    async close() {
      sockets.close();
      await Promise.all([client.end({ timeout: 5 }), listener.end({ timeout: 5 })]);
    },
  };
}

/** A statement may take its whole timeout; its connection is taken for stalled only after this much more silence. */
const SILENT_GRACE_MS = 1_000;

/**
 * Applies pending migrations on a connection of its own, with no statement
 * timeout (an index built over millions of rows takes minutes). Several
 * processes may start together: one applies them, the others wait.
 */
async function migrateOnce(url: string): Promise<void> {
  // Two connections: one holds the lock, the other runs the migrations' transaction.
  const client = connectPostgres(url, { max: 2, onnotice: () => {}, connect_timeout: 10 });
  try {
    const lock = await client.reserve();
    try {
      await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
      await migratePostgres(drizzlePostgres(client, { schema }), { migrationsFolder });
      await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    } finally {
      lock.release();
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

/**
 * drizzle runs every query it has not been given a name for as a one-off
 * (postgres.js `unsafe` with `prepare: false`), so PostgreSQL parses and
 * plans the same statements again on every call: for the one-statement send
 * that was 1.0 ms of the backend's CPU against 0.4 ms prepared
 * (docs/database.md, "Prepared once per connection"). Here parameterised
 * queries are prepared once per connection, keyed by their text (postgres.js's
 * own cache; statements without parameters still use the simple protocol).
 *
 * That cache keeps every text it prepared until postgres.js recycles the
 * connection (every 30–60 minutes), in this process and in the backend. A
 * query over a list (`in ($1, …, $n)`) has a new text for every length, so
 * preparing those left about 20 MiB of query text in the heap after five
 * reconnect storms of 2,000 streams (docs/database.md, same section). So
 * only texts with few parameters are prepared, and at most
 * `PREPARED_TEXTS_MAX` distinct ones per process; the rest run as one-offs,
 * as drizzle would.
 */
export const PREPARE_MAX_PARAMETERS = 64;
export const PREPARED_TEXTS_MAX = 500;

export function preparing(client: postgres.Sql): postgres.Sql {
  const prepared = new Set<string>();
  const shouldPrepare = (query: string, parameters: number): boolean => {
    // Without parameters postgres.js uses the simple protocol whatever this says (as before).
    if (parameters === 0) return true;
    if (parameters > PREPARE_MAX_PARAMETERS) return false;
    if (prepared.has(query)) return true;
    if (prepared.size >= PREPARED_TEXTS_MAX) return false;
    prepared.add(query);
    return true;
  };
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'unsafe') return Reflect.get(target, property, receiver);
      return (query: string, args?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
        target.unsafe(query, args, { ...options, prepare: shouldPrepare(query, args?.length ?? 0) });
    },
  });
}

async function openPglite(dataDir: string | undefined): Promise<DatabaseHandle> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // Search (migration 0004): unaccent folds accents; btree_gin puts chat ids in the text index.
  const client = new PGlite(dataDir, { extensions: { unaccent, btree_gin } });
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder });
  return {
    db,
    kind: 'pglite',
    async listen(channel, onNotify, onReady) {
      const unlisten = await client.listen(channel, onNotify);
      onReady();
      return unlisten;
    },
    async notify(channel, payload) {
      await db.execute(sql`select pg_notify(${channel}, ${payload})`);
    },
    async ping() {
      await client.query('select 1');
    },
    withinDeadline: (work) => work,
    relisten() {},
    async close() {
      await client.close();
    },
  };
}
