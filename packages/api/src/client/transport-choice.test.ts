import { describe, expect, it } from 'vitest';
import {
  type AttemptHooks,
  type ChooserOptions,
  DEFAULT_TIMING,
  type StreamAttempt,
  type StreamStatus,
  type StreamTransport,
  TransportChooser,
} from './transport-choice';

type Item = { type: string; id?: number };

/** Timers run by hand: `advance(ms)` fires what falls due, in order. */
class FakeTimers {
  now = 0;
  private next = 1;
  private readonly due = new Map<number, { at: number; run: () => void }>();

  set = (run: () => void, ms: number): unknown => {
    const handle = this.next++;
    this.due.set(handle, { at: this.now + ms, run });
    return handle;
  };

  clear = (handle: unknown): void => {
    this.due.delete(handle as number);
  };

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const [handle, timer] = [...this.due.entries()].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (handle === undefined || !timer || timer.at > until) break;
      this.due.delete(handle);
      this.now = timer.at;
      timer.run();
    }
    this.now = until;
  }
}

/** One opened attempt, driven by the test. */
interface Fake {
  transport: StreamTransport;
  lastEventId: string | null;
  hooks: AttemptHooks<Item>;
  stopped: boolean;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

function setup(overrides: Partial<ChooserOptions<Item, StreamAttempt>> = {}) {
  const timers = new FakeTimers();
  const opened: Fake[] = [];
  const items: { item: Item; id: string }[] = [];
  const statuses: StreamStatus[] = [];
  const chooser = new TransportChooser<Item>({
    choice: 'auto',
    open(transport, lastEventId, hooks) {
      const fake: Fake = { transport, lastEventId, hooks, stopped: false };
      opened.push(fake);
      return {
        stop: () => {
          fake.stopped = true;
        },
      };
    },
    onItem: (item, id) => items.push({ item, id }),
    onStatus: (status) => statuses.push(status),
    eventIdOf: (item) => item.id,
    isReady: (item) => item.type === 'stream.ready',
    timers,
    ...overrides,
  });
  /** The newest attempt on `transport` that is not stopped. */
  const open = (transport: StreamTransport) => {
    const fake = opened.filter((f) => f.transport === transport && !f.stopped).at(-1);
    if (!fake) throw new Error(`no ${transport} attempt open; opened: ${opened.map((f) => f.transport).join(',')}`);
    return fake;
  };
  /** Connects an attempt and delivers `stream.ready` at `cursor`. */
  const goLive = (fake: Fake, cursor = '10') => {
    fake.hooks.connected();
    fake.hooks.item(cursor, { type: 'stream.ready' });
  };
  const live = () => opened.filter((f) => !f.stopped).map((f) => f.transport);
  return { chooser, timers, opened, items, statuses, open, goLive, live };
}

const { connectMs, firstItemMs } = DEFAULT_TIMING;

describe('moving down', () => {
  it('starts on WebSocket and stays there once it carries the stream', () => {
    const t = setup();
    t.chooser.start();
    t.goLive(t.open('ws'));
    t.timers.advance(10 * 60_000);
    expect(t.chooser.status()).toEqual({ transport: 'ws', live: true, reason: 'best' });
    expect(t.opened.map((f) => f.transport)).toEqual(['ws']);
  });

  it('moves to SSE when the WebSocket cannot open, and says so', () => {
    const t = setup();
    t.chooser.start();
    t.open('ws').hooks.unusable();
    const sse = t.open('sse');
    expect(t.chooser.status()).toEqual({ transport: 'sse', live: false, reason: 'websocket-failed' });
    t.goLive(sse);
    expect(t.chooser.status()).toEqual({ transport: 'sse', live: true, reason: 'websocket-failed' });
    expect(t.live()).toEqual(['sse']);
  });

  it('moves to SSE when the WebSocket has not opened within the deadline', () => {
    const t = setup();
    t.chooser.start();
    t.timers.advance(connectMs - 1);
    expect(t.live()).toEqual(['ws']);
    t.timers.advance(1);
    expect(t.live()).toEqual(['sse']);
    expect(t.chooser.status().reason).toBe('websocket-failed');
  });

  it('moves to SSE when the WebSocket opens but carries nothing (a proxy holding its frames)', () => {
    const t = setup();
    t.chooser.start();
    const ws = t.open('ws');
    t.timers.advance(connectMs - 100);
    ws.hooks.connected();
    t.timers.advance(firstItemMs - 1);
    expect(t.live()).toEqual(['ws']);
    t.timers.advance(1);
    expect(ws.stopped).toBe(true);
    t.goLive(t.open('sse'));
    expect(t.chooser.status()).toEqual({ transport: 'sse', live: true, reason: 'websocket-silent' });
  });

  it('moves to long-polling when SSE sends no byte within the deadline (buffered or refused)', () => {
    const t = setup();
    t.chooser.start();
    t.open('ws').hooks.unusable();
    t.timers.advance(connectMs);
    expect(t.live()).toEqual(['poll']);
    const poll = t.open('poll');
    expect(t.chooser.status().live).toBe(false);
    // A poll answered, even with nothing in it, is a working transport.
    poll.hooks.connected();
    expect(t.chooser.status()).toEqual({ transport: 'poll', live: true, reason: 'sse-failed' });
  });

  it('keeps waiting on a poll, however long the server holds it', () => {
    const t = setup();
    t.chooser.start();
    t.open('ws').hooks.unusable();
    t.timers.advance(connectMs);
    const poll = t.open('poll');
    t.timers.advance(60_000);
    expect(poll.stopped).toBe(false);
  });

  it('with a forced transport, never moves: it retries the same one, at once and then backing off', () => {
    const t = setup({ choice: 'sse' });
    t.chooser.start();
    expect(t.live()).toEqual(['sse']);
    t.timers.advance(connectMs);
    t.timers.advance(0);
    expect(t.opened.map((f) => f.transport)).toEqual(['sse', 'sse']);
    t.timers.advance(connectMs);
    t.timers.advance(DEFAULT_TIMING.retryMs - 1);
    expect(t.opened).toHaveLength(2);
    t.timers.advance(1);
    expect(t.opened.map((f) => f.transport)).toEqual(['sse', 'sse', 'sse']);
    t.goLive(t.open('sse'));
    expect(t.chooser.status()).toEqual({ transport: 'sse', live: true, reason: 'forced' });
    t.timers.advance(10 * 60_000);
    expect(t.opened).toHaveLength(3);
  });
});

/** A chooser that ended on polling because neither stream got through. */
function onPolling() {
  const t = setup();
  t.chooser.start();
  t.open('ws').hooks.unusable();
  t.timers.advance(connectMs);
  const poll = t.open('poll');
  poll.hooks.connected();
  poll.hooks.cursor('10');
  return { ...t, poll };
}

describe('moving back up', () => {
  it('tries the WebSocket, then SSE, in the background at a growing interval, capped', () => {
    const t = onPolling();
    const liveAt = t.timers.now;
    const probesAt: number[] = [];
    let seen = t.opened.length;
    for (let ms = 0; ms < 10 * 60_000; ms += 250) {
      t.timers.advance(250);
      while (seen < t.opened.length) {
        const fake = t.opened[seen++];
        if (fake?.transport === 'ws') {
          probesAt.push(t.timers.now);
          expect(fake.lastEventId).toBe('10');
          fake.hooks.unusable(); // still blocked: SSE is tried next, in the same round
          expect(t.live()).toEqual(['poll', 'sse']);
        }
      }
    }
    const gaps = probesAt.map((at, i) => at - (i === 0 ? liveAt : (probesAt[i - 1] ?? 0)));
    // SSE's try takes its connect deadline before the next round's wait begins.
    expect(gaps.slice(0, 7)).toEqual([5_000, 15_000, 25_000, 45_000, 85_000, 125_000, 125_000]);
    expect(t.poll.stopped).toBe(false);
  });

  it('hands over to the better transport only once it is live, from the cursor, each event once', () => {
    const t = setup();
    t.chooser.start();
    t.open('ws').hooks.unusable();
    const sse = t.open('sse');
    t.goLive(sse, '10');
    sse.hooks.item('11', { type: 'message.created', id: 11 });
    t.timers.advance(5_000);
    const probe = t.open('ws');
    expect(probe.lastEventId).toBe('11');
    probe.hooks.connected();
    // Both carry event 12 while the new one catches up; presence comes from the one in use only.
    probe.hooks.item('12', { type: 'message.created', id: 12 });
    probe.hooks.item('12', { type: 'presence' });
    sse.hooks.item('12', { type: 'message.created', id: 12 });
    sse.hooks.item('13', { type: 'message.created', id: 13 });
    expect(sse.stopped).toBe(false);
    expect(t.chooser.status()).toMatchObject({ transport: 'sse', live: true });
    probe.hooks.item('13', { type: 'message.created', id: 13 });
    probe.hooks.item('13', { type: 'stream.ready' });
    expect(sse.stopped).toBe(true);
    expect(t.chooser.status()).toEqual({ transport: 'ws', live: true, reason: 'best' });
    probe.hooks.item('14', { type: 'message.created', id: 14 });
    sse.hooks.item('14', { type: 'message.created', id: 14 }); // stopped: ignored
    expect(t.items.map(({ item }) => item.id ?? item.type)).toEqual(['stream.ready', 11, 12, 13, 'stream.ready', 14]);
    expect(t.chooser.cursor).toBe('14');
    t.timers.advance(10 * 60_000);
    expect(t.live()).toEqual(['ws']);
  });

  it('an empty poll answer from before an event the better one carried does not take the cursor back', async () => {
    const t = onPolling();
    t.timers.advance(5_000);
    const probe = t.open('ws');
    probe.hooks.connected();
    probe.hooks.item('11', { type: 'message.created', id: 11 });
    t.poll.hooks.cursor('10');
    expect(t.chooser.cursor).toBe('11');
    probe.hooks.unusable();
    t.poll.hooks.failed(new Error('502'));
    await flush();
    t.timers.advance(0);
    expect(t.open('poll').lastEventId).toBe('11');
  });

  it('keeps the old transport when the better one fails, and tries again later', () => {
    const t = onPolling();
    t.timers.advance(5_000);
    const ws = t.open('ws');
    ws.hooks.connected();
    t.timers.advance(firstItemMs);
    expect(ws.stopped).toBe(true);
    const sse = t.open('sse');
    sse.hooks.failed(new Error('refused'));
    expect(t.live()).toEqual(['poll']);
    expect(t.chooser.status()).toEqual({ transport: 'poll', live: true, reason: 'sse-failed' });
    t.timers.advance(10_000);
    expect(t.live()).toEqual(['poll', 'ws']);
  });

  it('on a network change (online, page shown again) tries the best at once and starts the interval over', () => {
    const t = onPolling();
    for (const wait of [5_000, 10_000]) {
      t.timers.advance(wait);
      t.open('ws').hooks.unusable();
      t.timers.advance(connectMs);
    }
    expect(t.live()).toEqual(['poll']);
    t.chooser.networkChanged();
    const ws = t.open('ws');
    ws.hooks.unusable();
    t.timers.advance(connectMs);
    t.timers.advance(4_999);
    expect(t.live()).toEqual(['poll']);
    t.timers.advance(1);
    expect(t.live()).toEqual(['poll', 'ws']);
  });

  it('after a pause (offline), reconnects at once on the transport it was on and tries the best at once', () => {
    const t = onPolling();
    t.chooser.pause();
    expect(t.live()).toEqual([]);
    expect(t.chooser.status().live).toBe(false);
    t.timers.advance(10 * 60_000);
    expect(t.live()).toEqual([]);
    t.chooser.networkChanged();
    expect(t.live()).toEqual(['poll', 'ws']);
    expect(t.open('poll').lastEventId).toBe('10');
  });
});

describe('a server restart', () => {
  it('from WebSocket, when it cannot reopen, takes SSE and tries the WebSocket again as soon as SSE is live', () => {
    const t = setup();
    t.chooser.start();
    const ws = t.open('ws');
    t.goLive(ws);
    ws.hooks.reconnecting();
    expect(t.chooser.status()).toEqual({ transport: 'ws', live: false, reason: 'best' });
    ws.hooks.unusable(); // its reconnects kept failing
    t.goLive(t.open('sse'));
    expect(t.live()).toEqual(['sse', 'ws']);
    t.goLive(t.open('ws'));
    expect(t.chooser.status()).toEqual({ transport: 'ws', live: true, reason: 'best' });
    expect(t.live()).toEqual(['ws']);
  });

  it('from SSE, when its stream drops, tries the WebSocket at once', () => {
    const t = setup();
    t.chooser.start();
    t.open('ws').hooks.unusable();
    const sse = t.open('sse');
    t.goLive(sse);
    t.timers.advance(3_000);
    sse.hooks.reconnecting();
    expect(t.chooser.status()).toMatchObject({ transport: 'sse', live: false });
    const ws = t.open('ws');
    t.goLive(ws, '10');
    expect(sse.stopped).toBe(true);
    expect(t.chooser.status()).toEqual({ transport: 'ws', live: true, reason: 'best' });
  });

  it('from polling, polls again at once, and once answered tries the WebSocket at once', async () => {
    const t = onPolling();
    t.poll.hooks.failed(new Error('ECONNREFUSED'));
    await flush();
    t.timers.advance(0);
    const again = t.open('poll');
    expect(again.lastEventId).toBe('10');
    expect(t.live()).toEqual(['poll']);
    again.hooks.connected();
    expect(t.live()).toEqual(['poll', 'ws']);
  });

  it('from polling, an SSE try held since an older cursor and let through by the restart does not take the cursor back', async () => {
    // A buffering proxy holds the SSE try (from cursor 10) while polls carry event 11; the stopping
    // server cuts the stream, and the proxy lets through what it held: ready at 10, then 11 again.
    const t = onPolling();
    t.timers.advance(5_000);
    t.open('ws').hooks.unusable();
    const sse = t.open('sse');
    expect(sse.lastEventId).toBe('10');
    t.poll.hooks.item('11', { type: 'message.created', id: 11 });
    t.poll.hooks.cursor('11');
    t.poll.hooks.failed(new Error('502'));
    await flush();
    t.timers.advance(0);
    expect(t.open('poll').lastEventId).toBe('11');
    t.goLive(sse, '10');
    sse.hooks.item('10', { type: 'typing' });
    sse.hooks.item('11', { type: 'message.created', id: 11 });
    expect(t.chooser.status()).toMatchObject({ transport: 'sse', live: true });
    expect(t.chooser.cursor).toBe('11');
    // Its stream drops and stays silent behind the proxy: back to polling, from 11, not 10.
    sse.hooks.reconnecting();
    t.timers.advance(connectMs);
    expect(t.open('poll').lastEventId).toBe('11');
    expect(t.items.map(({ item }) => item.id ?? item.type)).toEqual([11, 'stream.ready', 'typing']);
  });

  it('backs off while the server stays down', async () => {
    const t = onPolling();
    const opensAt: number[] = [];
    for (let i = 0; i < 5; i++) {
      t.open('poll').hooks.failed(new Error('ECONNREFUSED'));
      await flush();
      const before = t.opened.filter((f) => f.transport === 'poll').length;
      while (t.opened.filter((f) => f.transport === 'poll').length === before) t.timers.advance(100);
      opensAt.push(t.timers.now);
    }
    const gaps = opensAt.slice(1).map((at, i) => at - (opensAt[i] ?? 0));
    expect(gaps).toEqual([1_000, 2_000, 4_000, 8_000]);
  });
});

describe('errors from the server', () => {
  it('asks whether to go on, and stops for good when told no', async () => {
    const t = setup({ shouldResume: async () => false });
    t.chooser.start();
    const ws = t.open('ws');
    t.goLive(ws);
    ws.hooks.failed(new Error('UNAUTHORIZED'));
    await flush();
    t.timers.advance(10 * 60_000);
    expect(t.live()).toEqual([]);
    expect(t.opened).toHaveLength(1);
  });

  it('starts from now when the server does not know the cursor, and says so', async () => {
    let stale = 0;
    const t = setup({
      lastEventId: 'bogus',
      isStaleCursor: (error) => error instanceof Error && error.message === 'stale',
      onStaleCursor: () => stale++,
    });
    t.chooser.start();
    expect(t.open('ws').lastEventId).toBe('bogus');
    t.open('ws').hooks.failed(new Error('stale'));
    await flush();
    t.timers.advance(0);
    expect(stale).toBe(1);
    expect(t.open('ws').lastEventId).toBeNull();
  });
});
