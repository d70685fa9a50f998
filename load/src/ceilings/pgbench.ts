/**
 * The database's limit: `pgbench` inserting rows shaped like our messages
 * (same columns and indexes, one row per transaction, several clients) into
 * a scratch table, and again with a stored tsvector and a GIN index, as
 * full-text search will need. Transactions per second are the ceilings.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';

const run = promisify(execFile);

export interface PgbenchCeiling {
  clients: number;
  /** Inserts per second, plain. */
  insertTps: number;
  /** Inserts per second with a stored tsvector and a GIN index. */
  insertFtsTps: number;
}

export function findPgbench(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':'))
    if (existsSync(join(dir, 'pgbench'))) return join(dir, 'pgbench');
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  for (const version of readdirSync(base).sort().reverse()) {
    const candidate = join(base, version, 'bin', 'pgbench');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

const TABLE = 'load_ceiling_messages';

/**
 * Plain: the columns and the btree indexes a chat needs. With full-text search: exactly the
 * messages table of migrations 0004 and 0006 (the run's database has them applied, so the
 * `chat_search` configuration and btree_gin exist): the stored vector and the short vector, the
 * GIN index on (chat_id, vector), and the two indexes by time that carry the short vector.
 */
function tableSql(fts: boolean): string {
  const searchColumns = `,
      search_vector tsvector generated always as (to_tsvector('chat_search'::regconfig, coalesce(body, ''))) stored,
      search_head tsvector generated always as (case when body is null then ''::tsvector
        when octet_length(body) <= 400 then to_tsvector('chat_search'::regconfig, body) end) stored,
      has_image boolean not null default false`;
  return `
    drop table if exists ${TABLE};
    drop sequence if exists ${TABLE}_seq;
    create sequence ${TABLE}_seq;
    create table ${TABLE} (
      id uuid primary key, chat_id uuid not null, sender_id uuid not null, seq bigint not null,
      body text, created_at timestamptz not null default now(), edited_at timestamptz, deleted_at timestamptz
      ${fts ? searchColumns : ''}
    );
    create unique index on ${TABLE} (chat_id, seq);
    ${
      fts
        ? `create index on ${TABLE} (chat_id, created_at, id) include (search_head, has_image);
    create index on ${TABLE} (created_at, id) include (chat_id, search_head, has_image);
    create index on ${TABLE} (sender_id, created_at);
    create index on ${TABLE} using gin (chat_id, search_vector);`
        : `create index on ${TABLE} (chat_id, created_at);
    create index on ${TABLE} (sender_id);`
    }`;
}

const SCRIPT = `\\set chat random(1, 1000)
\\set sender random(1, 20000)
INSERT INTO ${TABLE} (id, chat_id, sender_id, seq, body)
VALUES (gen_random_uuid(), md5(:chat::text)::uuid, md5(:sender::text)::uuid, nextval('${TABLE}_seq'),
        'load:1700000000000.123 ' || md5(random()::text) || ' hello world the quick brown fox jumps ' || repeat('x', 40));
`;

async function bench(
  pgbench: string,
  databaseUrl: string,
  script: string,
  clients: number,
  seconds: number,
): Promise<number> {
  const { stdout } = await run(pgbench, [
    '-n',
    '-c',
    String(clients),
    '-j',
    '2',
    '-T',
    String(seconds),
    '-f',
    script,
    databaseUrl,
  ]);
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  if (!m) throw new Error(`could not read pgbench's tps:\n${stdout}`);
  return Number(m[1]);
}

export async function measurePgbenchCeiling(databaseUrl: string, clients = 4, seconds = 10): Promise<PgbenchCeiling> {
  const pgbench = findPgbench();
  if (!pgbench) throw new Error('pgbench not found (install the PostgreSQL client package)');
  const dir = mkdtempSync(join(tmpdir(), 'chat-pgbench-'));
  const script = join(dir, 'insert.sql');
  writeFileSync(script, SCRIPT);
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(tableSql(false));
    const insertTps = await bench(pgbench, databaseUrl, script, clients, seconds);
    await sql.unsafe(tableSql(true));
    const insertFtsTps = await bench(pgbench, databaseUrl, script, clients, seconds);
    return { clients, insertTps, insertFtsTps };
  } finally {
    await sql.unsafe(`drop table if exists ${TABLE}; drop sequence if exists ${TABLE}_seq;`).catch(() => {});
    await sql.end({ timeout: 5 });
    rmSync(dir, { recursive: true, force: true });
  }
}
