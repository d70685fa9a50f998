import type { Profile } from '@chat/api';
import { createSignal, For, Show } from 'solid-js';
import { Avatar } from './avatar';

export interface MemberPickerProps {
  /** Who can be picked (the user's contacts, less anyone already in). */
  people: Profile[];
  selected: ReadonlySet<string>;
  onToggle(userId: string): void;
  /** Shown when there is nobody to pick at all. */
  emptyText: string;
}

const matches = (p: Profile, query: string) =>
  !query || p.displayName.toLowerCase().includes(query) || p.username.toLowerCase().includes(query);

/** A searchable list of checkboxes, one per person. */
export function MemberPicker(props: MemberPickerProps) {
  const [query, setQuery] = createSignal('');
  const shown = () => props.people.filter((p) => matches(p, query().trim().toLowerCase()));
  return (
    <fieldset class="picker">
      <legend>
        Members <span class="muted">({props.selected.size} chosen)</span>
      </legend>
      <Show when={props.people.length > 0} fallback={<p class="muted">{props.emptyText}</p>}>
        <input
          type="search"
          class="picker-search"
          placeholder="Search contacts"
          aria-label="Search contacts"
          autocomplete="off"
          value={query()}
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
        <ul class="picker-list">
          <For each={shown()} fallback={<li class="muted picker-none">Nobody matches “{query().trim()}”.</li>}>
            {(person) => (
              <li>
                <label class="picker-item">
                  <input
                    type="checkbox"
                    checked={props.selected.has(person.id)}
                    onChange={() => props.onToggle(person.id)}
                  />
                  <Avatar name={person.displayName} size="small" />
                  <span class="person-names">
                    <span class="display-name">{person.displayName}</span>
                    <span class="username">@{person.username}</span>
                  </span>
                </label>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </fieldset>
  );
}

/** The selection state a picker's owner keeps. */
export function createSelection() {
  const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set());
  const toggle = (id: string) => {
    const next = new Set<string>(selected());
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  return { selected, toggle, clear: () => setSelected(new Set<string>()) };
}
