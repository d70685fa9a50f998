/**
 * The search and the address bar, kept together. On `/search` the address is
 * the truth: arriving there (a reload, a shared link, Back/Forward) searches
 * what it says. Typing searches as you type: after a short pause the address
 * becomes `/search?q=…`, replacing its own history entry while the words
 * change, so Back does not step through keystrokes; Enter searches at once
 * and keeps the entry, so the next change gets a new one. Leaving the search
 * (Esc, the close button) goes back to the page before it.
 */
import { useLocation, useNavigate } from '@solidjs/router';
import { createEffect, on, onCleanup } from 'solid-js';
import {
  hasQuery,
  historyMode,
  isSearchPath,
  queryText,
  readSearchParams,
  type SearchOrder,
  type SearchParams,
  searchPath,
} from '../../lib/search-url';
import {
  chooseOrder,
  closeSearch,
  rememberReturn,
  returnPath,
  runSearch,
  searchOrder,
  searchText,
  showSearch,
  typeSearch,
} from '../../stores/search';

/** The pause in typing after which the search runs. */
export const SEARCH_DEBOUNCE_MS = 250;

/** What the history entry of `/search` carries: where Esc goes back to, across a reload. */
interface SearchEntryState {
  returnTo: string | null;
}

const returnToIn = (state: unknown): string | null => {
  if (typeof state !== 'object' || state === null || !('returnTo' in state)) return null;
  const value = (state as { returnTo: unknown }).returnTo;
  return typeof value === 'string' && value.startsWith('/') ? value : null;
};

export interface SearchActions {
  /** The box changed. */
  type(text: string): void;
  /** Enter: search now, and keep this search in the history. */
  commit(): void;
  setOrder(order: SearchOrder): void;
  /** Esc or the close button: back to the chat list, and from `/search` to the page before it. */
  close(): void;
}

/** Call once, in the shell (it lives as long as the signed-in layout). */
export function useSearchRouting(): SearchActions {
  const location = useLocation();
  const navigate = useNavigate();
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The entry the address bar shows was committed (Enter, or arrived at from outside): changes push. */
  let committed = true;
  /** The search last written to the address bar by us (to tell it from Back/Forward and links). */
  let written: SearchParams | null = null;
  onCleanup(() => clearTimeout(timer));
  const current = (): SearchParams => ({ q: queryText(searchText()), order: searchOrder() });

  // Gone elsewhere (a result clicked) while a pause was pending: search what was typed, but stay there.
  createEffect(
    on(
      () => `${location.pathname}${location.search}`,
      () => {
        if (timer === undefined) return;
        clearTimeout(timer);
        timer = undefined;
        runSearch(current());
      },
      { defer: true },
    ),
  );

  createEffect(
    on([() => location.pathname, () => location.search], ([pathname, search]) => {
      if (!isSearchPath(pathname)) return;
      const params = readSearchParams(search);
      if (!written || written.q !== params.q || written.order !== params.order) {
        // Not ours: a reload, a link, Back or Forward. What is typed follows the address.
        clearTimeout(timer);
        timer = undefined;
        committed = true;
        written = params;
        rememberReturn(returnToIn(location.state) ?? returnPath());
      }
      showSearch(params);
    }),
  );

  function write(params: SearchParams, commit: boolean): void {
    clearTimeout(timer);
    timer = undefined;
    const onSearchPage = isSearchPath(location.pathname);
    if (!onSearchPage && !hasQuery(params.q)) {
      // The box emptied beside an open chat: nothing to search, nowhere to go.
      runSearch(params);
      return;
    }
    if (!onSearchPage) rememberReturn(`${location.pathname}${location.search}`);
    const mode = historyMode({ onSearchPage, committed });
    const path = searchPath(params);
    written = params;
    committed = commit;
    if (onSearchPage && `${location.pathname}${location.search}` === path) {
      runSearch(params);
      return;
    }
    const state: SearchEntryState = { returnTo: returnPath() };
    navigate(path, { replace: mode === 'replace', state });
  }

  return {
    type(text) {
      typeSearch(text);
      clearTimeout(timer);
      timer = setTimeout(() => write(current(), false), SEARCH_DEBOUNCE_MS);
    },
    commit() {
      write(current(), true);
    },
    setOrder(order) {
      chooseOrder(order);
      write(current(), true);
    },
    close() {
      clearTimeout(timer);
      timer = undefined;
      const back = closeSearch();
      written = null;
      committed = true;
      if (isSearchPath(location.pathname)) navigate(back ?? '/');
    },
  };
}
