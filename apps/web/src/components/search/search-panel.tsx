import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { hasQuery, type SearchOrder } from '../../lib/search-url';
import { loadMoreResults, retrySearch, type SearchStatus, searchOrder, searchResults } from '../../stores/search';
import { Icon } from '../icons';
import { EmptyState } from '../pane';
import { SEARCH_INPUT_ID } from './search-box';
import { SearchHelp } from './search-help';
import { SearchHitItem } from './search-hit-item';
import { moveBetweenHits } from './search-keys';
import type { SearchActions } from './use-search-routing';

const ORDERS: { value: SearchOrder; label: string }[] = [
  { value: 'recent', label: 'Newest' },
  { value: 'relevant', label: 'Relevant' },
];

/** The search results in the left column, in place of the chat list. */
export function SearchPanel(props: { actions: SearchActions }) {
  const [helpOpen, setHelpOpen] = createSignal(false);
  const results = searchResults;
  const hits = () => results().hits;
  const searching = () => results().status === 'loading';
  const box = () => document.getElementById(SEARCH_INPUT_ID);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      if (helpOpen()) return setHelpOpen(false);
      props.actions.close();
      box()?.focus();
      return;
    }
    if (moveBetweenHits(event, box)) event.preventDefault();
  };

  return (
    <section class="search-panel" aria-label="Search results" aria-busy={searching()} onKeyDown={onKeyDown}>
      <div class="search-tools">
        <fieldset class="segmented" aria-label="Order">
          <For each={ORDERS}>
            {(o) => (
              <button
                type="button"
                class="segment"
                aria-pressed={searchOrder() === o.value}
                onClick={() => searchOrder() !== o.value && props.actions.setOrder(o.value)}
              >
                {o.label}
              </button>
            )}
          </For>
        </fieldset>
        <span class="search-count" aria-live="polite">
          <Show when={searching()} fallback={countText(results().status, hits().length, Boolean(results().nextCursor))}>
            <span class="spinner small" aria-hidden="true" /> Searching…
          </Show>
        </span>
        <button
          type="button"
          class="icon-button"
          aria-label="Search tips"
          title="Search tips"
          aria-expanded={helpOpen()}
          aria-controls="search-tips"
          onClick={() => setHelpOpen(!helpOpen())}
        >
          <Icon name="info" size={18} />
        </button>
      </div>
      <Show when={helpOpen()}>
        <div class="search-tips" id="search-tips">
          <SearchHelp />
        </div>
      </Show>
      <div class="search-body">
        <Switch>
          <Match when={results().problem}>
            {(problem) => (
              <div class="search-problem" role="alert" data-testid="search-problem">
                <p>{problem().message}</p>
                <Show
                  when={problem().retry}
                  fallback={
                    <button type="button" class="link-button" onClick={() => setHelpOpen(true)}>
                      What can I write?
                    </button>
                  }
                >
                  <button type="button" class="button small" onClick={retrySearch}>
                    Try again
                  </button>
                </Show>
              </div>
            )}
          </Match>
          <Match when={!hasQuery(results().params.q)}>
            <p class="search-hint">Type to search every chat you are in. You can also write:</p>
            <SearchHelp />
          </Match>
          <Match when={results().status === 'ready' && hits().length === 0}>
            <EmptyState icon="search" title="No results" small>
              <p>
                Nothing in your chats matches <q>{results().params.q}</q>.
              </p>
            </EmptyState>
          </Match>
        </Switch>
        <Show when={hits().length > 0 && !results().problem}>
          <ul class="search-hits" id="search-results" aria-label="Results" classList={{ stale: searching() }}>
            <For each={hits()}>{(hit) => <SearchHitItem hit={hit} />}</For>
          </ul>
          <Show when={results().nextCursor && !searching()}>
            <div class="search-more">
              <Show when={results().moreProblem}>{(problem) => <p class="field-error">{problem()}</p>}</Show>
              <button
                type="button"
                class="button small"
                disabled={results().loadingMore}
                onClick={() => void loadMoreResults()}
              >
                {results().loadingMore ? 'Loading…' : 'Load more results'}
              </button>
            </div>
          </Show>
        </Show>
      </div>
    </section>
  );
}

function countText(status: SearchStatus, count: number, more: boolean): string {
  if (status !== 'ready' || count === 0) return '';
  return `${count}${more ? '+' : ''} result${count === 1 && !more ? '' : 's'}`;
}
