/**
 * Parsed terms to a tsquery, built in SQL from bound parameters: the user's
 * text never becomes tsquery syntax. Words and phrases go through
 * phraseto_tsquery, which splits and folds them exactly as the stored vectors
 * were (e-mail, don't, accents); a prefix is the one place we write syntax,
 * and only for a run of letters and digits followed by `:*`.
 */
import { SEARCH_CONFIG } from '@chat/db';
import { type SQL, sql } from 'drizzle-orm';
import type { Term } from './parse';

const config = sql.raw(`'${SEARCH_CONFIG}'::regconfig`);

function termQuery(term: Term): SQL {
  if (term.kind !== 'prefix') return sql`phraseto_tsquery(${config}, ${term.text})`;
  const words = term.text.match(/[\p{L}\p{N}]+/gu) ?? [];
  const last = words.pop();
  if (last === undefined) return sql`phraseto_tsquery(${config}, ${term.text})`;
  const prefix = sql`to_tsquery(${config}, ${`${last}:*`})`;
  if (words.length === 0) return prefix;
  return sql`tsquery_phrase(phraseto_tsquery(${config}, ${words.join(' ')}), ${prefix})`;
}

/** `include` all present, none of `exclude`; null when there are no words at all. */
export function buildTsquery(include: Term[], exclude: Term[]): SQL | null {
  const parts = [...include.map(termQuery), ...exclude.map((t) => sql`!!${termQuery(t)}`)];
  if (parts.length === 0) return null;
  return sql`(${sql.join(parts, sql` && `)})`;
}

/** Matches any of `terms`: for exclusions without words to look for (`not (vector @@ this)`). */
export function buildAnyTsquery(terms: Term[]): SQL | null {
  if (terms.length === 0) return null;
  return sql`(${sql.join(terms.map(termQuery), sql` || `)})`;
}

export interface WordQuery {
  query: SQL;
  /** A prefix: the index merges the lists of every word it starts. */
  prefix: boolean;
}

/**
 * Every word of the terms on its own (the index reads each word's list, even
 * for a phrase or an exclusion), for estimating what an index lookup costs.
 */
export function buildWordQueries(terms: Term[]): WordQuery[] {
  return terms.flatMap((term) => {
    const words = term.text.match(/[\p{L}\p{N}]+/gu) ?? [];
    return words.map((word, i) => {
      const prefix = term.kind === 'prefix' && i === words.length - 1;
      const query = prefix ? sql`to_tsquery(${config}, ${`${word}:*`})` : sql`phraseto_tsquery(${config}, ${word})`;
      return { query, prefix };
    });
  });
}

/** The words that matter for highlighting and ranking: what must be present. */
export function buildPositiveTsquery(include: Term[]): SQL | null {
  if (include.length === 0) return null;
  return sql`(${sql.join(include.map(termQuery), sql` && `)})`;
}
