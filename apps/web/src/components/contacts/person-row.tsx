import type { Profile } from '@chat/api';
import { For, type ParentProps, Show } from 'solid-js';
import { Avatar } from '../avatar';

export interface PersonRowProps {
  person: Profile;
  /** Small labels after the name ("Owner", "You"). */
  tags?: string[];
  /** After the username ("Waiting for an answer"). */
  note?: string | undefined;
  error?: string | null;
  busy?: boolean;
}

/** One person in a list: avatar, names, tags, an optional note, and their buttons on the right. */
export function PersonRow(props: ParentProps<PersonRowProps>) {
  return (
    <li class="person" aria-busy={props.busy ? 'true' : undefined}>
      <Avatar name={props.person.displayName} />
      <span class="person-names">
        <span class="person-title">
          <span class="display-name">{props.person.displayName}</span>
          <For each={props.tags}>{(tag) => <span class="tag">{tag}</span>}</For>
        </span>
        <span class="username">
          @{props.person.username}
          <Show when={props.note}> · {props.note}</Show>
        </span>
        <Show when={props.error}>
          <span class="field-error" role="alert">
            {props.error}
          </span>
        </Show>
      </span>
      <span class="person-actions">{props.children}</span>
    </li>
  );
}
