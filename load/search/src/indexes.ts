/**
 * Bulk loading is faster without the secondary indexes: drop them (keeping
 * their definitions exactly as the migrations made them) and build them once
 * the rows are in, two at a time (one core each).
 */
import type { Sql } from 'postgres';

export async function dropSecondaryIndexes(sql: Sql, table: string): Promise<string[]> {
  const rows = await sql<{ name: string; definition: string }[]>`
    select i.indexname as name, i.indexdef as definition
    from pg_indexes i
    where i.schemaname = 'public' and i.tablename = ${table}
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`;
  for (const r of rows) await sql.unsafe(`drop index "${r.name.replaceAll('"', '""')}"`);
  return rows.map((r) => r.definition);
}

/** Builds the indexes on two connections; the slowest (GIN) first. */
export async function createIndexes(sql: Sql, definitions: string[]): Promise<void> {
  const queue = [...definitions].sort((a, b) => Number(b.includes('USING gin')) - Number(a.includes('USING gin')));
  const worker = async () => {
    for (let d = queue.shift(); d !== undefined; d = queue.shift()) await sql.unsafe(d);
  };
  await Promise.all([worker(), worker()]);
}
