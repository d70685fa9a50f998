/**
 * The command line: every option, its default and its meaning in one table,
 * from which both the parser and `--help` are made. Values are checked with
 * zod, and a bad one stops the tool with a message naming the option.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { type GroupClass, parseGroups } from './plan';

const count = (min: number) => z.coerce.number().int(`must be a whole number`).min(min, `must be at least ${min}`);
const seconds = z.coerce.number().min(0, 'must be 0 or more');
const urlList = z
  .string()
  .transform((v) => v.split(',').map((u) => u.trim().replace(/\/$/, '')))
  .pipe(z.array(z.url('must be a URL such as http://localhost:3000')).min(1));

const spec = {
  url: {
    type: 'string',
    default: 'http://localhost:3000',
    help: 'the server (several, comma-separated: connections alternate)',
  },
  users: { type: 'string', default: '100', help: 'connected users' },
  connections: { type: 'string', default: '1', help: 'connections (streams) per user, sharing its session' },
  groups: { type: 'string', default: '', help: 'groups: COUNTxSIZE[-MAX][:WEIGHT],… e.g. 10x300 or 100x3-50,20x300' },
  'direct-share': {
    type: 'string',
    help: 'share of messages into one-to-one chats, 0–1 (default 1 without groups, else 0)',
  },
  rate: { type: 'string', default: '50', help: 'messages sent per second, in total' },
  duration: { type: 'string', default: '30', help: 'seconds of sending' },
  'ramp-up': { type: 'string', default: '10', help: 'seconds over which connections open (sending starts after)' },
  settle: { type: 'string', default: '5', help: 'seconds to wait after the last stream is live, before sending' },
  grace: { type: 'string', default: '10', help: 'seconds to wait after sending for deliveries still owed' },
  transport: {
    type: 'string',
    default: 'ws',
    help: 'event stream transport: ws, sse or poll (long-polling, as the app falls back to; longpoll is the same)',
  },
  reader: {
    type: 'string',
    default: 'raw',
    help: 'read frames, events or poll answers with one JSON.parse each (raw) or through the typed client (typed)',
  },
  'send-over': {
    type: 'string',
    default: 'http',
    help: 'how sends travel: HTTP requests through the typed client (http), or tRPC mutations on the sender’s own WebSocket (ws; with --transport ws and the raw reader)',
  },
  fetch: {
    type: 'string',
    default: 'lean',
    help: 'under the typed client’s calls: keep-alive node:http (lean) or Node’s fetch (global)',
  },
  'poll-wait': {
    type: 'string',
    default: '25000',
    help: 'with --transport poll: ms the server may hold each poll (at most 25000, as the app asks); 0 short-polls every --poll-interval',
  },
  'poll-interval': {
    type: 'string',
    default: '1000',
    help: 'with --transport poll and --poll-wait 0: ms between polls',
  },
  'body-size': { type: 'string', default: '120', help: 'characters per message' },
  seed: { type: 'string', default: 'api', help: 'create the population through the public API (api) or SQL (db)' },
  sessions: {
    type: 'string',
    default: 'login',
    help: 'with --seed db: log each user in (login) or write sessions in SQL (db)',
  },
  'login-concurrency': { type: 'string', default: '4', help: 'parallel registrations/logins (argon2 is CPU-heavy)' },
  'database-url': {
    type: 'string',
    help: 'PostgreSQL for --seed db, --start-server and --ceilings (a Unix socket: …/db?host=/var/run/postgresql)',
  },
  workers: { type: 'string', default: '1', help: 'child processes holding the connections (0: this process)' },
  'start-server': { type: 'boolean', default: false, help: 'start the real server on a fresh database for this run' },
  'server-processes': {
    type: 'string',
    default: '1',
    help: 'with --start-server: server processes on the one database',
  },
  'server-pid': { type: 'string', help: 'pid(s) of the server, comma-separated, to report its CPU and memory' },
  'cpu-prof': { type: 'string', help: 'with --start-server: write the server’s --cpu-prof profiles to this directory' },
  'tool-cpu-prof': {
    type: 'string',
    help: 'write the worker processes’ --cpu-prof profiles to this directory (with --workers 1 or more)',
  },
  ceilings: { type: 'boolean', default: false, help: 'also measure the bare-ws and pgbench ceilings' },
  'storm-at': {
    type: 'string',
    help: 'seconds into sending: drop a share of connections at once; they resume (several, comma-separated: one storm each)',
  },
  'storm-share': { type: 'string', default: '0.25', help: 'share of connections dropped by --storm-at' },
  'send-timeout': { type: 'string', default: '10000', help: 'ms before a send counts as failed' },
  'random-seed': { type: 'string', default: '1', help: 'seed for the population and the message mix' },
  json: { type: 'string', help: 'also write the summary as JSON to this file' },
  help: { type: 'boolean', default: false, help: 'show this help' },
} as const;

const schema = z
  .object({
    url: urlList,
    users: count(2),
    connections: count(1),
    groups: z.string().transform((v, ctx): GroupClass[] => {
      try {
        return parseGroups(v);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
    'direct-share': z.coerce.number().min(0).max(1, 'must be between 0 and 1').optional(),
    rate: z.coerce.number().min(0, 'must be 0 or more'),
    duration: seconds,
    'ramp-up': seconds,
    settle: seconds,
    grace: seconds,
    transport: z.enum(['ws', 'sse', 'poll', 'longpoll']).transform((v) => (v === 'longpoll' ? 'poll' : v)),
    reader: z.enum(['raw', 'typed']),
    'send-over': z.enum(['http', 'ws']),
    fetch: z.enum(['lean', 'global']),
    'poll-wait': count(0).max(25_000, 'must be at most 25000 (the server holds a poll at most 25 s)'),
    'poll-interval': count(10),
    'body-size': count(16).max(4000, 'must be at most 4000'),
    seed: z.enum(['api', 'db']),
    sessions: z.enum(['login', 'db']),
    'login-concurrency': count(1),
    'database-url': z.string().startsWith('postgres', 'must be a postgres:// URL').optional(),
    workers: count(0),
    'start-server': z.boolean(),
    'server-processes': count(1),
    'server-pid': z
      .string()
      .transform((v) => v.split(',').map(Number))
      .pipe(z.array(z.number().int().positive('must be process ids')))
      .optional(),
    'cpu-prof': z.string().optional(),
    'tool-cpu-prof': z.string().optional(),
    ceilings: z.boolean(),
    'storm-at': z
      .string()
      .transform((text, ctx) => {
        const parts = text.split(',').map((part) => part.trim());
        const list = parts.map(Number);
        if (parts.some((part, i) => part === '' || !Number.isFinite(list[i]) || (list[i] as number) < 0)) {
          ctx.addIssue({ code: 'custom', message: 'must be seconds, 0 or more, comma-separated' });
          return z.NEVER;
        }
        for (let i = 1; i < list.length; i++) {
          if ((list[i] as number) <= (list[i - 1] as number)) {
            ctx.addIssue({ code: 'custom', message: 'must be in increasing order' });
            return z.NEVER;
          }
        }
        return list;
      })
      .optional(),
    'storm-share': z.coerce.number().gt(0).max(1, 'must be between 0 and 1'),
    'send-timeout': count(100),
    'random-seed': z.coerce.number().int(),
    json: z.string().optional(),
    help: z.boolean(),
  })
  .superRefine((o, ctx) => {
    const need = (flag: string, when: boolean, message: string) => {
      if (when) ctx.addIssue({ code: 'custom', path: [flag], message });
    };
    need('database-url', o.seed === 'db' && !o['database-url'] && !o['start-server'], 'is required with --seed db');
    need('seed', o.sessions === 'db' && o.seed !== 'db', '--sessions db needs --seed db');
    need(
      'send-over',
      o['send-over'] === 'ws' && (o.transport !== 'ws' || o.reader !== 'raw'),
      '--send-over ws needs --transport ws and --reader raw',
    );
    need(
      'groups',
      o['direct-share'] !== undefined && o['direct-share'] < 1 && o.groups.length === 0,
      'a group share needs --groups',
    );
    const biggest = Math.max(0, ...o.groups.map((g) => g.max));
    need('groups', biggest > o.users, `a group of ${biggest} needs at least ${biggest} users`);
  });

export type Options = Omit<z.output<typeof schema>, 'direct-share'> & { 'direct-share': number };

export class UsageError extends Error {}

/** Parses argv (without node and the script); throws UsageError with every problem listed. */
export function parseOptions(argv: string[]): Options {
  // `pnpm load -- …` may pass one or two literal `--` before the options.
  let start = 0;
  while (argv[start] === '--') start += 1;
  const args = argv.slice(start);
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args, options: spec, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nRun with --help for the options.`);
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  --${i.path.join('.')}: ${i.message}`);
    throw new UsageError(`Invalid options:\n${lines.join('\n')}\nRun with --help for the options.`);
  }
  const o = parsed.data;
  return { ...o, 'direct-share': o['direct-share'] ?? (o.groups.length === 0 ? 1 : 0) };
}

/** Defaults for a programmatic run (tests), as the command line would give them. */
export function defaultOptions(overrides: Partial<Options> = {}): Options {
  return { ...parseOptions([]), ...overrides };
}

export function helpText(): string {
  const rows = Object.entries(spec).map(([name, o]) => {
    const flag = o.type === 'boolean' ? `--${name}` : `--${name} <value>`;
    const def = 'default' in o && o.type !== 'boolean' && o.default !== '' ? ` (default ${o.default})` : '';
    return `  ${flag.padEnd(28)} ${o.help}${def}`;
  });
  return [
    'pnpm load -- [options]',
    '',
    'Drives a chat server with a population of users: opens their event streams,',
    'sends messages at a set rate into one-to-one chats and groups, and reports',
    'what was stored, delivered, lost and duplicated, with latencies. Exits 1 if',
    'any delivery was lost or duplicated, 2 on bad options.',
    '',
    ...rows,
    '',
    'Example: pnpm load -- --start-server --seed db --sessions db --users 1000 --groups 10x300 --rate 50 --duration 60',
  ].join('\n');
}
