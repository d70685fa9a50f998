import { For, Show } from 'solid-js';
import { type ReactionView, whoReacted } from '../../lib/reactions';

export interface ReactionBarProps {
  reactions: ReactionView[];
  myId: string;
  nameOf(userId: string): string;
  /** Put (`on`) or take away the user's own `emoji`. */
  onToggle(emoji: string, on: boolean): void;
}

/** Each emoji on a message with its count; the user's own pressed; the title names who. */
export function ReactionBar(props: ReactionBarProps) {
  return (
    <Show when={props.reactions.length > 0}>
      <ul class="reactions" aria-label="Reactions">
        {/* Keyed by emoji, so a chip (and its focus) stays while its count changes. */}
        <For each={props.reactions.map((r) => r.emoji)}>
          {(emoji) => {
            const reaction = () => props.reactions.find((r) => r.emoji === emoji) ?? { emoji, userIds: [] };
            const mine = () => reaction().userIds.includes(props.myId);
            const who = () => whoReacted(reaction(), props.myId, props.nameOf);
            return (
              <li>
                <button
                  type="button"
                  class="reaction-chip"
                  classList={{ mine: mine() }}
                  aria-pressed={mine()}
                  // The visible emoji and count lead the name, so voice control can say what is seen.
                  aria-label={`${emoji} ${reaction().userIds.length}: ${who()}. ${mine() ? 'Remove your reaction' : 'React with this too'}`}
                  title={who()}
                  data-emoji={emoji}
                  onClick={() => props.onToggle(emoji, !mine())}
                >
                  <span class="reaction-emoji" aria-hidden="true">
                    {emoji}
                  </span>
                  <span class="reaction-count" aria-hidden="true">
                    {reaction().userIds.length}
                  </span>
                </button>
              </li>
            );
          }}
        </For>
      </ul>
    </Show>
  );
}
