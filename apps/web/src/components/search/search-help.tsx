import { For } from 'solid-js';

/** The search language (packages/api/src/domain/search/parse.ts), one example each. */
export const SEARCH_OPERATORS: readonly { example: string; meaning: string }[] = [
  { example: 'budget report', meaning: 'messages with all these words (the last also as the start of a word)' },
  { example: 'plan*', meaning: 'words starting with “plan”' },
  { example: '"release date"', meaning: 'these words together, in this order' },
  { example: '-draft', meaning: 'leave out messages with this word' },
  { example: 'from:@alice', meaning: 'sent by alice' },
  { example: 'in:@alice', meaning: 'in your chat with alice' },
  { example: 'in:"Design team"', meaning: 'in this group' },
  { example: 'after:2024-05-01', meaning: 'from this day on' },
  { example: 'before:2024-06-01', meaning: 'before this day' },
  { example: 'has:image', meaning: 'with an image' },
];

/** What can be written in the search box. */
export function SearchHelp(props: { id?: string }) {
  return (
    <dl class="search-help" id={props.id}>
      <For each={SEARCH_OPERATORS}>
        {(op) => (
          <div class="search-help-row">
            <dt>
              <code>{op.example}</code>
            </dt>
            <dd>{op.meaning}</dd>
          </div>
        )}
      </For>
    </dl>
  );
}
