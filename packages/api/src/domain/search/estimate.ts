/**
 * The planner's estimates, read for plan.ts: how many messages there are,
 * what share carries an image, and how many match a tsquery (from the
 * statistics ANALYZE keeps on the vector column: its most common lexemes).
 */
import type { Executor } from '@chat/db';
import { type SQL, sql } from 'drizzle-orm';
import { jsonOf, rowsOf } from '../../sql';

export interface TableEstimate {
  messages: number;
  /** Share of messages with an image. */
  imageShare: number;
}

/** From pg_class; before the first ANALYZE, from the table's size (about 200 bytes a message). */
export async function estimateTable(db: Executor): Promise<TableEstimate> {
  const [row] = rowsOf(
    await db.execute(sql`
      select (select reltuples from pg_class where oid = 'messages'::regclass)::float8 as messages,
             (select reltuples from pg_class where oid = 'uploads'::regclass)::float8 as uploads,
             (pg_relation_size('messages') / 200)::float8 as by_size`),
  );
  const messages = Number(row?.messages);
  const total = messages > 0 ? messages : Math.max(Number(row?.by_size) || 0, 1);
  const uploads = Number(row?.uploads);
  const imageShare = messages > 0 && uploads >= 0 ? Math.min(1, Math.max(uploads / messages, 0.001)) : 0.05;
  return { messages: total, imageShare };
}

interface PlanNode {
  'Plan Rows'?: number;
  Plans?: PlanNode[];
}

/**
 * The planner's estimate of the messages matching each condition (on `m`),
 * in one round trip: a UNION ALL whose branches' row estimates EXPLAIN
 * reports one by one. Run it without parallel workers (searchSettings).
 */
export async function estimateRows(db: Executor, conditions: SQL[]): Promise<number[]> {
  if (conditions.length === 0) return [];
  const query = sql.join(
    conditions.map((c) => sql`select 1 from messages m where ${c}`),
    sql` union all `,
  );
  const [row] = rowsOf(await db.execute(sql`explain (format json) ${query}`));
  const raw = row ? Object.values(row)[0] : undefined;
  const plan = jsonOf(raw);
  const top = Array.isArray(plan) ? (plan[0] as { Plan?: PlanNode } | undefined)?.Plan : undefined;
  const branches = conditions.length === 1 ? [top] : (top?.Plans ?? []);
  const rows = branches.map((b) => b?.['Plan Rows']);
  if (rows.length !== conditions.length || rows.some((r) => typeof r !== 'number')) {
    throw new Error('EXPLAIN gave no row estimates');
  }
  return rows as number[];
}
