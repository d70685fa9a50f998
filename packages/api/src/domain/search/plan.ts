/**
 * Which of five query shapes answers a search fastest. Left to itself, the
 * planner gets this wrong in the way that hurts: for a rare word it
 * over-estimates the matches (a word missing from the statistics is assumed
 * half as frequent as the least frequent word there), so walking the table
 * newest first looks cheap, and then the walk reads millions of rows to find
 * twenty. So we choose, counting rows each shape would read, and write the
 * query so that the planner can only do that shape:
 *
 * - `collect`: every match from the text index (or the sender index for
 *   from:), then sorted. Reads as many rows as there are matches: right for
 *   rare words, and the shape whose worst case is bounded by the word.
 * - `intersect`: the (chat_id, search_vector) index intersects the words'
 *   lists with the searcher's chats' lists, so only visible matches are read:
 *   right for mid-frequency words when the searcher sees a part of the table.
 * - `walk`: the table's index by time (messages_created_idx), newest first,
 *   testing each entry there. Reads about wanted / (share of rows that match
 *   and are visible): right for common words when the searcher sees much of
 *   the table.
 * - `sender`: the same along one sender's messages (messages_sender_idx,
 *   for from:): right for a busy sender and a common word.
 * - `per-chat`: the same walk inside each of the searcher's chats, merged in
 *   time order: reads about wanted / (share of the searcher's rows that
 *   match), and at most every message the searcher can see: right for all
 *   but rare words when that is a small part of the table, as long as the
 *   chats are not too many (each is a branch of the query).
 *
 * Counts come from the planner's own estimates (EXPLAIN, statistics kept by
 * ANALYZE). A word missing from the statistics is estimated at half the
 * rarest listed one, so a rare word's matches are over-estimated and its walk
 * under-estimated; the 10,000 lexemes kept for the vector column (migration
 * 0004) keep that error small.
 */

export type Shape = 'collect' | 'intersect' | 'walk' | 'sender' | 'per-chat';

export interface PlanInput {
  /** Rows wanted from the shape: a page (plus one), or relevance's candidates. */
  wanted: number;
  /**
   * Estimated messages matching the words in the whole table; null when there are no words. The
   * planner counts a phrase like its words anywhere in the message: that is what the index returns
   * and the rows re-checked, but fewer match (see PHRASE_SHARE).
   */
  textMatches: number | null;
  /** Words that must follow another (in "quoted phrases"): each makes a match rarer than the estimate. */
  phraseLinks: number;
  /** Estimated messages containing each word on its own (what the index reads), and which are prefixes. */
  words: { rows: number; prefix: boolean }[];
  /** Estimated messages in the table. */
  total: number;
  /** Messages in the chats searched, and how many chats. */
  visible: number;
  chats: number;
  /** Share of rows that pass the other filters (has:image), 1 when none. */
  filterShare: number;
  /** Share of the table sent within after:/before:, 1 when neither: the walks read only that part. */
  periodShare: number;
  /** from: estimated messages by the senders, and how many senders; null without from:. */
  senders: { rows: number; count: number } | null;
}

export interface Plan {
  shape: Shape;
  /** Estimated rows read by each shape, for logs and the benchmark. */
  rows: Record<Shape, number>;
}

/**
 * What each step costs, in microseconds, measured on the 10-million-message
 * corpus, so that the cheapest shape is chosen (docs/search.md, "Choosing the
 * query shape"; `pnpm shapes` and `pnpm explain` in load/search measure them
 * again). The walks read indexes by time that hold each row's chat
 * and short vector (migration 0006): a row is an index entry, tested without
 * visiting the table; the whole-table walk tests the words only on the
 * searcher's rows, the per-chat walk on every row it reads. Every shape then
 * fetches the rows it returns (or, for collect and intersect, every match)
 * from the table and tests them there.
 */
const INDEX_ROW = 0.15;
/** Testing the words on a row's short vector (the walks test it after the chat and has:image). */
const WORD_TEST = 0.25;
const FETCHED_ROW = 3;
/** One entry of a word's list in the text index. */
const INDEX_ENTRY = 0.09;
/** Entries of the chats' lists read per match of the words, when intersecting (GIN skips the rest). */
const CHAT_ENTRIES_PER_MATCH = 3;
/** A prefix's lists are gathered again for each chat the index is asked about, at about this much per entry. */
const PREFIX_ENTRY_PER_CHAT = 0.5;
/** One chat of the per-chat walk: planning its branch and descending its index; one chat's index lookup. */
const CHAT_START = 200;
const CHAT_LOOKUP = 5;

/**
 * Two words next to each other, in order, against both anywhere in a message
 * of about ten words: about one in ten of the messages with both.
 */
const PHRASE_SHARE = 0.1;

const SHAPES = ['collect', 'intersect', 'walk', 'sender', 'per-chat'] as const;

export function choosePlan(input: PlanInput): Plan {
  const total = Math.max(input.total, input.visible, 1);
  const visible = Math.max(input.visible, 1);
  const words = input.textMatches !== null;
  const candidates = input.textMatches ?? total;
  const matches = candidates * PHRASE_SHARE ** input.phraseLinks;
  const seen = visible / total;
  const senderShare = input.senders ? Math.max(input.senders.rows, 1) / total : 1;
  // Share of the searched messages that match everything.
  const share = Math.min(1, Math.max(matches / total, 1e-9) * input.filterShare * senderShare);
  // The walks read by time: at most the rows sent within after:/before:.
  const period = Math.min(1, Math.max(input.periodShare, 0));
  // A sender's walk reads only their messages: the share among those that match the rest.
  const senderWalk =
    input.senders?.count === 1
      ? Math.min(input.senders.rows * period, input.wanted / (Math.max(share / senderShare, 1e-9) * seen))
      : Number.POSITIVE_INFINITY;
  const tableWalk = Math.min(total * period, input.wanted / (share * seen));
  const rows: Record<Shape, number> = {
    collect: Math.min(words ? candidates : total, input.senders?.rows ?? total),
    intersect: Math.min(candidates, total) * seen,
    walk: tableWalk,
    sender: senderWalk,
    'per-chat': Math.min(visible * period, input.wanted / share),
  };
  const entries = input.words.reduce(
    (sum, w) => sum + w.rows * (w.prefix ? Math.max(input.chats, 1) * PREFIX_ENTRY_PER_CHAT : INDEX_ENTRY),
    0,
  );
  // The index also reads the searcher's chats' lists, skipping ahead to the words' entries: at
  // most one entry per visible message, fewer the rarer the words.
  const chatEntries = Math.min(visible, candidates * CHAT_ENTRIES_PER_MATCH) * INDEX_ENTRY + input.chats * CHAT_LOOKUP;
  const tested = (rowShare: number) => INDEX_ROW + WORD_TEST * rowShare * input.filterShare;
  const fetchPage = input.wanted * FETCHED_ROW;
  const cost: Record<Shape, number> = {
    collect: words || input.senders ? rows.collect * FETCHED_ROW : Number.POSITIVE_INFINITY,
    intersect: words ? rows.intersect * FETCHED_ROW + entries + chatEntries : Number.POSITIVE_INFINITY,
    walk: rows.walk * tested(seen) + fetchPage,
    sender: rows.sender * tested(seen) + fetchPage,
    'per-chat': rows['per-chat'] * tested(1) + input.chats * CHAT_START + fetchPage,
  };
  const shape = SHAPES.reduce((best, s) => (cost[s] < cost[best] ? s : best));
  return { shape, rows };
}
