/**
 * Seeds a search corpus into a database of its own (dropped and re-created):
 *
 *   pnpm --filter @chat/load-search seed [--messages 10000000] [--database chat_bench]
 *
 * ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) is where the
 * database is created; its migrations are applied by openDatabase, as the
 * server does. The connection must be a superuser's: the bulk load skips the
 * foreign-key triggers (session_replication_role = replica), its rows being
 * consistent by construction.
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '@chat/db';
import postgres from 'postgres';
import { finishChats, SPAN_DAYS, seedPeopleAndChats, seedUploads } from './corpus';
import { createIndexes, dropSecondaryIndexes } from './indexes';
import { copyMessages, type SeedChat } from './messages';
import { buildVocabulary, seededRandom } from './vocabulary';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '10000000' },
    database: { type: 'string', default: 'chat_bench' },
  },
});
const total = Number(values.messages);
const name = values.database;
if (!Number.isInteger(total) || total < 1000) throw new Error('--messages must be an integer of at least 1000');
if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error('--database must be a plain lower-case identifier');

const adminUrl = process.env.ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const started = Date.now();
const log = (what: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);

async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const result = await run();
  log(`${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return result;
}

const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`drop database if exists ${name} with (force)`);
await admin.unsafe(`create database ${name}`);
await admin.end();
log(`created database ${name}`);

const handle = await openDatabase({ databaseUrl: url.toString(), maxConnections: 2 });
await handle.close();
log('migrations applied');

const sql = postgres(url.toString(), {
  max: 2,
  onnotice: () => {},
  connection: {
    session_replication_role: 'replica',
    synchronous_commit: 'off',
    maintenance_work_mem: '3GB',
    work_mem: '256MB',
  },
});

try {
  const vocabulary = buildVocabulary();
  await step('users, groups, one-to-one chats, members, contacts', () => seedPeopleAndChats(sql, total));
  const chats = await sql<SeedChat[]>`select chat_id as "chatId", members::text[] as members, n from seed_chats`;
  const indexes = await step('dropped secondary indexes on messages', () => dropSecondaryIndexes(sql, 'messages'));
  let last = 0;
  await step(`${total.toLocaleString('en')} messages copied`, () =>
    copyMessages(sql, {
      chats,
      vocabulary,
      total,
      spanDays: SPAN_DAYS,
      random: seededRandom(7),
      onProgress: (written) => {
        if (written - last >= 1_000_000) {
          last = written;
          log(`  ${written.toLocaleString('en')} messages`);
        }
      },
    }),
  );
  // Before the indexes: marking the messages with images rewrites their rows.
  const uploads = await step('uploads', () => seedUploads(sql));
  log(`  ${uploads.toLocaleString('en')} images`);
  await step(`indexes built: ${indexes.length}`, () => createIndexes(sql, indexes));
  await step('chats: last seq and activity', () => finishChats(sql));
  await sql`drop table seed_chats, seed_users`;
  await step('vacuum analyze', async () => {
    await sql`vacuum (analyze) messages`;
    await sql`vacuum (analyze)`;
  });
  const [size] = await sql<{ size: string; messages: string }[]>`
    select pg_size_pretty(pg_database_size(current_database())) as size,
           (select count(*) from messages)::text as messages`;
  log(`done: ${size?.messages} messages, database ${size?.size}`);
} finally {
  await sql.end();
}
