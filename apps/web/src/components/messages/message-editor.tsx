import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import { errorMessage } from '../../lib/form-errors';
import { MESSAGE_MAX_LENGTH } from './limits';

/** Editing one's own message in place: Enter saves, Shift+Enter is a new line, Escape cancels. */
export function MessageEditor(props: { body: string; onSave(body: string): Promise<void>; onCancel(): void }) {
  const [text, setText] = createSignal(props.body);
  const [saving, setSaving] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let field: HTMLTextAreaElement | undefined;
  let form: HTMLFormElement | undefined;
  onMount(() => {
    // Opened by ↑ from the composer, the focus goes back there when done (saved or not), ready to type.
    const opener = document.activeElement;
    field?.focus();
    field?.setSelectionRange(text().length, text().length);
    onCleanup(() => {
      const active = document.activeElement;
      const stillHere = !active || active === document.body || Boolean(form?.contains(active));
      if (stillHere && opener instanceof HTMLElement && opener.isConnected) opener.focus();
    });
  });

  const save = async () => {
    const body = text();
    if (!body.trim()) return setError('A message cannot be empty. Delete it instead.');
    if (body.length > MESSAGE_MAX_LENGTH) return setError(`At most ${MESSAGE_MAX_LENGTH} characters.`);
    if (body === props.body) return props.onCancel();
    setSaving(true);
    setError(null);
    try {
      await props.onSave(body);
    } catch (failure) {
      setError(errorMessage(failure));
      setSaving(false);
    }
  };

  return (
    <form
      ref={form}
      class="message-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <textarea
        ref={field}
        aria-label="Edit message"
        value={text()}
        rows={Math.min(8, text().split('\n').length)}
        disabled={saving()}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            props.onCancel();
          } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void save();
          }
        }}
      />
      <Show when={error()}>
        <p class="field-error" role="alert">
          {error()}
        </p>
      </Show>
      <div class="message-editor-actions">
        <button type="button" class="button small" onClick={() => props.onCancel()}>
          Cancel
        </button>
        <button type="submit" class="button small primary" disabled={saving()}>
          Save
        </button>
      </div>
    </form>
  );
}
