import type { Profile } from '@chat/api';
import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import { type FormErrors, noErrors, toFormErrors } from '../lib/form-errors';
import { api } from '../lib/trpc';
import { onEvents } from '../stores/events';
import { applyOwnProfile, currentUser } from '../stores/session';
import { TextField } from './text-field';

const FIELDS = ['displayName', 'about'] as const;
type Field = (typeof FIELDS)[number];

/**
 * Edits the user's display name and about line. Loads the current values;
 * a change saved elsewhere (another tab) shows here unless this form has
 * unsaved edits.
 */
export function ProfileForm() {
  const [saved, setSaved] = createSignal<Profile | null>(null);
  const [displayName, setDisplayName] = createSignal('');
  const [about, setAbout] = createSignal('');
  const [errors, setErrors] = createSignal<FormErrors<Field>>(noErrors());
  const [pending, setPending] = createSignal(false);
  const [done, setDone] = createSignal(false);

  const dirty = () => {
    const s = saved();
    return s !== null && (displayName() !== s.displayName || about() !== s.about);
  };
  const take = (profile: Profile, force: boolean) => {
    if (!force && dirty()) return;
    setSaved(profile);
    setDisplayName(profile.displayName);
    setAbout(profile.about);
  };

  onMount(() => {
    api.profiles.me
      .query()
      .then((p) => take(p, false))
      .catch((error: unknown) => setErrors(toFormErrors(error, FIELDS)));
  });
  onCleanup(
    onEvents({
      'profile.updated': (e) => {
        if (e.payload.profile.id === currentUser()?.id) take(e.payload.profile, false);
      },
    }),
  );

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (pending()) return;
    setPending(true);
    setDone(false);
    setErrors(noErrors<Field>());
    try {
      const profile = await api.profiles.update.mutate({ displayName: displayName(), about: about() });
      take(profile, true);
      applyOwnProfile(profile);
      setDone(true);
    } catch (error) {
      setErrors(toFormErrors(error, FIELDS));
    } finally {
      setPending(false);
    }
  };

  return (
    <form class="form" onSubmit={submit} noValidate aria-busy={saved() === null}>
      <TextField
        name="displayName"
        label="Display name"
        autocomplete="name"
        hint="How others see you in chats and contacts."
        value={displayName()}
        onInput={(v) => {
          setDisplayName(v);
          setDone(false);
        }}
        error={errors().fields.displayName}
      />
      <TextField
        name="about"
        label="About"
        autocomplete="off"
        hint="A line about you: your role, where you are, when you are around."
        value={about()}
        onInput={(v) => {
          setAbout(v);
          setDone(false);
        }}
        error={errors().fields.about}
      />
      <Show when={errors().form}>
        {(message) => (
          <p class="form-error" role="alert">
            {message()}
          </p>
        )}
      </Show>
      <div class="form-row">
        <button type="submit" class="button primary" disabled={pending() || saved() === null || !dirty()}>
          {pending() ? 'Saving…' : 'Save profile'}
        </button>
        <Show when={done()}>
          <span class="form-ok-inline" role="status">
            Saved.
          </span>
        </Show>
      </div>
    </form>
  );
}
