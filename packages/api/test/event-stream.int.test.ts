/**
 * `events.stream` iterated as the async iterable its type promises (a
 * server-side caller, or any tRPC adapter), not attached to a socket as the
 * server's transports do: the same items, the end with its session, and a
 * stop that takes the stream out of the hub.
 */
import { isTrackedEnvelope } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Context, PresentedSession } from '../src/context';
import { signOutSession } from '../src/domain/account/sign-out';
import type { StreamItem } from '../src/domain/events/types';
import { appRouter } from '../src/routers';
import { makeDeps, makeUser, type TestDeps } from './deps';

let deps: TestDeps;
beforeAll(async () => {
  deps = await makeDeps();
});
afterAll(async () => {
  await deps?.close();
});

/** What the iterator hands over at run time: tRPC's `tracked` envelope (its caller types it as `{ id, data }`, the client's view). */
function envelope(value: unknown): [string, StreamItem] {
  if (!isTrackedEnvelope(value)) throw new Error(`not a tracked item: ${JSON.stringify(value)}`);
  return [value[0], value[1] as StreamItem];
}

async function signedIn(): Promise<{ ctx: Context; userId: string; ref: string }> {
  const user = await makeUser(deps);
  const { session } = await deps.sessions.create(user.id, { userAgent: 'test', ipAddress: '127.0.0.1' });
  const auth = await deps.sessions.validate(session.id);
  if (!auth) throw new Error('no session');
  const ctx: Context = {
    deps,
    session: new PresentedSession(deps, session.id, 'request'),
    meta: { transport: 'http', userAgent: 'test', ipAddress: '127.0.0.1' },
    setCookie: () => {},
  };
  return { ctx, userId: user.id, ref: auth.session.ref };
}

describe('the event stream, iterated', () => {
  it('yields stream.ready, then its events as tracked items, and ends after its own session ended', async () => {
    const { ctx, userId, ref } = await signedIn();
    const stream = await appRouter.createCaller(ctx).events.stream({});
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done) throw new Error('ended at once');
    const [readyId, ready] = envelope(first.value);
    expect(ready).toEqual({ type: 'stream.ready' });
    expect(deps.hub.hasLocal(userId)).toBe(true);

    await signOutSession(deps, userId, ref);
    // Presence (ephemeral, carrying the cursor) may come first.
    let ended = await iterator.next();
    while (!ended.done && envelope(ended.value)[1].type === 'presence') ended = await iterator.next();
    if (ended.done) throw new Error('ended before telling');
    const [endedId, item] = envelope(ended.value);
    expect(item).toMatchObject({ type: 'session.ended', payload: { sessionRef: ref, reason: 'revoked' } });
    expect(Number(endedId)).toBeGreaterThan(Number(readyId));
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect(deps.hub.hasLocal(userId)).toBe(false);
  });

  it('stops when the reader returns or its signal aborts, and refuses an ended session', async () => {
    const { ctx, userId, ref } = await signedIn();
    const stream = await appRouter.createCaller(ctx).events.stream({});
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    expect(deps.hub.hasLocal(userId)).toBe(true);
    await iterator.return?.();
    expect(deps.hub.hasLocal(userId)).toBe(false);

    const controller = new AbortController();
    const second = await appRouter.createCaller(ctx, { signal: controller.signal }).events.stream({});
    const again = second[Symbol.asyncIterator]();
    await again.next();
    expect(deps.hub.hasLocal(userId)).toBe(true);
    const waiting = again.next();
    controller.abort();
    // What was already queued (presence, say) may still come; then the end.
    let next = await waiting;
    for (let i = 0; !next.done && i < 10; i++) next = await again.next();
    expect(next).toEqual({ value: undefined, done: true });
    expect(deps.hub.hasLocal(userId)).toBe(false);

    // A socket's context outlives its session: the stream's opening statement finds it gone. UNAUTHORIZED, nothing registered.
    await signOutSession(deps, userId, ref);
    const presented = ctx.session;
    if (!presented) throw new Error('no session');
    const socketContext: Context = {
      ...ctx,
      session: new PresentedSession(deps, presented.id, 'socket'),
      meta: { ...ctx.meta, transport: 'ws' },
    };
    const refused = await appRouter.createCaller(socketContext).events.stream({});
    await expect(refused[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(deps.hub.hasLocal(userId)).toBe(false);
  });
});
