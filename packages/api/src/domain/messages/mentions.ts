/**
 * Mentions in SQL: the rule of client/mentions.ts (one rule, written once) as
 * a PostgreSQL regular expression for `~*`, counted where unread counts are
 * (receipts.ts; docs/send-path.md, "Mentions").
 */
import { type SQL, sql } from 'drizzle-orm';
import { MENTION_AFTER, MENTION_ALL, MENTION_BEFORE } from '../../client/mentions';

/** A pattern (ARE) matching a mention of `username` or of everyone. */
export function mentionPatternSql(username: SQL): SQL {
  // The constants hold no quote: written into the statement as literals. A
  // username holds letters, digits and . _ -: only the dot is special.
  const before = sql.raw(`'${MENTION_BEFORE}@('`);
  const after = sql.raw(`'|${MENTION_ALL})${MENTION_AFTER}'`);
  return sql`(${before} || replace(${username}, '.', '[.]') || ${after})`;
}
