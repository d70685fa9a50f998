import { type JSX, Show } from 'solid-js';

export interface TextFieldProps {
  name: string;
  label: string;
  type?: 'text' | 'password' | 'search';
  autocomplete: JSX.HTMLAutocomplete;
  value: string;
  onInput(value: string): void;
  error?: string | undefined;
  hint?: string;
  autofocus?: boolean;
}

/** A labelled input with its error (or hint) underneath, tied together for screen readers. */
export function TextField(props: TextFieldProps) {
  const id = () => `field-${props.name}`;
  const describedBy = () => (props.error ? `${id()}-error` : props.hint ? `${id()}-hint` : undefined);
  return (
    <div class="field" classList={{ invalid: Boolean(props.error) }}>
      <label for={id()}>{props.label}</label>
      <input
        id={id()}
        name={props.name}
        type={props.type ?? 'text'}
        autocomplete={props.autocomplete}
        autocapitalize="off"
        spellcheck={false}
        autofocus={props.autofocus}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy()}
      />
      <Show
        when={props.error}
        fallback={
          <Show when={props.hint}>
            <p class="field-hint" id={`${id()}-hint`}>
              {props.hint}
            </p>
          </Show>
        }
      >
        <p class="field-error" id={`${id()}-error`} role="alert">
          {props.error}
        </p>
      </Show>
    </div>
  );
}
