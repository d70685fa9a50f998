/**
 * A stream that is open when its session reaches its lifetime is closed then,
 * on WebSocket and on SSE, not left running until its next reconnect.
 */
import { createChatClient } from '@chat/api/client';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './burst';
import { collectStream, makeUser } from './clients';
import { startTestServer, type TestServer } from './harness';

const LIFETIME_MS = 4_000;
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ env: { SESSION_MAX_DAYS: String(LIFETIME_MS / 86_400_000) } });
});
afterAll(async () => {
  await t?.stop();
});

describe('a session that reaches its lifetime with streams open', () => {
  it('has its WebSocket and SSE streams closed at that moment, and is refused after', async () => {
    const signedIn = Date.now();
    const alice = await makeUser(t.url, { prefix: 'alice' });
    const overSse = createChatClient({ url: t.url, transport: 'sse', cookie: alice.client.cookie() });
    const ws = collectStream(alice.client);
    const sse = collectStream(overSse);
    await until(() => [ws, sse].every((c) => c.items.some((i) => i.type === 'stream.ready')), 'both streams');
    const hub = t.server.hub;
    expect(hub.subscriberCount).toBe(2);

    await until(() => hub.subscriberCount === 0, 'the streams to close', LIFETIME_MS + 6_000);
    const closedAfter = Date.now() - signedIn;
    expect(closedAfter).toBeGreaterThanOrEqual(LIFETIME_MS - 500); // not before the session's end
    // The clients try again and are refused: nothing comes back.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(hub.subscriberCount).toBe(0);
    const me = await alice.client.api.auth.me.query().catch((e: unknown) => e);
    expect(me === null || (me instanceof TRPCClientError && me.data?.code === 'UNAUTHORIZED')).toBe(true);
    ws.unsubscribe();
    sse.unsubscribe();
    overSse.close();
    alice.client.close();
  }, 30_000);
});
