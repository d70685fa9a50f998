/**
 * Compares the three query shapes (packages/api/src/domain/search/plan.ts)
 * on every query of the mix: the fastest of three runs of each, forced, next
 * to the shape the chooser picks and its row estimates. For tuning the
 * chooser and for the report's evidence that it picks well.
 *
 *   pnpm --filter @chat/load-search shapes [--database chat_bench] [--user bench_most] [--kind rare]
 */
import { parseArgs } from 'node:util';
import { type SearchTrace, type Shape, searchMessages } from '@chat/api/search';
import { openDatabase } from '@chat/db';
import { benchMix } from './mix';
import { userFacts } from './users';

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'chat_bench' },
    user: { type: 'string', default: 'bench_most' },
    kind: { type: 'string' },
    runs: { type: 'string', default: '3' },
  },
});
const url = new URL(process.env.ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
url.pathname = `/${values.database}`;
// A forced shape can be very slow (that is the point): give up on it after this long.
url.searchParams.set('statement_timeout', '4000');
const SHAPES: Shape[] = ['collect', 'intersect', 'walk', 'sender', 'per-chat'];
const TOO_SLOW_MS = 1_000;

const handle = await openDatabase({ databaseUrl: url.toString(), maxConnections: 2 });
const db = handle.db;
try {
  const { id, facts } = await userFacts(db, values.user);
  const mix = benchMix(facts).filter((q) => !values.kind || q.kind === values.kind);
  console.log(
    '| kind | q | chosen | est. rows collect / intersect / walk / sender / per-chat | collect ms | intersect ms | walk ms | sender ms | per-chat ms |',
  );
  console.log('|---|---|---|---|--:|--:|--:|--:|--:|');
  for (const query of mix) {
    const input = { q: query.q, order: query.order, limit: 20 };
    const trace: SearchTrace = { plan: null, settings: null, query: null };
    await searchMessages({ db }, id, input, { trace });
    const times: string[] = [];
    for (const shape of SHAPES) {
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < Number(values.runs); i++) {
        const t0 = performance.now();
        const ok = await searchMessages({ db }, id, input, { shape }).then(
          () => true,
          () => false,
        );
        best = Math.min(best, ok ? performance.now() - t0 : Number.POSITIVE_INFINITY);
        if (best > TOO_SLOW_MS) break;
      }
      times.push(Number.isFinite(best) ? best.toFixed(1) : '> 4000');
    }
    const rows = trace.plan ? SHAPES.map((s) => Math.round(trace.plan?.rows[s] ?? 0).toLocaleString('en')) : [];
    console.log(
      `| ${query.kind} | \`${query.q}\` | ${trace.plan?.shape} | ${rows.join(' / ')} | ${times.join(' | ')} |`,
    );
  }
} finally {
  await handle.close();
}
