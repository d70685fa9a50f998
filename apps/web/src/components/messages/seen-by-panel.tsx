import type { Reader, SeenBy } from '@chat/api';
import { For, Match, onCleanup, Show, Switch } from 'solid-js';
import { errorMessage } from '../../lib/form-errors';
import { dropFromSeenBy, moveSeenBy } from '../../lib/seen-by';
import { createSynced } from '../../lib/synced';
import { api } from '../../lib/trpc';
import { onEvents } from '../../stores/events';
import { keepInSync } from '../../stores/sync';
import { Avatar } from '../avatar';
import { SidePanel } from '../side-panel';

export interface SeenByPanelProps {
  chatId: string;
  messageId: string;
  onClose(): void;
  /** Opens a member's profile (from their name here). */
  onOpenProfile(userId: string): void;
}

/**
 * Who has seen one message, by name: read, received but not read yet, and
 * not received yet. Loaded when opened (groups are not told when delivery
 * alone moves), then moved on by the read receipts that arrive while open.
 */
export function SeenByPanel(props: SeenByPanelProps) {
  const seen = createSynced<SeenBy | null>(null, () => api.message.seenBy.query({ messageId: props.messageId }));
  keepInSync(seen);
  const change = (fn: (s: SeenBy) => SeenBy) => seen.update((s) => (s ? fn(s) : s));
  onCleanup(
    onEvents({
      'receipt.updated': ({ payload }) => {
        if (payload.chatId === props.chatId) change((s) => moveSeenBy(s, payload));
      },
      // Writing in the chat reads it up to one's own message (as in stores/receipts.ts).
      'message.created': ({ payload: { message } }) => {
        if (message.chatId !== props.chatId) return;
        change((s) => moveSeenBy(s, { userId: message.senderId, deliveredSeq: message.seq, readSeq: message.seq }));
      },
      'chat.member_removed': ({ payload }) => {
        if (payload.chatId === props.chatId) change((s) => dropFromSeenBy(s, payload.userId));
      },
    }),
  );

  return (
    <SidePanel title="Seen by" onClose={props.onClose} takeFocus>
      <Switch>
        <Match when={seen.value()}>
          {(s) => (
            <div class="seen-by" data-testid="seen-by">
              <Show
                when={s().read.length + s().delivered.length + s().waiting.length > 0}
                fallback={<p class="muted">No one else is in this chat yet.</p>}
              >
                <ReaderList
                  title="Read by"
                  people={s().read}
                  empty="No one has read it yet."
                  onOpen={props.onOpenProfile}
                />
                <ReaderList
                  title="Delivered to"
                  note="Received, not read yet"
                  people={s().delivered}
                  onOpen={props.onOpenProfile}
                />
                <ReaderList
                  title="Not delivered yet"
                  note="Not on any of their devices yet"
                  people={s().waiting}
                  onOpen={props.onOpenProfile}
                />
              </Show>
            </div>
          )}
        </Match>
        <Match when={seen.status() === 'failed'}>
          <div class="list-problem" role="alert">
            <p>Could not load who has seen it. {errorMessage(seen.error())}</p>
            <button type="button" class="button small" onClick={() => void seen.reload()}>
              Try again
            </button>
          </div>
        </Match>
        <Match when={true}>
          <div class="timeline-note" aria-busy="true">
            <span class="spinner" aria-hidden="true" />
            <span class="visually-hidden">Loading…</span>
          </div>
        </Match>
      </Switch>
    </SidePanel>
  );
}

/** One of the three lists, with its count; an empty one says so, or is left out when it has nothing to say. */
function ReaderList(props: {
  title: string;
  note?: string;
  people: Reader[];
  empty?: string;
  onOpen(userId: string): void;
}) {
  const id = `seen-${props.title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <Show when={props.people.length > 0 || props.empty}>
      <section class="panel-section" aria-labelledby={id}>
        <h3 id={id}>
          {props.title} <span class="count">{props.people.length}</span>
        </h3>
        <Show when={props.note && props.people.length > 0}>
          <p class="muted small-note">{props.note}</p>
        </Show>
        <Show when={props.people.length > 0} fallback={<p class="muted">{props.empty}</p>}>
          <ul class="people compact" aria-label={props.title}>
            <For each={props.people}>
              {(reader) => (
                <li class="person">
                  <button type="button" class="person-open" onClick={() => props.onOpen(reader.id)}>
                    {/* Named by its text, the visible name included (WCAG 2.5.3). */}
                    <span class="visually-hidden">View profile of </span>
                    <Avatar name={reader.displayName} />
                    <span class="person-names">
                      <span class="display-name" title={reader.displayName}>
                        {reader.displayName}
                      </span>
                      <span class="username">@{reader.username}</span>
                    </span>
                  </button>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
    </Show>
  );
}
