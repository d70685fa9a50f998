/**
 * A PostgreSQL that stops answering without closing anything (issue 23): the
 * relay holds every byte. Every call and /healthz must answer within the
 * deadline with the retryable error, the connections that went silent are
 * replaced, and after the release every acknowledged or retried send is
 * stored once and delivered once over WebSocket and SSE.
 */
import { randomUUID } from 'node:crypto';
import { createChatClient } from '@chat/api/client';
import { createTestDatabase, type TestDatabase } from '@chat/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { errorCode, health, receive, sendLanes, sendWithRetry, storedIds, until } from './burst';
import { makeUser, PASSWORD, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { makeGroup } from './people';
import { type PgProxy, startPgProxy } from './pg-proxy';

const onPostgres = process.env.TEST_DB === 'postgres';
const STATEMENT_TIMEOUT_MS = 1_000;
const DEADLINE_MS = 2_000;
/** What a caller may wait past the deadline: the timer's turn on a busy two-core machine. */
const SLACK_MS = 1_000;

const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A server whose PostgreSQL is behind the relay, with short deadlines, and
 * no safety poll: it hears other processes' events only through its LISTEN.
 */
async function stalledServer(): Promise<{ server: TestServer; proxy: PgProxy; database: TestDatabase }> {
  const database: TestDatabase = await createTestDatabase();
  cleanup.push(() => database.drop());
  const proxy = await startPgProxy();
  cleanup.push(() => proxy.close());
  const server = await startTestServer({
    database: { ...database, url: proxy.url(database.url as string) },
    safetyPollMs: 600_000,
    env: {
      DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      DATABASE_DEADLINE_MS: String(DEADLINE_MS),
    },
  });
  cleanup.push(() => server.stop());
  return { server, proxy, database };
}

/** Runs `call`, and returns how it ended and how long it took. */
async function timed(call: () => Promise<unknown>): Promise<{ ms: number; code: string }> {
  const t0 = performance.now();
  try {
    await call();
    return { ms: performance.now() - t0, code: 'OK' };
  } catch (error) {
    return { ms: performance.now() - t0, code: errorCode(error) };
  }
}

describe.skipIf(!onPostgres)('PostgreSQL stalled (every byte held, nothing closed)', () => {
  it('answers every call and /healthz within the deadline, replaces the silent connections, and stores and delivers every send once', async () => {
    const { server, proxy, database } = await stalledServer();
    const sender = await makeUser(server.url, { prefix: 'sender' });
    const overWs = await makeUser(server.url, { prefix: 'ws', transport: 'ws' });
    const overSse = await makeUser(server.url, { prefix: 'sse', transport: 'sse' });
    const people: Person[] = [sender, overWs, overSse];
    cleanup.push(async () => {
      for (const p of people) p.client.close();
    });
    const chatId = await makeGroup(sender, [overWs, overSse]);
    const inboxes = [receive(overWs.client), receive(overSse.client)];
    await until(() => inboxes.every((i) => i.state.ready), 'both streams');

    const lanes = sendLanes(sender, chatId, { lanes: 2, pauseMs: 20 });
    const { acknowledged, failures } = lanes;
    await until(() => acknowledged.length >= 20, 'the first sends');

    proxy.hold();
    const heldAt = performance.now();
    const duringHold: Array<{ what: string; ms: number; code: string }> = [];
    const healthChecks: Array<{ ms: number; status: number; body: unknown }> = [];
    while (performance.now() - heldAt < 20_000) {
      const [history, healthz] = await Promise.all([
        timed(() => overWs.client.api.message.history.query({ chatId, limit: 20 })),
        health(server.url),
      ]);
      duringHold.push({ what: 'history', ...history });
      healthChecks.push(healthz);
      await sleep(500);
    }
    const acknowledgedDuringHold = acknowledged.length;
    const failuresDuringHold = failures.length;
    // The held connections never speak again: only replacing them brings the server back.
    proxy.abandon();

    // Every call was told, within the deadline, that the database is away.
    expect(duringHold.length).toBeGreaterThan(5);
    for (const call of duringHold.slice(1)) {
      expect(call.code).toBe('SERVICE_UNAVAILABLE');
      expect(call.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    }
    for (const h of healthChecks.slice(1)) {
      expect(h.ms).toBeLessThan(2_000);
      expect(h).toMatchObject({ status: 503, body: { database: 'down' } });
    }
    const sendFailures = failures.slice(0, failuresDuringHold);
    expect(sendFailures.length).toBeGreaterThan(5);
    expect(sendFailures.filter((f) => f.code !== 'SERVICE_UNAVAILABLE')).toEqual([]);
    for (const f of sendFailures) expect(f.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);

    // Back: sends go through again, nothing restarted.
    await until(() => acknowledged.length >= acknowledgedDuringHold + 20, 'sends to work again', 30_000);
    expect((await health(server.url)).status).toBe(200);
    await lanes.stop();

    const stored = await storedIds(sender, chatId);
    expect(stored.length).toBe(new Set(stored).size);
    expect(new Set(stored)).toEqual(new Set(acknowledged));
    for (const inbox of inboxes) {
      await until(() => inbox.state.ids.length >= stored.length, 'the receivers to catch up', 30_000);
    }

    // The LISTEN connection was replaced too: a send through another process,
    // straight to PostgreSQL, reaches this one's streams by NOTIFY alone.
    const other = await startTestServer({ database: { ...database, url: database.url } });
    cleanup.push(() => other.stop());
    const otherSender = { ...sender, client: createChatClient({ url: other.url }) };
    await otherSender.client.api.auth.login.mutate({ username: sender.username, password: PASSWORD });
    people.push(otherSender);
    const lastId = await sendWithRetry(otherSender, chatId, 'through the other process');
    stored.push(lastId);
    for (const inbox of inboxes) {
      await until(() => inbox.state.ids.includes(lastId), "the other process's message by NOTIFY", 20_000);
    }
    await sleep(300);
    for (const inbox of inboxes) {
      inbox.stop();
      expect(inbox.state.ids).toEqual(stored); // each once, in order
    }
  }, 180_000);

  it('a send whose answer is held past the deadline is stored, and its retry with the same id returns it once', async () => {
    const { server, proxy } = await stalledServer();
    const sender = await makeUser(server.url, { prefix: 'sender' });
    const receiver = await makeUser(server.url, { prefix: 'receiver' });
    cleanup.push(async () => {
      sender.client.close();
      receiver.client.close();
    });
    const chatId = await makeGroup(sender, [receiver]);
    const inbox = receive(receiver.client);
    await until(() => inbox.state.ready, 'the stream');

    // PostgreSQL gets the send and commits it; its answer never comes back in time.
    proxy.hold('replies');
    const id = randomUUID();
    const first = await timed(() => sender.client.api.message.send.mutate({ id, chatId, body: 'outcome unknown' }));
    expect(first.code).toBe('SERVICE_UNAVAILABLE');
    expect(first.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    proxy.release();

    let retried: { id: string } | undefined;
    for (let i = 0; i < 100 && !retried; i++) {
      retried = await sender.client.api.message.send.mutate({ id, chatId, body: 'outcome unknown' }).catch(async () => {
        await sleep(200);
        return undefined;
      });
    }
    expect(retried?.id).toBe(id);
    expect(await storedIds(sender, chatId)).toEqual([id]);
    await until(() => inbox.state.ids.length >= 1, 'the delivery', 30_000);
    await sleep(500);
    inbox.stop();
    expect(inbox.state.ids).toEqual([id]);
  }, 90_000);
});
