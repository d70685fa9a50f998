import type { Profile } from '@chat/api';
import { For, type JSX, type ParentProps, Show } from 'solid-js';
import { Avatar } from '../avatar';
import { AvatarWithPresence } from '../presence';

export interface PersonRowProps {
  person: Profile;
  /** Small labels after the name ("Owner", "You"). */
  tags?: string[];
  /** After the username ("Waiting for an answer"). */
  note?: string | undefined;
  error?: string | null;
  busy?: boolean;
  /** The avatar carries the online dot (lists where presence orders the rows). */
  presence?: boolean;
  /** Avatar and names become one button that opens the person's profile. */
  onOpen?: (() => void) | undefined;
}

/** One person in a list: avatar, names, tags, an optional note, and their buttons on the right. */
export function PersonRow(props: ParentProps<PersonRowProps>) {
  const who = (): JSX.Element => (
    <>
      <Show when={props.presence} fallback={<Avatar name={props.person.displayName} />}>
        <AvatarWithPresence name={props.person.displayName} userId={props.person.id} />
      </Show>
      <span class="person-names">
        <span class="person-title">
          <span class="display-name" title={props.person.displayName}>
            {props.person.displayName}
          </span>
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
    </>
  );
  return (
    <li class="person" aria-busy={props.busy ? 'true' : undefined}>
      <Show when={props.onOpen} fallback={who()}>
        {(open) => (
          <button type="button" class="person-open" onClick={() => open()()}>
            {/* Named by its text (the visible name, then the username), so what is seen is what is said. */}
            <span class="visually-hidden">View profile of </span>
            {who()}
          </button>
        )}
      </Show>
      <span class="person-actions">{props.children}</span>
    </li>
  );
}
