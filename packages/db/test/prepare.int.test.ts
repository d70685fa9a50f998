/**
 * Which queries are prepared on a connection (client.ts, `preparing`): short
 * parameter lists once per text, long ones (an `in (...)` of many ids, a new
 * text for every length) never, so a server's statement cache cannot grow
 * with the lengths of the lists it was asked about. PostgreSQL only: PGlite
 * has no prepared-statement cache of ours.
 */
import { sql } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREPARE_MAX_PARAMETERS, PREPARED_TEXTS_MAX, preparing } from '../src/client';
import { testAdminUrl } from '../src/testing';

const onPostgres = process.env.TEST_DB === 'postgres';

describe.runIf(onPostgres)('prepared statements', () => {
  let client: postgres.Sql;
  let db: PostgresJsDatabase;
  beforeAll(() => {
    // One connection, wrapped as openDatabase wraps its pool: pg_prepared_statements shows that connection's statements.
    client = postgres(testAdminUrl, { max: 1, onnotice: () => {} });
    db = drizzle(preparing(client));
  });
  afterAll(async () => {
    await client?.end();
  });

  const listQuery = (length: number) => {
    const list = Array.from({ length }, (_, i) => i + 1);
    return sql`select count(*)::int as n from generate_series(1, 5000) as g(v) /* list-probe */ where v in ${list}`;
  };
  const preparedProbes = async () => {
    const rows = await db.execute<{ params: number }>(
      sql`select cardinality(parameter_types) as params from pg_prepared_statements where statement like ${'%list-probe%'}`,
    );
    return [...rows].map((r) => Number(r.params)).sort((a, b) => a - b);
  };

  it('prepares short lists once per text and runs long ones as one-offs, with the same answers', async () => {
    for (const length of [1, 2, 3, 2, 1, PREPARE_MAX_PARAMETERS, PREPARE_MAX_PARAMETERS + 1, 200, 4000, 200]) {
      const [row] = await db.execute<{ n: number }>(listQuery(length));
      expect(Number(row?.n)).toBe(length);
    }
    expect(await preparedProbes()).toEqual([1, 2, 3, PREPARE_MAX_PARAMETERS]);
  });

  it(`prepares at most ${PREPARED_TEXTS_MAX} distinct texts per process; the rest still answer`, async () => {
    // A process of its own: a new pool, wrapped afresh. Read through the bare client, outside the count.
    const own = postgres(testAdminUrl, { max: 1, onnotice: () => {} });
    try {
      const ownDb = drizzle(preparing(own));
      const probe = (k: number) => sql.raw(`/* cap-probe ${k} */`);
      const run = (k: number) => ownDb.execute(sql`select ${k}::int as k ${probe(k)}`);
      for (let k = 0; k < PREPARED_TEXTS_MAX + 5; k++) await run(k);
      await run(0);
      const rows = await own`select statement from pg_prepared_statements where statement like ${'%cap-probe%'}`;
      const numbers = rows.map((r) => Number(/cap-probe (\d+)/.exec(String(r.statement))?.[1]));
      expect(numbers.length).toBe(PREPARED_TEXTS_MAX);
      expect(Math.max(...numbers)).toBe(PREPARED_TEXTS_MAX - 1);
      const past = PREPARED_TEXTS_MAX + 2;
      const [row] = await ownDb.execute<{ k: number }>(sql`select ${past}::int as k ${probe(past)}`);
      expect(Number(row?.k)).toBe(past);
    } finally {
      await own.end();
    }
  });
});
