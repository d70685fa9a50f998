/**
 * Message search (issue 6): every message in every chat the actor is a member
 * of now (DESIGN.md invariant 6), deleted ones never. Newest first, or most
 * relevant among the newest RELEVANCE_WINDOW matches (ranking every match of
 * a common word costs seconds; ranking a bounded window costs milliseconds
 * and keeps what people look for, recent messages, in it). Paged by cursor.
 * How a query shape is chosen: plan.ts.
 */
import type { Executor } from '@chat/db';
import { type SQL, sql } from 'drizzle-orm';
import { type Clock, systemClock } from '../../clock';
import type { Deps } from '../../deps';
import { uuidArray } from '../../sql';
import { decodeCursor, encodeCursor, type RelevantCursor } from './cursor';
import { estimateRows, estimateTable } from './estimate';
import { type ParsedQuery, parseQuery } from './parse';
import { choosePlan, type Plan, type Shape } from './plan';
import { type HitsQuery, hitsQuery, periodConditions } from './query';
import { type RawHit, readHits, type SearchHit, toHits } from './results';
import { resolveScope, type SearchScope } from './scope';
import { headlineSql } from './snippets';
import { buildAnyTsquery, buildPositiveTsquery, buildTsquery, buildWordQueries } from './tsquery';

export type SearchOrder = 'recent' | 'relevant';

export interface SearchInput {
  q: string;
  order: SearchOrder;
  cursor?: string | null | undefined;
  limit: number;
  /** The searcher's clock minus UTC, in minutes, for before:/after: days. */
  utcOffsetMinutes?: number | undefined;
}

export interface SearchPage {
  hits: SearchHit[];
  /** Pass back as `cursor` (with the same q and order) for the next page; null at the end. */
  nextCursor: string | null;
}

/** For the benchmark and logs: the chosen shape, and the settings and SQL that ran (in one transaction). */
export interface SearchTrace {
  plan: Plan | null;
  settings: SQL | null;
  query: SQL | null;
}

/**
 * Planner settings for the search's transaction. A search is one short query:
 * compiling it (JIT) or starting workers costs more than it saves. Each plan
 * is made for its values (a cached generic plan would not know the words, nor
 * hash the chat ids). The walks must read an index in order: the planner,
 * misjudging a chat's size, may prefer a bitmap and a sort (query.ts).
 */
const BASE_SETTINGS = sql`select set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true),
  set_config('plan_cache_mode', 'force_custom_plan', true)`;

export function searchSettings(shape: Shape): SQL {
  const walking = shape === 'collect' || shape === 'intersect' ? 'on' : 'off';
  // per-chat: merge the chats' walks in time order (and stop at the page), never gather and sort
  // them; the planner, expecting few matches per chat, would rather sort.
  const sorting = shape === 'per-chat' ? 'off' : 'on';
  return sql`${BASE_SETTINGS}, set_config('enable_bitmapscan', ${walking}, true),
    set_config('enable_seqscan', ${walking}, true), set_config('enable_sort', ${sorting}, true)`;
}

/** Not for procedures: tests and the benchmark force a shape or look at what ran. */
export interface SearchOptions {
  shape?: Shape;
  trace?: SearchTrace;
}

/** Relevance ranks the newest this many matches. */
export const RELEVANCE_WINDOW = 200;

const UTC_TEXT = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;
const utcText = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', ${UTC_TEXT})`);

function nowText(clock: Clock): string {
  return clock.now().toISOString().replace('Z', '000Z');
}

interface Prepared {
  parsed: ParsedQuery;
  scope: SearchScope;
  base: Omit<HitsQuery, 'shape' | 'limit' | 'olderThan' | 'upTo' | 'withVector'>;
  positive: SQL | null;
}

async function choose(db: Executor, p: Prepared, wanted: number): Promise<Plan> {
  const table = await estimateTable(db);
  const words = p.base.text ? buildWordQueries([...p.parsed.include, ...p.parsed.exclude]) : [];
  const senders = p.scope.senderIds;
  const vector = (q: SQL) => sql`m.search_vector @@ ${q}`;
  const period = periodConditions(p.scope.after, p.scope.before, 'm');
  const estimates = await estimateRows(db, [
    ...(p.base.text ? [vector(p.base.text)] : []),
    ...words.map((w) => vector(w.query)),
    ...(senders ? [sql`m.sender_id = any(${uuidArray(senders)})`] : []),
    ...(period.length > 0 ? [sql.join(period, sql` and `)] : []),
  ]);
  const [textMatches = null, ...rest] = p.base.text ? estimates : [null, ...estimates];
  const inPeriod = period.length > 0 ? (rest[words.length + (senders ? 1 : 0)] ?? undefined) : undefined;
  return choosePlan({
    wanted,
    textMatches,
    phraseLinks: p.parsed.include.reduce(
      (links, t) => links + (t.kind === 'word' ? 0 : Math.max(0, (t.text.match(/[\p{L}\p{N}]+/gu) ?? []).length - 1)),
      0,
    ),
    words: words.map((w, i) => ({ rows: rest[i] ?? 0, prefix: w.prefix })),
    total: table.messages,
    visible: p.scope.messageCount,
    chats: p.scope.chats.length,
    filterShare: p.scope.hasImage ? table.imageShare : 1,
    periodShare: inPeriod === undefined ? 1 : Math.min(1, Math.max(inPeriod, 1) / Math.max(table.messages, 1)),
    senders: senders ? { rows: rest[words.length] ?? 0, count: senders.length } : null,
  });
}

