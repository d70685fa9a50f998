/**
 * Where a search lives in the address bar: `/search?q=…` plus `&order=relevant`
 * when not the default (newest first), so a search can be reloaded and shared;
 * and where each result opens (the message's permalink).
 */
import type { SearchHit } from '@chat/api';

export type SearchOrder = 'recent' | 'relevant';

export const DEFAULT_ORDER: SearchOrder = 'recent';

export const SEARCH_PATH = '/search';

export interface SearchParams {
  q: string;
  order: SearchOrder;
}

/** `/search?q=…&order=…`; the default order is left out, and an empty query too. */
export function searchPath(params: SearchParams): string {
  const query = new URLSearchParams();
  if (params.q) query.set('q', params.q);
  if (params.order !== DEFAULT_ORDER) query.set('order', params.order);
  const text = query.toString();
  return text ? `${SEARCH_PATH}?${text}` : SEARCH_PATH;
}

/** The search in a location's query string (`?q=…&order=…`); anything unknown reads as the default. */
export function readSearchParams(search: string): SearchParams {
  const query = new URLSearchParams(search);
  const order = query.get('order');
  return { q: query.get('q') ?? '', order: order === 'relevant' ? 'relevant' : DEFAULT_ORDER };
}

export const isSearchPath = (pathname: string): boolean => pathname === SEARCH_PATH;

/** The query as the server gets it: what was typed, without leading spaces (a trailing one ends a prefix). */
export function queryText(typed: string): string {
  return typed.trimStart();
}

/** Whether there is anything to search for (spaces alone are nothing). */
export const hasQuery = (typed: string): boolean => typed.trim().length > 0;

/** The permalink of a hit: `/chats/@alice/messages/<id>` or `/groups/<id>/messages/<id>`. */
export function hitPath(hit: Pick<SearchHit, 'messageId' | 'chat'>): string {
  const chat = hit.chat;
  const base =
    chat.kind === 'direct' && chat.peer
      ? `/chats/@${encodeURIComponent(chat.peer.username)}`
      : `/groups/${encodeURIComponent(chat.id)}`;
  return `${base}/messages/${encodeURIComponent(hit.messageId)}`;
}

/** Whether the address bar should get a new history entry for this change, or replace the current one. */
export function historyMode(state: { onSearchPage: boolean; committed: boolean }): 'push' | 'replace' {
  // Leaving another page for the search, or going on from a search the user committed (Enter): a new entry.
  // Typing on: the same entry, updated in place, so Back does not step through every keystroke.
  return !state.onSearchPage || state.committed ? 'push' : 'replace';
}
