import { resolve } from 'node:path';
import { parseRateLimits } from '@chat/api/server';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65_535);
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((v) => protocols.some((p) => v.startsWith(p)), `must start with ${protocols.join(' or ')}`)
    .optional();

const schema = z
  .object({
    PORT: port.default(3000),
    HOST: z.string().default('0.0.0.0'),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: optionalUrl(['postgres://', 'postgresql://']),
    PUBLIC_ORIGIN: optionalUrl(['http://', 'https://']).transform((v) => (v ? new URL(v).origin : undefined)),
    S3_ENDPOINT: optionalUrl(['http://', 'https://']),
    S3_BUCKET: z.string().min(1).optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** One reverse proxy (a load balancer) in front: take the client address from X-Forwarded-For. */
    TRUST_PROXY: z
      .enum(['0', '1', 'true', 'false'])
      .default('0')
      .transform((v) => v === '1' || v === 'true'),
    /** A session ends after this many days unused… */
    SESSION_IDLE_DAYS: z.coerce.number().positive().max(365).default(30),
    /** …and this many days after sign-in, however much it is used. */
    SESSION_MAX_DAYS: z.coerce.number().positive().max(3650).default(90),
    /** `name=points/seconds,…` overriding the rate limits (packages/api/src/domain/limits/rules.ts). */
    RATE_LIMITS: z
      .string()
      .default('')
      .transform((v, ctx) => {
        try {
          return parseRateLimits(v);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      }),
    /**
     * The largest upload, in MB (an image or any other file; images are also
     * held to 20 MB). An upload is held in memory while it is judged, so
     * this bounds what one upload costs (docs/media.md).
     */
    FILE_MAX_MB: z.coerce.number().positive().max(2000).default(50),
    /** Events older than this are pruned; a client away longer gets a resync. */
    EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /**
     * A live stream whose socket holds more unsent bytes than this (a client
     * that stopped reading) is cut; the client resumes from its cursor.
     */
    STREAM_BUFFER_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(16 * 1024)
      .max(256 * 1024 * 1024)
      .default(1024 * 1024),
    /**
     * Live streams one WebSocket may carry. A browser tab needs one; a few
     * leave room for a client that starts the next before the last has stopped.
     */
    STREAM_SUBSCRIPTIONS_PER_SOCKET: z.coerce.number().int().min(1).max(100).default(4),
    /**
     * WebSockets and SSE streams one user may hold open on one server process:
     * ten tabs and a phone, each with a reconnect's not yet noticed dead
     * connection beside it (up to 35 s), stay well under the default.
     */
    STREAMS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(32),
    /**
     * Long polls (`events.poll` with `waitMs`) one user may have in progress
     * at once on one server process: a tab holds one; ten tabs, with room for
     * polls a proxy keeps open after their client gave up on them.
     */
    WAITING_POLLS_PER_USER: z.coerce.number().int().min(1).max(1_000).default(16),
    /**
     * A user whose last stream closed is shown offline only if none has come
     * back after this long (0: at once), so a reconnect shows nobody offline.
     */
    PRESENCE_OFFLINE_GRACE_SECONDS: z.coerce.number().min(0).max(300).default(5),
    /**
     * A tab without input for this long reports itself idle; a user whose
     * tabs are all idle shows as away (if their chosen status is Available).
     */
    AWAY_AFTER_IDLE_SECONDS: z.coerce.number().min(1).max(86_400).default(600),
    /**
     * PostgreSQL cancels a statement of the server's after this long, and ends
     * a transaction left idle as long (docs/database-faults.md).
     */
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
    /** A call waits this long for the database in all, then answers SERVICE_UNAVAILABLE; silent connections are replaced. */
    DATABASE_DEADLINE_MS: z.coerce.number().int().min(200).max(600_000).default(6_000),
    WEB_DIST: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_DEADLINE_MS <= env.DATABASE_STATEMENT_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_DEADLINE_MS'],
        message: 'DATABASE_DEADLINE_MS must be longer than DATABASE_STATEMENT_TIMEOUT_MS',
      });
    }
    if (env.S3_BUCKET && !(env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY) && env.S3_ENDPOINT) {
      ctx.addIssue({
        code: 'custom',
        path: ['S3_ACCESS_KEY_ID'],
        message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required with S3_ENDPOINT',
      });
    }
  });

export type Config = z.infer<typeof schema> & { dataDir: string; webDist: string };

/** Reads and checks the environment; the error names every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  // pnpm runs a package's script in the package's folder and says where it
  // was called from in INIT_CWD: a relative DATA_DIR means the caller's folder
  // (the repository's root for `pnpm start`), not apps/server.
  const base = env.INIT_CWD ?? process.cwd();
  return {
    ...c,
    dataDir: resolve(base, c.DATA_DIR),
    webDist: resolve(c.WEB_DIST ?? new URL('../../web/dist', import.meta.url).pathname),
  };
}