/** Wraps a page of hits (columns of query.ts) with the time as text and the snippet. */
function decorate(page: SQL, positive: SQL | null, order: SQL, rank: boolean): SQL {
  const headline = positive ? headlineSql(sql.raw('p.body'), positive) : sql`null`;
  return sql`select p.id, p.chat_id, p.sender_id, p.seq, p.body, ${utcText('p.created_at')} as at,
      ${utcText('p.edited_at')} as edited_at, ${headline} as headline, ${rank ? sql`p.rank` : sql`null`} as rank
    from (${page}) p ${order}`;
}

function recentQuery(p: Prepared, plan: Plan, limit: number, cursor: { at: string; id: string } | null): SQL {
  const page = hitsQuery({
    ...p.base,
    shape: plan.shape,
    limit: limit + 1,
    olderThan: cursor,
    upTo: null,
    withVector: false,
  });
  return decorate(page, p.positive, sql`order by p.created_at desc, p.id desc`, false);
}

function relevantQuery(p: Prepared, plan: Plan, limit: number, asOf: string, cursor: RelevantCursor | null): SQL {
  const window = hitsQuery({
    ...p.base,
    shape: plan.shape,
    limit: RELEVANCE_WINDOW,
    olderThan: null,
    upTo: asOf,
    withVector: true,
  });
  const rankOf = p.positive ? sql`ts_rank(w.search_vector, ${p.positive}, 1)` : sql`0::real`;
  const after = cursor
    ? sql`where (r.rank, r.created_at, r.id) < (${cursor.rank}::real, ${cursor.at}::timestamptz, ${cursor.id}::uuid)`
    : sql``;
  const byRank = sql`order by rank desc, created_at desc, id desc`;
  const page = sql`select r.* from (select w.*, ${rankOf} as rank from (${window}) w) r ${after} ${byRank} limit ${limit + 1}`;
  return decorate(page, p.positive, sql`order by p.rank desc, p.created_at desc, p.id desc`, true);
}

export async function searchMessages(
  /** Without a clock (the search benchmarks), the system's. */
  deps: Pick<Deps, 'db'> & { clock?: Clock },
  actorId: string,
  input: SearchInput,
  options: SearchOptions = {},
): Promise<SearchPage> {
  const parsed = parseQuery(input.q);
  const cursor = input.cursor ? decodeCursor(input.cursor, input.order) : null;
  const scope = await resolveScope(deps.db, actorId, parsed, input.utcOffsetMinutes ?? 0);
  if (scope.chats.length === 0) return { hits: [], nextCursor: null };
  const p: Prepared = {
    parsed,
    scope,
    positive: buildPositiveTsquery(parsed.include),
    base: {
      chatIds: scope.chats.map((c) => c.id),
      text: parsed.include.length > 0 ? buildTsquery(parsed.include, parsed.exclude) : null,
      excluded: parsed.include.length === 0 ? buildAnyTsquery(parsed.exclude) : null,
      senderIds: scope.senderIds,
      after: scope.after,
      before: scope.before,
      hasImage: scope.hasImage,
    },
  };
  const relevant = input.order === 'relevant';
  const asOf = cursor?.order === 'relevant' ? cursor.asOf : nowText(deps.clock ?? systemClock);
  // One read-only transaction: the estimates and the query see the same settings (and snapshot).
  const rows: RawHit[] = await deps.db.transaction(
    async (tx) => {
      await tx.execute(BASE_SETTINGS);
      const chosen = await choose(tx, p, relevant ? RELEVANCE_WINDOW : input.limit + 1);
      const plan = options.shape ? { ...chosen, shape: options.shape } : chosen;
      const query = relevant
        ? relevantQuery(p, plan, input.limit, asOf, cursor?.order === 'relevant' ? cursor : null)
        : recentQuery(p, plan, input.limit, cursor);
      const settings = searchSettings(plan.shape);
      if (options.trace) Object.assign(options.trace, { plan, settings, query });
      await tx.execute(settings);
      return readHits(tx, query);
    },
    { accessMode: 'read only' },
  );
  const more = rows.length > input.limit;
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const hits = await toHits(deps.db, actorId, scope, page);
  if (!more || !last) return { hits, nextCursor: null };
  const next = relevant
    ? encodeCursor({ order: 'relevant', asOf, rank: last.rank ?? 0, at: last.at, id: last.id })
    : encodeCursor({ order: 'recent', at: last.at, id: last.id });
  return { hits, nextCursor: next };
}
