import { createEffect, createSignal, For, on, onMount, Show } from 'solid-js';
import type { Mark } from '../../lib/compose-marks';
import { comboLabel, detectPlatform, type Key } from '../../lib/keys';
import {
  completeMention,
  type Mentionable,
  type MentionQuery,
  mentionQuery,
  mentionSuggestions,
} from '../../lib/mention-complete';
import type { Attachment } from '../../lib/outbox-queue';
import { quoteText, type ReplyQuote } from '../../lib/reply-quote';
import { currentUser } from '../../stores/session';
import { filesOf, MAX_ATTACHMENTS, type UploadTray } from '../../stores/uploads';
import { Icon } from '../icons';
import { LENGTH_WARNING_FROM, MESSAGE_MAX_LENGTH } from './limits';
import { createMarkEditing } from './mark-editing';
import { shouldFocusOnOpen } from './open-focus';
import { UploadList } from './upload-list';

/** What was typed and not sent, per chat, for as long as the tab lives. */
const drafts = new Map<string, string>();

export interface ComposerProps {
  chatId: string;
  /** "Message Bob". */
  placeholder: string;
  /** Why the user cannot write here (the server's words), or null. */
  blocked: string | null;
  /** Images and files being attached (the pane adds dropped ones too). */
  tray: UploadTray;
  /** The message being replied to, and its author's name; null when not replying. */
  replyingTo?: { quote: ReplyQuote; author: string } | null;
  /** The reply's cancel button, or Escape in the box. */
  onCancelReply?(): void;
  onSend(body: string, attachments: Attachment[]): void;
  onTyping(): void;
  /** ↑ in the empty box: edit one's last message; false when there is none. */
  onEditLast?(): boolean;
  /** Groups: the members an `@` may name, suggested as it is typed (with `@all`). */
  mentionable?: (() => readonly Mentionable[]) | undefined;
}

const MARK_BUTTONS: { mark: Mark; label: string; keys: Key[]; glyph: string }[] = [
  { mark: 'bold', label: 'Bold', keys: ['Mod', 'B'], glyph: 'B' },
  { mark: 'italic', label: 'Italic', keys: ['Mod', 'I'], glyph: 'I' },
  { mark: 'strike', label: 'Strikethrough', keys: ['Mod', 'Shift', 'X'], glyph: 'S' },
  { mark: 'code', label: 'Code', keys: ['Mod', 'E'], glyph: '</>' },
];

const bare = (e: KeyboardEvent) => !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey && !e.isComposing;

/** Ctrl (Cmd on a Mac) + this key toggles the mark. */
function shortcutMark(e: KeyboardEvent): Mark | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const key = e.key.toLowerCase();
  if (key === 'b' && !e.shiftKey) return 'bold';
  if (key === 'i' && !e.shiftKey) return 'italic';
  if (key === 'x' && e.shiftKey) return 'strike';
  if (key === 'e' && !e.shiftKey) return 'code';
  return null;
}

