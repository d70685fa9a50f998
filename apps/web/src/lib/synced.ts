import { type Accessor, createSignal } from 'solid-js';

export type SyncedStatus = 'idle' | 'loading' | 'ready' | 'failed';

/** A change to synced state. It must be idempotent: it may be applied twice (see `update`). */
export type Change<T> = (value: T) => T;

export interface Synced<T> {
  value: Accessor<T>;
  status: Accessor<SyncedStatus>;
  /** Why the last load failed (while `status` is 'failed'). */
  error: Accessor<unknown>;
  /** Loads afresh. A newer load supersedes an older one still in flight. */
  reload(): Promise<void>;
  /** Applies a change now, and again on top of any load still in flight. */
  update(change: Change<T>): void;
  /** Forgets everything (signed out): back to the empty value. */
  reset(): void;
}

/**
 * A piece of server state kept current in the browser: loaded by a query,
 * then changed in place by stream events and by the results of the user's own
 * actions. A load may have read the database before an event that arrives
 * while it is in flight, so the changes made during a load are replayed on
 * its result: a load never undoes a newer event.
 */
export function createSynced<T>(empty: T, load: () => Promise<T>): Synced<T> {
  const [value, setValue] = createSignal<T>(empty);
  const [status, setStatus] = createSignal<SyncedStatus>('idle');
  const [error, setError] = createSignal<unknown>(null);
  let generation = 0;
  /** Changes made since the oldest load in flight started; null when none is. */
  let replay: Change<T>[] | null = null;

  async function reload(): Promise<void> {
    const mine = ++generation;
    replay ??= [];
    if (status() !== 'ready') setStatus('loading');
    try {
      const loaded: T = await load();
      if (mine !== generation) return;
      const changes = replay ?? [];
      replay = null;
      setValue(() => changes.reduce<T>((v, change) => change(v), loaded));
      setError(null);
      setStatus('ready');
    } catch (failure) {
      if (mine !== generation) return;
      replay = null;
      setError(failure);
      setStatus('failed');
    }
  }

  function update(change: Change<T>): void {
    setValue(() => change(value()));
    replay?.push(change);
  }

  function reset(): void {
    generation++;
    replay = null;
    setValue(() => empty);
    setError(null);
    setStatus('idle');
  }

  return { value, status, error, reload, update, reset };
}
