import { createResource, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { type EmojiEntry, FREQUENT_EMOJI, loadAllEmoji, searchEmoji } from '../../lib/emoji';

export interface EmojiPickerProps {
  /** Where it opens: next to this element (the button that opened it). */
  anchor: HTMLElement;
  onPick(emoji: string): void;
  onClose(): void;
}

const WIDTH = 320;
const HEIGHT = 340;

function EmojiButton(props: { entry: EmojiEntry; onPick(emoji: string): void }) {
  return (
    <button
      type="button"
      class="emoji-option"
      aria-label={props.entry.name}
      title={props.entry.name}
      onClick={() => props.onPick(props.entry.emoji)}
    >
      {props.entry.emoji}
    </button>
  );
}

/**
 * Choosing a reaction: the frequent ones first, then every emoji, searchable
 * by name (the full set loads on first opening). Placed in the viewport next
 * to its button; Escape or a click elsewhere closes it, focus goes back.
 */
export function EmojiPicker(props: EmojiPickerProps) {
  let panel: HTMLDivElement | undefined;
  let search: HTMLInputElement | undefined;
  const [query, setQuery] = createSignal('');
  const [all] = createResource(loadAllEmoji);
  const results = () => searchEmoji(all() ?? [], query());

  // Read once: after closing, the owner's <Show> no longer has an anchor to give.
  const anchor = props.anchor;
  const rect = anchor.getBoundingClientRect();
  const left = Math.max(8, Math.min(window.innerWidth - WIDTH - 8, rect.right - WIDTH));
  const below = rect.bottom + 6 + HEIGHT <= window.innerHeight;
  const top = below ? rect.bottom + 6 : Math.max(8, rect.top - 6 - HEIGHT);

  // The focus goes back first: a message row keeps its actions (and so the anchor) while the focus is in it.
  const close = () => {
    if (anchor.isConnected) anchor.focus();
    props.onClose();
  };
  const pick = (emoji: string) => {
    props.onPick(emoji);
    close();
  };

  onMount(() => {
    // Placed through the CSSOM: a `style` attribute (what Solid writes for a constant style
    // object) is inline style, which the Content-Security-Policy refuses (style-src 'self').
    if (panel) {
      panel.style.left = `${left}px`;
      panel.style.top = `${top}px`;
      panel.style.width = `${WIDTH}px`;
      panel.style.height = `${HEIGHT}px`;
    }
    search?.focus();
    const outside = (e: PointerEvent) => {
      if (panel && e.target instanceof Node && !panel.contains(e.target) && !anchor.contains(e.target)) props.onClose();
    };
    document.addEventListener('pointerdown', outside, true);
    onCleanup(() => document.removeEventListener('pointerdown', outside, true));
  });

  return (
    <div
      ref={panel}
      class="emoji-picker"
      role="dialog"
      aria-label="Add reaction"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          close();
        }
      }}
    >
      <fieldset class="emoji-frequent">
        <legend class="visually-hidden">Frequently used</legend>
        <For each={FREQUENT_EMOJI}>{(entry) => <EmojiButton entry={entry} onPick={pick} />}</For>
      </fieldset>
      <input
        ref={search}
        class="emoji-search"
        type="search"
        placeholder="Search emoji"
        aria-label="Search emoji"
        value={query()}
        onInput={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={(e) => {
          const first = results()[0];
          if (e.key === 'Enter' && first && query().trim()) {
            e.preventDefault();
            pick(first.emoji);
          }
        }}
      />
      <fieldset class="emoji-all">
        <legend class="visually-hidden">{query().trim() ? 'Search results' : 'All emoji'}</legend>
        <Show when={!all.loading} fallback={<p class="emoji-note">Loading emoji…</p>}>
          <Show
            when={!all.error}
            fallback={<p class="emoji-note">Could not load the emoji list. The frequent ones are above.</p>}
          >
            <Show when={results().length > 0} fallback={<p class="emoji-note">No emoji found.</p>}>
              <For each={results()}>{(entry) => <EmojiButton entry={entry} onPick={pick} />}</For>
            </Show>
          </Show>
        </Show>
      </fieldset>
    </div>
  );
}
