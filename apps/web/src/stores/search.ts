/**
 * The search in the left column: what is typed in the box, whether the
 * results replace the chat list, and the results themselves, paged by the
 * server's cursor. It lives here, outside any page, so that opening a result
 * (its permalink) keeps the results beside the chat; on `/search` the address
 * bar is what is searched (components/search/use-search-routing.ts), so a
 * reloaded or shared `/search?q=…` searches again. Signing out forgets it.
 */
import type { SearchHit } from '@chat/api';
import { batch, createEffect, createRoot, createSignal, on } from 'solid-js';
import { errorMessage } from '../lib/form-errors';
import { reuseHits } from '../lib/search-hit';
import { DEFAULT_ORDER, hasQuery, queryText, type SearchOrder, type SearchParams } from '../lib/search-url';
import { api, isApiError } from '../lib/trpc';
import { onEvents } from './events';
import { currentUser } from './session';

/** Hits per page. */
const PAGE = 20;

export type SearchStatus = 'idle' | 'loading' | 'ready' | 'failed';

export interface SearchResults {
  /** What these results answer. */
  params: SearchParams;
  status: SearchStatus;
  hits: SearchHit[];
  nextCursor: string | null;
  /** Why the search failed: the server's word on the query (a bad filter), or a failure to try again. */
  problem: { message: string; retry: boolean } | null;
  loadingMore: boolean;
  /** Why the last "load more" failed. */
  moreProblem: string | null;
}

const idle = (params: SearchParams): SearchResults => ({
  params,
  status: 'idle',
  hits: [],
  nextCursor: null,
  problem: null,
  loadingMore: false,
  moreProblem: null,
});

const [typed, setTyped] = createSignal('');
const [order, setOrder] = createSignal<SearchOrder>(DEFAULT_ORDER);
const [open, setOpen] = createSignal(false);
const [results, setResults] = createSignal<SearchResults>(idle({ q: '', order: DEFAULT_ORDER }));
/** Where Esc goes back to from `/search`: the last page before it. */
let returnTo: string | null = null;
/** Counts searches: an answer to an older one is dropped. */
let generation = 0;
let inFlight: AbortController | null = null;

/** The text in the search box. */
export const searchText = typed;
/** Newest first, or most relevant. */
export const searchOrder = order;
/** Whether the left column shows the search instead of the chat list. */
export const searchOpen = open;
export const searchResults = results;

export const sameSearch = (a: SearchParams, b: SearchParams) => a.q === b.q && a.order === b.order;

/** The box changed: the panel opens (at the first letter) and shows what was typed. */
export function typeSearch(text: string): void {
  batch(() => {
    setTyped(text);
    if (hasQuery(text)) setOpen(true);
  });
}

/** What the address bar asks for (a reload, a shared link, Back): shown in the box and searched. */
export function showSearch(params: SearchParams): void {
  batch(() => {
    if (queryText(typed()) !== params.q) setTyped(params.q);
    setOrder(params.order);
    setOpen(true);
  });
  runSearch(params);
}

export function chooseOrder(value: SearchOrder): void {
  setOrder(value);
}

export function rememberReturn(path: string | null): void {
  returnTo = path;
}

export function returnPath(): string | null {
  return returnTo;
}

const utcOffsetMinutes = () => -new Date().getTimezoneOffset();

/** Searches, unless these results already answer `params` (Back to the results, say). */
export function runSearch(params: SearchParams): void {
  const current = results();
  if (sameSearch(current.params, params) && current.status !== 'failed' && current.status !== 'idle') return;
  inFlight?.abort();
  inFlight = null;
  const mine = ++generation;
  if (!hasQuery(params.q)) {
    setResults(idle(params));
    return;
  }
  const controller = new AbortController();
  inFlight = controller;
  // Keep the hits on screen while the next answer comes (no flicker while typing).
  setResults((r) => ({ ...r, params, status: 'loading', problem: null, moreProblem: null, loadingMore: false }));
  api.search.messages
    .query(
      { q: params.q, order: params.order, limit: PAGE, utcOffsetMinutes: utcOffsetMinutes() },
      { signal: controller.signal },
    )
    .then((page) => {
      if (mine !== generation) return;
      const hits = reuseHits(results().hits, page.hits);
      setResults({ ...idle(params), status: 'ready', hits, nextCursor: page.nextCursor });
    })
    .catch((error: unknown) => {
      if (mine !== generation) return;
      setResults({ ...idle(params), status: 'failed', problem: describe(error) });
    })
    .finally(() => {
      if (inFlight === controller) inFlight = null;
    });
}

/** The server refusing the query says what to write; anything else can be tried again. */
function describe(error: unknown): { message: string; retry: boolean } {
  if (isApiError(error) && error.data?.code === 'BAD_REQUEST') return { message: error.message, retry: false };
  return { message: errorMessage(error), retry: true };
}

/** Searches the current query again (after a failure). */
export function retrySearch(): void {
  const params = results().params;
  setResults(idle(params));
  runSearch(params);
}

/** The next page of hits, after those shown. */
export async function loadMoreResults(): Promise<void> {
  const current = results();
  if (current.status !== 'ready' || current.loadingMore || !current.nextCursor) return;
  const mine = generation;
  setResults({ ...current, loadingMore: true, moreProblem: null });
  try {
    const page = await api.search.messages.query({
      q: current.params.q,
      order: current.params.order,
      cursor: current.nextCursor,
      limit: PAGE,
      utcOffsetMinutes: utcOffsetMinutes(),
    });
    if (mine !== generation) return;
    setResults((r) => {
      const known = new Set(r.hits.map((h) => h.messageId));
      const fresh = page.hits.filter((h) => !known.has(h.messageId));
      return { ...r, hits: [...r.hits, ...fresh], nextCursor: page.nextCursor, loadingMore: false };
    });
  } catch (error) {
    if (mine !== generation) return;
    setResults((r) => ({ ...r, loadingMore: false, moreProblem: errorMessage(error) }));
  }
}

/** Back to the chat list: the box empties and the results are forgotten. Returns where to go from `/search`. */
export function closeSearch(): string | null {
  inFlight?.abort();
  inFlight = null;
  generation++;
  const back = returnTo;
  batch(() => {
    setOpen(false);
    setTyped('');
    setOrder(DEFAULT_ORDER);
    setResults(idle({ q: '', order: DEFAULT_ORDER }));
  });
  returnTo = null;
  return back;
}

const dropHits = (keep: (hit: SearchHit) => boolean) =>
  setResults((r) => (r.hits.every(keep) ? r : { ...r, hits: r.hits.filter(keep) }));

// A deleted message, or a chat the user is no longer in, leaves the results at once.
onEvents({
  'message.deleted': (e) => dropHits((h) => h.messageId !== e.payload.message.id),
  'chat.left': (e) => dropHits((h) => h.chat.id !== e.payload.chatId),
});

createRoot(() => {
  createEffect(
    on(
      () => currentUser()?.id,
      (userId, previous) => {
        if (userId !== previous) closeSearch();
      },
      { defer: true },
    ),
  );
});
