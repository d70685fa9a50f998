/**
 * Runs the fixed mix (mix.ts) through the real domain function, searchMessages,
 * against a seeded corpus, for a user who sees a small part of it and one who
 * sees most of it; prints p50/p95/p99 per kind and the EXPLAIN ANALYZE of the
 * slowest kind's slowest query.
 *
 *   pnpm --filter @chat/load-search bench [--database chat_bench] [--rounds 25] [--json out.json]
 *
 * One client, one search at a time: this measures latency, not throughput.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { type SearchInput, type SearchTrace, searchMessages } from '@chat/api/search';
import { type Database, openDatabase } from '@chat/db';
import { sql } from 'drizzle-orm';
import { type BenchQuery, benchMix, KINDS, type Kind } from './mix';
import { ms, type Summary, summarise } from './stats';
import { rowsOf, userFacts } from './users';

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'chat_bench' },
    rounds: { type: 'string', default: '25' },
    json: { type: 'string' },
  },
});
const adminUrl = process.env.ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const url = new URL(adminUrl);
url.pathname = `/${values.database}`;
const rounds = Number(values.rounds);

interface Sample {
  user: string;
  query: BenchQuery;
  ms: number;
  hits: number;
  shape: string;
}

async function runOne(db: Database, userId: string, query: BenchQuery, trace?: SearchTrace) {
  const input: SearchInput = { q: query.q, order: query.order, limit: 20 };
  let cursor: string | null = null;
  if (query.secondPage) cursor = (await searchMessages({ db }, userId, input)).nextCursor;
  const t0 = performance.now();
  const page = await searchMessages({ db }, userId, { ...input, cursor }, trace ? { trace } : {});
  return { ms: performance.now() - t0, hits: page.hits.length };
}

function shuffle<T>(list: T[], seed: number): T[] {
  const out = [...list];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const handle = await openDatabase({ databaseUrl: url.toString(), maxConnections: 2 });
const db = handle.db;
const samples: Sample[] = [];
const load = { before: loadavg()[0] ?? 0, after: 0 };
const [counts] = rowsOf(await db.execute(sql`select count(*)::int as messages from messages`));
const users = ['bench_few', 'bench_some', 'bench_most'];
const sees = new Map<string, number>();
try {
  for (const username of users) {
    const { id, facts, sees: visible } = await userFacts(db, username);
    sees.set(username, visible);
    const mix = benchMix(facts);
    for (const query of mix) await runOne(db, id, query); // warm-up, not measured
    for (let round = 0; round < rounds; round++) {
      for (const query of shuffle(mix, round + 1)) {
        const trace: SearchTrace = { plan: null, settings: null, query: null };
        const r = await runOne(db, id, query, trace);
        samples.push({ user: username, query, ms: r.ms, hits: r.hits, shape: trace.plan?.shape ?? '-' });
      }
    }
  }
  load.after = loadavg()[0] ?? 0;

  const table: { user: string; kind: Kind; summary: Summary; shapes: string; hits: number }[] = [];
  for (const user of users) {
    for (const kind of KINDS) {
      const mine = samples.filter((s) => s.user === user && s.query.kind === kind);
      const shapes = [...new Set(mine.map((s) => s.shape))].sort().join(', ');
      const hits = mine.reduce((a, s) => a + s.hits, 0) / Math.max(mine.length, 1);
      table.push({ user, kind, summary: summarise(mine.map((s) => s.ms)), shapes, hits });
    }
  }
  console.log(`corpus: ${Number(counts?.messages).toLocaleString('en')} messages; rounds: ${rounds}`);
  for (const u of users) console.log(`${u} sees ${sees.get(u)?.toLocaleString('en')} messages`);
  console.log(`load average (1 min): ${load.before.toFixed(2)} before, ${load.after.toFixed(2)} after\n`);
  console.log('| user | kind | n | p50 ms | p95 ms | p99 ms | max ms | hits/page | shapes |');
  console.log('|---|---|--:|--:|--:|--:|--:|--:|---|');
  for (const r of table) {
    const s = r.summary;
    console.log(
      `| ${r.user} | ${r.kind} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} | ${r.hits.toFixed(1)} | ${r.shapes} |`,
    );
  }
  // The slowest kind (by p95) of each user, and the EXPLAIN ANALYZE of its slowest query, run again.
  for (const user of users) {
    const worst = table.filter((r) => r.user === user).sort((a, b) => b.summary.p95 - a.summary.p95)[0];
    const slowest = samples
      .filter((s) => s.user === user && s.query.kind === worst?.kind)
      .sort((a, b) => b.ms - a.ms)[0];
    if (!worst || !slowest) continue;
    const { id } = await userFacts(db, user);
    const trace: SearchTrace = { plan: null, settings: null, query: null };
    await runOne(db, id, slowest.query, trace);
    console.log(`\n### ${user}: slowest kind by p95 is ${worst.kind}; its slowest query: \`${slowest.query.q}\`\n`);
    console.log(`shape ${trace.plan?.shape}; estimated rows ${JSON.stringify(trace.plan?.rows)}\n`);
    const { settings, query } = trace;
    if (!settings || !query) continue;
    const plan = await db.transaction(async (tx) => {
      await tx.execute(settings);
      return rowsOf(await tx.execute(sql`explain (analyze, buffers) ${query}`));
    });
    console.log('```');
    for (const line of plan)
      console.log(String(Object.values(line)[0]).replace(/'\{[0-9a-f,-]{200,}\}'/g, "'{…uuids…}'"));
    console.log('```');
  }
  if (values.json) writeFileSync(values.json, JSON.stringify({ load, table, samples }, null, 2));
} finally {
  await handle.close();
}
