import { Show } from 'solid-js';
import { EmptyState, PaneHeader } from '../components/pane';
import { SearchHelp } from '../components/search/search-help';
import { hasQuery } from '../lib/search-url';
import { usePageTitle } from '../lib/title';
import { searchResults } from '../stores/search';

/**
 * `/search?q=…`: the results are in the left column (components/search); this
 * pane, beside them on a wide window, says what to do with them and what can
 * be written. On a narrow window the left column alone shows.
 */
export default function SearchPage() {
  const q = () => searchResults().params.q;
  usePageTitle(() => (hasQuery(q()) ? `Search: ${q()}` : 'Search'));
  return (
    <>
      <PaneHeader title="Search" subtitle={hasQuery(q()) ? `Results for “${q().trim()}”` : 'Every chat you are in'} />
      <div class="pane-body centered">
        <EmptyState icon="search" title="Search your chats">
          <Show when={hasQuery(q())} fallback={<p>Type in the box on the left: results show as you type.</p>}>
            <p>Pick a result on the left to open it in its chat. Esc goes back to your chats.</p>
          </Show>
          <SearchHelp />
        </EmptyState>
      </div>
    </>
  );
}
