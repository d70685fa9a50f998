import { createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { errorMessage } from '../../lib/form-errors';
import { lastSeenText } from '../../lib/time';
import { api } from '../../lib/trpc';
import { onEvents } from '../../stores/events';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * The user's signed-in sessions (this one first), with "Sign out" for each
 * other one and for all others. Reloads when a session ends anywhere.
 */
export function SessionsList(props: { version?: number }) {
  const [sessions, { refetch }] = createResource(
    () => props.version ?? 0,
    () => api.account.sessions.query(),
  );
  const [busy, setBusy] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);

  onCleanup(onEvents({ 'session.ended': () => void refetch() }));

  const act = async (key: string, action: () => Promise<unknown>) => {
    setBusy(key);
    setError(null);
    try {
      await action();
      await refetch();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const others = () => (sessions() ?? []).filter((s) => !s.current);

  return (
    <div class="sessions" aria-busy={sessions.loading}>
      <Show when={sessions.error}>
        <p class="form-error" role="alert">
          {errorMessage(sessions.error)}
        </p>
      </Show>
      <ul class="session-list">
        <For each={sessions()}>
          {(s) => (
            <li class="session-row" data-session={s.current ? 'current' : 'other'}>
              <div class="session-info">
                <strong>{s.device}</strong>
                <Show when={s.current}>
                  <span class="session-current">This device</span>
                </Show>
                <span class="muted" title={s.userAgent}>
                  {s.ipAddress} · signed in {dateTime.format(s.createdAt)} · active {lastSeenText(s.lastActiveAt)}
                </span>
              </div>
              <Show when={!s.current}>
                <button
                  type="button"
                  class="button small quiet-danger"
                  disabled={busy() !== null}
                  aria-label={`Sign out ${s.device}`}
                  onClick={() => act(s.id, () => api.account.signOut.mutate({ sessionId: s.id }))}
                >
                  {busy() === s.id ? 'Signing out…' : 'Sign out'}
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={error()}>
        {(message) => (
          <p class="form-error" role="alert">
            {message()}
          </p>
        )}
      </Show>
      <div class="form-row">
        <button
          type="button"
          class="button danger"
          disabled={busy() !== null || others().length === 0}
          onClick={() => act('others', () => api.account.signOutOthers.mutate())}
        >
          {busy() === 'others' ? 'Signing out…' : 'Sign out all other sessions'}
        </button>
      </div>
    </div>
  );
}
