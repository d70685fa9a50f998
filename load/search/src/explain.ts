/**
 * One search, as the chooser would run it or with a forced shape, and its
 * EXPLAIN (ANALYZE, BUFFERS): for looking at why a shape costs what it does.
 *
 *   pnpm --filter @chat/load-search explain --user bench_some --q '"you can"' [--shape per-chat] [--order relevant]
 */
import { parseArgs } from 'node:util';
import { type SearchTrace, type Shape, searchMessages } from '@chat/api/search';
import { openDatabase } from '@chat/db';
import { sql } from 'drizzle-orm';
import { rowsOf, userFacts } from './users';

const SHAPES = ['collect', 'intersect', 'walk', 'sender', 'per-chat'] as const;
const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'chat_bench' },
    user: { type: 'string', default: 'bench_most' },
    q: { type: 'string' },
    shape: { type: 'string' },
    order: { type: 'string', default: 'recent' },
  },
});
if (!values.q) throw new Error('--q is required');
const shape = values.shape as Shape | undefined;
if (shape && !SHAPES.includes(shape)) throw new Error(`--shape is one of ${SHAPES.join(', ')}`);
const order = values.order === 'relevant' ? 'relevant' : 'recent';
const url = new URL(process.env.ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
url.pathname = `/${values.database}`;
const handle = await openDatabase({ databaseUrl: url.toString(), maxConnections: 2 });
try {
  const { id } = await userFacts(handle.db, values.user);
  const trace: SearchTrace = { plan: null, settings: null, query: null };
  const input = { q: values.q, order, limit: 20 } as const;
  await searchMessages({ db: handle.db }, id, input, shape ? { shape, trace } : { trace });
  const t0 = performance.now();
  await searchMessages({ db: handle.db }, id, input, shape ? { shape } : {});
  console.log(
    `shape ${trace.plan?.shape}, ${(performance.now() - t0).toFixed(1)} ms; estimated rows`,
    trace.plan?.rows,
  );
  const { settings, query } = trace;
  if (settings && query) {
    const lines = await handle.db.transaction(async (tx) => {
      await tx.execute(settings);
      return rowsOf(await tx.execute(sql`explain (analyze, buffers) ${query}`));
    });
    for (const line of lines)
      console.log(String(Object.values(line)[0]).replace(/'\{[0-9a-f,-]{200,}\}'/g, "'{…uuids…}'"));
  }
} finally {
  await handle.close();
}
