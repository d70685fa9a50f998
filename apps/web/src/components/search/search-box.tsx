import { Show } from 'solid-js';
import { searchOpen, searchText } from '../../stores/search';
import { focusFirstHit } from './search-keys';
import type { SearchActions } from './use-search-routing';

export const SEARCH_INPUT_ID = 'sidebar-search';

/**
 * The box at the top of the left column. Typing searches as you type, Enter
 * at once; ↓ goes to the results; Esc (or ×) closes the search.
 */
export function SearchBox(props: { actions: SearchActions }) {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && (searchOpen() || searchText())) {
      // The browser would only empty a search field; here Esc leaves the search.
      event.preventDefault();
      props.actions.close();
    } else if (event.key === 'ArrowDown' && searchOpen()) {
      if (focusFirstHit()) event.preventDefault();
    }
  };
  return (
    <search class="search-box">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          props.actions.commit();
        }}
      >
        <label for={SEARCH_INPUT_ID} class="visually-hidden">
          Search messages
        </label>
        <div class="search-field">
          <input
            id={SEARCH_INPUT_ID}
            type="search"
            placeholder="Search messages"
            autocomplete="off"
            spellcheck={false}
            enterkeyhint="search"
            aria-controls={searchOpen() ? 'search-results' : undefined}
            value={searchText()}
            onInput={(event) => props.actions.type(event.currentTarget.value)}
            onKeyDown={onKeyDown}
          />
          <Show when={searchOpen()}>
            <button
              type="button"
              class="icon-button search-close"
              aria-label="Close search"
              title="Close search (Esc)"
              onClick={() => {
                props.actions.close();
                document.getElementById(SEARCH_INPUT_ID)?.focus();
              }}
            >
              ×
            </button>
          </Show>
        </div>
      </form>
    </search>
  );
}
