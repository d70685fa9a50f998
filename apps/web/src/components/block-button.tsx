/**
 * Block or unblock someone (docs/blocking.md): "Block" asks first, in the
 * person's own words, what it does; "Unblock" does it at once (nothing is
 * lost by it). Used in profile panels, the one-to-one chat's banner and
 * menu, and Settings.
 */
import type { Profile } from '@chat/api';
import { createSignal, Show } from 'solid-js';
import { errorMessage } from '../lib/form-errors';
import { blockPerson, isBlocked, unblockPerson } from '../stores/blocks';
import { ConfirmDialog } from './confirm-dialog';

/** The confirmation before blocking `person`. */
export function BlockDialog(props: { person: Profile; onClose(): void }) {
  return (
    <ConfirmDialog
      title={`Block ${props.person.displayName}?`}
      message={
        <>
          <p>
            {props.person.displayName} (@{props.person.username}) will no longer be your contact, and cannot message
            you, send you a contact request or add you to a group.
          </p>
          <p class="block-note">
            They are not told. Your one-to-one chat stays, read-only; in groups you share, you still see each other's
            messages. You can unblock them at any time, here or in Settings.
          </p>
        </>
      }
      confirmLabel="Block"
      danger
      onConfirm={() => blockPerson(props.person)}
      onClose={props.onClose}
    />
  );
}

/** "Block" (with its confirmation) or "Unblock", for the person shown. */
export function BlockButton(props: { person: Profile; class?: string; named?: boolean }) {
  /** Where several people's buttons share a list, each says whose it is. */
  const whose = (verb: string) => (props.named ? `${verb} ${props.person.displayName}` : undefined);
  const [asking, setAsking] = createSignal(false);
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const unblock = async () => {
    setPending(true);
    setError(null);
    try {
      await unblockPerson(props.person.id);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setPending(false);
    }
  };
  return (
    <>
      <Show
        when={isBlocked(props.person.id)}
        fallback={
          <button
            type="button"
            class={props.class ?? 'button quiet-danger'}
            aria-label={whose('Block')}
            onClick={() => setAsking(true)}
          >
            Block
          </button>
        }
      >
        <button
          type="button"
          class={props.class ?? 'button'}
          aria-label={whose('Unblock')}
          disabled={pending()}
          onClick={() => void unblock()}
        >
          {pending() ? 'Unblocking…' : 'Unblock'}
        </button>
      </Show>
      <Show when={error()}>
        <p class="form-error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={asking()}>
        <BlockDialog person={props.person} onClose={() => setAsking(false)} />
      </Show>
    </>
  );
}
