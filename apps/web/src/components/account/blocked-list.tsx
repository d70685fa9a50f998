import { For, Show } from 'solid-js';
import { blockedPeople, blockedStatus } from '../../stores/blocks';
import { Avatar } from '../avatar';
import { BlockButton } from '../block-button';

const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** Settings' "Blocked people": whom the user blocked, each with "Unblock" (docs/blocking.md). */
export function BlockedList() {
  return (
    <Show
      when={blockedPeople().length > 0}
      fallback={<p class="muted">{blockedStatus() === 'ready' ? 'You have not blocked anyone.' : 'Loading…'}</p>}
    >
      <ul class="blocked-list" aria-label="Blocked people">
        <For each={blockedPeople()}>
          {(b) => (
            <li class="blocked-row">
              <Avatar name={b.user.displayName} />
              <div class="blocked-info">
                <strong>{b.user.displayName}</strong>
                <span class="muted">
                  @{b.user.username} · blocked {day.format(b.at)}
                </span>
              </div>
              <BlockButton person={b.user} class="button small" named />
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
