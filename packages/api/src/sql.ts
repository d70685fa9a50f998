import type { Database } from '@chat/db';
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

/** The rows of a raw `db.execute`: postgres.js returns an array, PGlite `{ rows }`. */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  if (typeof result === 'object' && result !== null && 'rows' in result && Array.isArray(result.rows)) {
    return result.rows as Record<string, unknown>[];
  }
  throw new Error('unexpected result from the database driver');
}

/**
 * Ids as one uuid[] parameter, written as an array literal: one parameter
 * whatever the count (hundreds of chats, thousands of users), and the same
 * text on both drivers. The ids come from the database or from a session, so
 * they are well-formed uuids.
 */
export const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/** Booleans as one boolean[] parameter, the same way (beside a `uuidArray` in `unnest`). */
export const boolArray = (values: readonly boolean[]) =>
  sql`${`{${values.map((v) => (v ? 't' : 'f')).join(',')}}`}::boolean[]`;

/** A json/jsonb column of a raw statement: parsed by the driver, or text to parse (drizzle's postgres.js mapping). */
export function jsonOf(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** What drizzle turns `sql` into: no casing or other options are configured for our databases. */
const dialect = new PgDialect();

/**
 * A raw statement built once, its values given as `sql.placeholder(name)`,
 * then run with `values` as often as needed: building a large statement
 * through drizzle costs the server as much CPU as a round trip (the text
 * send: docs/database.md, "Statements built once"). The database still
 * prepares it per connection (`preparing` in @chat/db).
 */
export function prepareStatement(
  db: Database,
  statement: SQL,
): (values: Record<string, unknown>) => Promise<Record<string, unknown>[]> {
  const prepared = db._.session.prepareQuery(dialect.sqlToQuery(statement), undefined, undefined, false);
  return async (values) => rowsOf(await prepared.execute(values));
}

/**
 * A value built once per database and kept while the database lives: a
 * drizzle query with `sql.placeholder`s, prepared with `.prepare(name)`, is
 * built once instead of on every call (drizzle's building was 9% of the
 * server's CPU at scenario 6: docs/database.md, "Statements built once").
 */
export function perDatabase<D extends object, T>(build: (db: D) => T): (db: D) => T {
  const built = new WeakMap<D, T>();
  return (db) => {
    let value = built.get(db);
    if (value === undefined) {
      value = build(db);
      built.set(db, value);
    }
    return value;
  };
}
