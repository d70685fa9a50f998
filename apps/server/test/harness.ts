/**
 * Starts the real server on a free port over a fresh database of its own
 * (PostgreSQL or PGlite, per TEST_DB), for integration and browser tests.
 */
import { RATE_LIMIT_DEFAULTS, type RateLimitOverrides, type RateLimitRule } from '@chat/api/server';
import { createTestDatabase, type TestDatabase } from '@chat/db/testing';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { type RunningServer, type StartOptions, startServer } from '../src/server';

export interface TestServer {
  url: string;
  server: RunningServer;
  database: TestDatabase;
  /** Stops the server and drops its database. */
  stop(): Promise<void>;
}

export interface TestServerOptions extends StartOptions {
  env?: Record<string, string>;
  /** Reuse a database (e.g. a second process on the same one); it is then not dropped here. */
  database?: TestDatabase;
}

/**
 * Rate limits out of the way: tests send bursts no person would. A test of a
 * limit passes the one it wants (`rateLimits`), which goes over these.
 */
export const RELAXED_RATE_LIMITS = Object.fromEntries(
  Object.keys(RATE_LIMIT_DEFAULTS).map((name): [string, RateLimitRule] => [name, { points: 1_000_000, seconds: 60 }]),
) as RateLimitOverrides;

/** The same, as RATE_LIMITS for a server started as its own process. */
export const RELAXED_RATE_LIMITS_ENV = Object.keys(RATE_LIMIT_DEFAULTS)
  .map((name) => `${name}=1000000/60`)
  .join(',');

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...(database.url ? { DATABASE_URL: database.url } : { DATA_DIR: database.dataDir }),
    // A build of the SPA elsewhere than apps/web/dist (two people testing in one tree).
    ...(process.env.WEB_DIST ? { WEB_DIST: process.env.WEB_DIST } : {}),
    ...options.env,
  });
  const server = await startServer(config, createLogger(config.LOG_LEVEL), {
    ...options,
    rateLimits: { ...RELAXED_RATE_LIMITS, ...options.rateLimits },
  });
  return {
    url: server.url,
    server,
    database,
    async stop() {
      await server.close();
      if (!options.database) await database.drop();
    },
  };
}
