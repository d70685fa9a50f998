import { describe, expect, it } from 'vitest';
import { EXPIRY_MS, electLeader, HEARTBEAT_MS, type LeaderEnv } from './tab-leader';
import { TabViews, VIEW_EXPIRY_MS } from './tab-views';

/** An in-memory BroadcastChannel: what one end posts, the others hear (synchronously). */
function channels() {
  const ends = new Set<{ listener?: (e: { data: unknown }) => void; closed: boolean }>();
  return (_name: string) => {
    const end: { listener?: (e: { data: unknown }) => void; closed: boolean } = { closed: false };
    ends.add(end);
    return {
      postMessage(data: unknown) {
        for (const other of ends) if (other !== end && !other.closed) other.listener?.({ data: structuredClone(data) });
      },
      close() {
        end.closed = true;
      },
      addEventListener(_type: string, listener: (e: { data: unknown }) => void) {
        end.listener = listener;
      },
    } as unknown as BroadcastChannel;
  };
}

/** A fake Web Locks: one holder per name, the others queued in order. */
function locks() {
  const queue: Array<() => Promise<unknown>> = [];
  let held = false;
  const next = () => {
    const run = queue.shift();
    if (!run) return;
    held = true;
    void run().then(() => {
      held = false;
      next();
    });
  };
  return {
    request(_name: string, callback: () => unknown) {
      return new Promise((resolve) => {
        queue.push(async () => resolve(await callback()));
        if (!held) next();
      });
    },
  } as unknown as LockManager;
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('electLeader with Web Locks', () => {
  it('makes one tab the leader, and the next one when it stops', async () => {
    const manager = locks();
    const a = electLeader('n', { locks: manager });
    const b = electLeader('n', { locks: manager });
    await tick();
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    a.stop();
    await tick();
    await tick();
    expect([a.isLeader(), b.isLeader()]).toEqual([false, true]);
  });

  it('leads alone when locks are refused', async () => {
    const refused = { request: () => Promise.reject(new Error('SecurityError')) } as unknown as LockManager;
    const a = electLeader('n', { locks: refused });
    await tick();
    expect(a.isLeader()).toBe(true);
  });
});

describe('electLeader over a BroadcastChannel', () => {
  /** One time for all tabs; each tab's heartbeat timer can be run or silenced on its own. */
  function clock() {
    let t = 1_000;
    const timers = new Map<number, () => void>();
    let nextId = 0;
    const env = (channel: LeaderEnv['channel']): LeaderEnv & { timer: () => number } => {
      let mine = -1;
      return {
        channel,
        now: () => t,
        setInterval: (fn) => {
          mine = nextId++;
          timers.set(mine, fn);
          return mine;
        },
        clearInterval: (id) => timers.delete(id as number),
        timer: () => mine,
      };
    };
    return {
      env,
      advance(ms: number) {
        t += ms;
        for (const fn of [...timers.values()]) fn();
      },
      silence: (id: number) => timers.delete(id),
    };
  }

  it('makes the oldest tab the leader, and the next when it closes; a new tab never leads at once', () => {
    const c = clock();
    const channel = channels();
    const a = electLeader('n', c.env(channel));
    expect(a.isLeader()).toBe(false); // listening first
    c.advance(HEARTBEAT_MS);
    expect(a.isLeader()).toBe(true);
    const b = electLeader('n', c.env(channel));
    expect(b.isLeader()).toBe(false);
    c.advance(HEARTBEAT_MS);
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    a.stop();
    c.advance(HEARTBEAT_MS);
    expect([a.isLeader(), b.isLeader()]).toEqual([false, true]);
  });

  it('takes over from a tab that went silent (killed without a word)', () => {
    const c = clock();
    const channel = channels();
    const envA = c.env(channel);
    const a = electLeader('n', envA);
    c.advance(HEARTBEAT_MS);
    const b = electLeader('n', c.env(channel));
    c.advance(HEARTBEAT_MS);
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    c.silence(envA.timer());
    c.advance(EXPIRY_MS / 2);
    expect(b.isLeader()).toBe(false);
    c.advance(EXPIRY_MS);
    expect(b.isLeader()).toBe(true);
  });

  it('without either API every tab leads', () => {
    expect(electLeader('n', {}).isLeader()).toBe(true);
  });
});

describe('TabViews', () => {
  it('knows which chat another attended tab shows, and forgets a closed or silent one', () => {
    const views = new TabViews();
    views.hear({ tab: 't1', chatId: 'c1', attended: true }, 0);
    views.hear({ tab: 't2', chatId: 'c2', attended: false }, 0);
    expect(views.onScreen('c1', 10)).toBe(true);
    expect(views.onScreen('c2', 10)).toBe(false);
    views.hear({ tab: 't1', chatId: 'c1', attended: true, gone: true }, 20);
    expect(views.onScreen('c1', 30)).toBe(false);
    views.hear({ tab: 't3', chatId: 'c3', attended: true }, 100);
    expect(views.onScreen('c3', 100 + VIEW_EXPIRY_MS + 1)).toBe(false);
  });
});