const charactersOver = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'character' : 'characters'}`;

/**
 * Writing a message: Enter sends, Shift+Enter starts a new line; marks by the
 * toolbar or shortcuts; images and files picked, pasted or dropped (on the pane) upload
 * at once, and a message sent while they upload goes when they are done.
 */
export function Composer(props: ComposerProps) {
  const [text, setText] = createSignal(drafts.get(props.chatId) ?? '');
  /** Send was pressed while images were uploading: send when they are done. */
  const [waiting, setWaiting] = createSignal(false);
  let field: HTMLTextAreaElement | undefined;
  let picker: HTMLInputElement | undefined;
  const platform = detectPlatform();
  // Opening a chat (a click, the switcher, Alt+↑/↓, its address) is to write in it, on a desktop.
  onMount(() => {
    if (shouldFocusOnOpen()) field?.focus({ preventScroll: true });
  });

  const fit = () => {
    if (!field) return;
    field.style.height = 'auto';
    field.style.height = `${Math.min(field.scrollHeight, 200)}px`;
  };
  const change = (value: string) => {
    setText(value);
    if (value) drafts.set(props.chatId, value);
    else drafts.delete(props.chatId);
    fit();
  };
  createEffect(on(() => props.blocked, fit));
  // Reply pressed on a message: write the reply.
  createEffect(
    on(
      () => props.replyingTo?.quote.messageId,
      (id) => {
        if (id) field?.focus();
      },
      { defer: true },
    ),
  );

  const length = () => text().length;
  const tooLong = () => length() > MESSAGE_MAX_LENGTH;
  const hasImages = () => props.tray.items().some((u) => u.status !== 'failed');
  const canSend = () => !props.blocked && (text().trim().length > 0 || hasImages()) && !tooLong();

  const sendNow = () => {
    setWaiting(false);
    const attachments = props.tray.ready();
    if (!text().trim() && attachments.length === 0) return;
    props.onSend(text(), attachments);
    props.tray.clear();
    marks.reset();
    change('');
  };
  const send = () => {
    if (!canSend()) return;
    if (props.tray.busy()) setWaiting(true);
    else sendNow();
    field?.focus();
  };
  // Sent while uploading: goes once the last upload has finished (or was cancelled).
  // If one was refused meanwhile, wait for the user to see why and press Send again.
  createEffect(() => {
    if (!waiting() || props.tray.busy()) return;
    if (props.tray.items().some((u) => u.status === 'failed')) setWaiting(false);
    else sendNow();
  });

  // The `@name` being typed, its suggestions and the one the arrows are on.
  const [typing, setTyping] = createSignal<MentionQuery | null>(null);
  const [active, setActive] = createSignal(0);
  const suggestions = () => {
    const at = typing();
    const members = props.mentionable?.();
    if (!at || !members) return [];
    return mentionSuggestions(members, at.query, currentUser()?.id, true);
  };
  const followCaret = () => {
    if (!field || !props.mentionable) return;
    const at = field.selectionStart === field.selectionEnd ? mentionQuery(field.value, field.selectionStart) : null;
    if (at?.start !== typing()?.start || at?.query !== typing()?.query) setActive(0);
    setTyping(at);
  };
  const pick = (who: Mentionable) => {
    const at = typing();
    if (!field || !at) return;
    const done = completeMention(field.value, field.selectionStart, at, who.username);
    change(done.text);
    field.value = done.text;
    field.setSelectionRange(done.caret, done.caret);
    setTyping(null);
    field.focus();
  };
  /** Arrows, Enter, Tab and Escape while suggestions show; true when the key was theirs. */
  const suggestionKey = (e: KeyboardEvent): boolean => {
    const list = suggestions();
    if (list.length === 0 || e.isComposing) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + list.length) % list.length);
    } else if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey) {
      pick(list[Math.min(active(), list.length - 1)] as Mentionable);
    } else if (e.key === 'Escape') {
      setTyping(null);
      e.stopPropagation();
    } else return false;
    e.preventDefault();
    return true;
  };

  const marks = createMarkEditing({
    field: () => field,
    blocked: () => Boolean(props.blocked),
    onChange: change,
  });
  const applyMark = marks.apply;

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <Show when={props.blocked}>
        <p class="composer-blocked" role="note">
          {props.blocked}
        </p>
      </Show>
      <Show when={!props.blocked && props.replyingTo}>
        {(replying) => (
          <div class="composer-reply" data-testid="replying-to">
            <p class="composer-reply-text">
              Replying to <strong>{replying().author}</strong>: <span>{quoteText(replying().quote)}</span>
            </p>
            <button
              type="button"
              class="icon-button"
              aria-label="Cancel reply"
              title="Cancel reply (Esc)"
              onClick={() => {
                props.onCancelReply?.();
                field?.focus();
              }}
            >
              <Icon name="close" size={16} />
            </button>
          </div>
        )}
      </Show>
      <UploadList tray={props.tray} />
      <Show when={waiting()}>
        <p class="composer-note" role="status">
          Sending once the images have uploaded…
        </p>
      </Show>
      <div class="composer-tools" role="toolbar" aria-label="Formatting">
        <For each={MARK_BUTTONS}>
          {(b) => (
            <button
              type="button"
              class={`tool-button tool-${b.mark}`}
              aria-label={b.label}
              aria-pressed={marks.pressed(b.mark)}
              title={`${b.label} (${comboLabel(b.keys, platform)})`}
              disabled={Boolean(props.blocked)}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => applyMark(b.mark)}
            >
              {b.glyph}
            </button>
          )}
        </For>
        <span class="tool-gap" />
        <button
          type="button"
          class="tool-button"
          aria-label="Attach images or files"
          title={`Attach images or files (up to ${MAX_ATTACHMENTS}; or paste, or drop them here)`}
          disabled={Boolean(props.blocked)}
          onClick={() => picker?.click()}
        >
          <Icon name="paperclip" size={18} />
        </button>
        <input
          ref={picker}
          type="file"
          class="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="image-picker"
          multiple
          onChange={(e) => {
            props.tray.add([...(e.currentTarget.files ?? [])]);
            e.currentTarget.value = '';
          }}
        />
      </div>
      <div class="composer-row">
        <Show when={suggestions().length > 0}>
          <div
            class="mention-suggestions"
            id={`mentions-${props.chatId}`}
            role="listbox"
            aria-label="People to mention"
          >
            <For each={suggestions()}>
              {(who, i) => (
                // biome-ignore lint/a11y/useKeyWithClickEvents: the keys are read by the message box, which names this option as active
                <div
                  id={`mention-${props.chatId}-${who.id}`}
                  role="option"
                  tabIndex={-1}
                  class="mention-suggestion"
                  aria-selected={i() === active()}
                  classList={{ active: i() === active() }}
                  onMouseMove={() => setActive(i())}
                  // Keeps the focus in the box: the click picks.
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => pick(who)}
                >
                  <span class="mention-suggestion-name">{who.displayName}</span>
                  <span class="muted">@{who.username}</span>
                </div>
              )}
            </For>
          </div>
        </Show>
        <textarea
          ref={field}
          data-composer
          aria-label="Message"
          placeholder={props.placeholder}
          rows={1}
          value={text()}
          disabled={Boolean(props.blocked)}
          aria-invalid={tooLong()}
          aria-describedby={length() >= LENGTH_WARNING_FROM ? `count-${props.chatId}` : undefined}
          aria-autocomplete={props.mentionable ? 'list' : undefined}
          aria-controls={suggestions().length > 0 ? `mentions-${props.chatId}` : undefined}
          aria-activedescendant={
            suggestions().length > 0
              ? `mention-${props.chatId}-${suggestions()[Math.min(active(), suggestions().length - 1)]?.id}`
              : undefined
          }
          onInput={(e) => {
            change(e.currentTarget.value);
            followCaret();
            if (e.currentTarget.value.trim()) props.onTyping();
          }}
          onKeyUp={(e) => {
            if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') followCaret();
          }}
          onClick={followCaret}
          onBlur={() => setTyping(null)}
          onBeforeInput={(e) => marks.onBeforeInput(e)}
          onPaste={(e) => {
            const files = filesOf(e.clipboardData);
            if (files.length === 0) return;
            e.preventDefault();
            props.tray.add(files);
          }}
          onKeyDown={(e) => {
            if (suggestionKey(e)) return;
            const mark = shortcutMark(e);
            if (mark) {
              e.preventDefault();
              applyMark(mark);
            } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              send();
            } else if (e.key === 'Escape' && bare(e) && props.replyingTo) {
              e.preventDefault();
              e.stopPropagation();
              props.onCancelReply?.();
            } else if (e.key === 'ArrowUp' && bare(e) && !text() && props.tray.items().length === 0) {
              if (props.onEditLast?.()) e.preventDefault();
            }
          }}
        />
        <button
          type="submit"
          class="send-button"
          aria-label="Send"
          title="Send (Enter)"
          disabled={!canSend() || waiting()}
        >
          <Icon name="send" size={18} />
        </button>
      </div>
      <Show when={length() >= LENGTH_WARNING_FROM}>
        <p id={`count-${props.chatId}`} class="char-count" classList={{ over: tooLong() }} aria-live="polite">
          {tooLong()
            ? `${charactersOver(length() - MESSAGE_MAX_LENGTH)} too long (at most ${MESSAGE_MAX_LENGTH.toLocaleString()})`
            : `${length().toLocaleString()} / ${MESSAGE_MAX_LENGTH.toLocaleString()}`}
        </p>
      </Show>
    </form>
  );
}
