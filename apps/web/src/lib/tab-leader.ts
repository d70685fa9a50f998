/**
 * One tab per browser and user notifies (and plays the sound): the leader.
 * With the Web Locks API the tab holding the lock `name` leads, and the next
 * one waiting takes over when it closes. Without it, tabs announce themselves
 * on a BroadcastChannel every few seconds and the oldest living one leads.
 * With neither, every tab leads: a notification's per-chat `tag` still folds
 * the duplicates into one, only the sound may double.
 */

export interface LeaderHandle {
  isLeader(): boolean;
  stop(): void;
}

export interface LeaderEnv {
  locks?: Pick<LockManager, 'request'> | undefined;
  channel?: ((name: string) => Pick<BroadcastChannel, 'postMessage' | 'close' | 'addEventListener'>) | undefined;
  now?: () => number;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (id: unknown) => void;
}

export const HEARTBEAT_MS = 2_000;
/** A tab not heard from for this long is gone (closed, or frozen in the background). */
export const EXPIRY_MS = 3 * HEARTBEAT_MS;

interface Beat {
  tab: string;
  born: number;
  gone?: boolean;
}

/** Starts taking part in the election for `name`; `onChange` hears this tab's leadership change. */
export function electLeader(name: string, env: LeaderEnv, onChange?: (leader: boolean) => void): LeaderHandle {
  if (env.locks) return byLock(name, env.locks, onChange);
  if (env.channel) return byHeartbeat(name, env, onChange);
  onChange?.(true);
  return { isLeader: () => true, stop: () => {} };
}

function byLock(name: string, locks: Pick<LockManager, 'request'>, onChange?: (leader: boolean) => void): LeaderHandle {
  let leader = false;
  let release: (() => void) | undefined;
  let stopped = false;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  locks
    .request(name, () => {
      if (stopped) return undefined;
      leader = true;
      onChange?.(true);
      return held; // kept until this tab closes or stops
    })
    .catch(() => {
      // Locks refused (an opaque origin): lead alone rather than never notify.
      if (stopped) return;
      leader = true;
      onChange?.(true);
    });
  return {
    isLeader: () => leader,
    stop() {
      stopped = true;
      if (leader) onChange?.(false);
      leader = false;
      release?.();
    },
  };
}

function byHeartbeat(name: string, env: LeaderEnv, onChange?: (leader: boolean) => void): LeaderHandle {
  const now = env.now ?? Date.now;
  const every = env.setInterval ?? ((fn, ms) => setInterval(fn, ms));
  const cancel = env.clearInterval ?? ((id) => clearInterval(id as ReturnType<typeof setInterval>));
  // biome-ignore lint/style/noNonNullAssertion: checked by the caller
  const channel = env.channel!(name);
  const me: Beat = { tab: Math.random().toString(36).slice(2), born: now() };
  const others = new Map<string, { born: number; heard: number }>();
  let leader = false;

  const elect = () => {
    const t = now();
    // A new tab listens for one heartbeat first: it must not lead before hearing older tabs.
    if (t - me.born < HEARTBEAT_MS) return;
    for (const [tab, o] of others) if (t - o.heard > EXPIRY_MS) others.delete(tab);
    const older = [...others].some(([tab, o]) => o.born < me.born || (o.born === me.born && tab < me.tab));
    if (older === leader) {
      leader = !older;
      onChange?.(leader);
    }
  };
  channel.addEventListener('message', (event) => {
    const beat = (event as MessageEvent<Beat>).data;
    if (!beat || typeof beat.tab !== 'string' || beat.tab === me.tab) return;
    if (beat.gone) others.delete(beat.tab);
    else {
      const first = !others.has(beat.tab);
      others.set(beat.tab, { born: beat.born, heard: now() });
      // A tab heard for the first time hears us back at once.
      if (first) channel.postMessage(me);
    }
    elect();
  });
  const beat = () => {
    channel.postMessage(me);
    elect();
  };
  beat();
  const timer = every(beat, HEARTBEAT_MS);
  return {
    isLeader: () => leader,
    stop() {
      cancel(timer);
      channel.postMessage({ ...me, gone: true });
      channel.close();
      if (leader) onChange?.(false);
      leader = false;
    },
  };
}
