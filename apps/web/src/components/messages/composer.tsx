import { createEffect, createSignal, on, Show } from 'solid-js';
import { Icon } from '../icons';
import { LENGTH_WARNING_FROM, MESSAGE_MAX_LENGTH } from './limits';

/** What was typed and not sent, per chat, for as long as the tab lives. */
const drafts = new Map<string, string>();

export interface ComposerProps {
  chatId: string;
  /** "Message Bob". */
  placeholder: string;
  /** Why the user cannot write here (the server's words), or null. */
  blocked: string | null;
  onSend(body: string): void;
  onTyping(): void;
}

/** Writing a message: Enter sends, Shift+Enter starts a new line. */
export function Composer(props: ComposerProps) {
  const [text, setText] = createSignal(drafts.get(props.chatId) ?? '');
  let field: HTMLTextAreaElement | undefined;

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

  const length = () => text().length;
  const tooLong = () => length() > MESSAGE_MAX_LENGTH;
  const canSend = () => !props.blocked && text().trim().length > 0 && !tooLong();

  const send = () => {
    if (!canSend()) return;
    props.onSend(text());
    change('');
    field?.focus();
  };

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
      <div class="composer-row">
        <textarea
          ref={field}
          aria-label="Message"
          placeholder={props.placeholder}
          rows={1}
          value={text()}
          disabled={Boolean(props.blocked)}
          aria-invalid={tooLong()}
          aria-describedby={length() >= LENGTH_WARNING_FROM ? `count-${props.chatId}` : undefined}
          onInput={(e) => {
            change(e.currentTarget.value);
            if (e.currentTarget.value.trim()) props.onTyping();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              send();
            }
          }}
        />
        <button type="submit" class="send-button" aria-label="Send" title="Send (Enter)" disabled={!canSend()}>
          <Icon name="send" size={18} />
        </button>
      </div>
      <Show when={length() >= LENGTH_WARNING_FROM}>
        <p id={`count-${props.chatId}`} class="char-count" classList={{ over: tooLong() }} aria-live="polite">
          {tooLong()
            ? `${(length() - MESSAGE_MAX_LENGTH).toLocaleString()} characters too long (at most ${MESSAGE_MAX_LENGTH.toLocaleString()})`
            : `${length().toLocaleString()} / ${MESSAGE_MAX_LENGTH.toLocaleString()}`}
        </p>
      </Show>
    </form>
  );
}
