/**
 * The database's limit: `pgbench` inserting rows into a copy of our messages
 * table (one row per transaction, several clients), without its search
 * columns and then with them. Transactions per second are the ceilings.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connectPostgres } from '@chat/db';

const run = promisify(execFile);

export interface PgbenchCeiling {
  clients: number;
  /** Inserts per second into the messages table without its search columns. */
  insertTps: number;
  /** Inserts per second into the messages table as it is (search columns and indexes). */
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
 * A copy of the run database's `messages` table (migrations applied), so the ceiling follows the
 * schema: with full-text search, every column, generated column and index it has (the vectors,
 * the GIN index, the indexes by time that carry the short vector); plain, the same without the
 * search columns (and so without the indexes that carry them), plus a chat's index by time.
 */
function tableSql(fts: boolean): string {
  return `
    drop table if exists ${TABLE};
    drop sequence if exists ${TABLE}_seq;
    create sequence ${TABLE}_seq;
    create table ${TABLE} (like messages including all);
    ${
      fts
        ? ''
        : `alter table ${TABLE} drop column search_vector, drop column search_head;
    create index on ${TABLE} (chat_id, created_at);`
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
  const sql = connectPostgres(databaseUrl, { max: 1, onnotice: () => {} });
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
