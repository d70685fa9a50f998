/** Message search: the domain function and its types (the router and the benchmark import these). */
export type { SearchCursor } from './cursor';
export { MAX_TERMS, type ParsedQuery, PREFIX_MIN_LENGTH, parseQuery } from './parse';
export type { Plan, Shape } from './plan';
export type { SearchChat, SearchHit, SearchPerson } from './results';
export {
  RELEVANCE_WINDOW,
  type SearchInput,
  type SearchOptions,
  type SearchOrder,
  type SearchPage,
  type SearchTrace,
  searchMessages,
  searchSettings,
} from './search';
export type { SnippetSegment } from './snippets';
