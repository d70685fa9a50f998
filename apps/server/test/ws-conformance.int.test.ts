/**
 * Conformance of our WebSocket transport with tRPC's (issue 25).
 *
 * We serve tRPC's WebSocket protocol ourselves (apps/server/src/transport/),
 * and `wsLink` reads it unchanged only as long as our frames are tRPC's. This
 * suite runs one client script, over raw sockets from outside, against two
 * servers on the same database, router and deps: ours, the real server as
 * apps/server builds it (`startTestServer`), and tRPC's own `applyWSSHandler`
 * (ws-conformance.ts). It requires the same frames from both, in the same
 * order, as JSON text (key order included: clients may depend on it; tRPC
 * writes every frame with one `JSON.stringify` of objects it builds in one
 * order, so its text is stable). An upgrade of @trpc/server or superjson is
 * one run of this file (docs/event-stream.md, "Conformance with tRPC").
 *
 * Normalised (ws-conformance.ts `normalise`): what each run creates (people,
 * chat, message ids, session), event ids (by order of first appearance) and
 * timestamps. PINGs on the script's sockets are answered and not recorded
 * (their timing is the machine's); the keep-alive steps record theirs. The
 * frames of a batch are compared sorted (`UNORDERED`). Every other
 * difference is listed in `DIFFERENCES`, with its reason. Refused upgrades
 * (401, 403, 429) are HTTP answers, not frames: the security suites test them.
 *
 * Found when written: after a stream that fails (a bad cursor, a stream that
 * fell behind), tRPC sends the error and then `stopped`; ours sent only the
 * error. Our transport now sends both (`Subscription.ended`).
 */
import { authenticate } from '@chat/api/server';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser } from './clients';
import { startTestServer, type TestServer } from './harness';
import { makeDirect } from './people';
import { type Difference, Driver, normalise, type ServerKind, startReferenceServer } from './ws-conformance';
import { type GenericServer, startGenericOurs, startGenericReference } from './ws-conformance-router';

const KEEPALIVE = { pingMs: 1_000, pongWaitMs: 500 };
let t: TestServer;
let reference: Awaited<ReturnType<typeof startReferenceServer>>;

beforeAll(async () => {
  t = await startTestServer({ keepAlive: KEEPALIVE });
  reference = await startReferenceServer(t.server.deps, KEEPALIVE);
});
afterAll(async () => {
  await reference?.close();
  await t?.stop();
});

/** Steps whose frames answer concurrent calls: each server answers them as they end, in any order. */
const UNORDERED = new Set(['batch']);

const ME =
  '{"id":21,"result":{"type":"data","data":{"json":{"id":"«aliceId»","username":"«alice»","displayName":"«alice»"}}}}';

/** Frames one server sends and the other does not, on purpose. */
const DIFFERENCES: Difference[] = [
  {
    step: 'malformed connection params',
    socket: 'E',
    server: 'reference',
    frames: [
      '{"id":null,"error":{"json":{"message":"Malformed TRPCConnectionParamsMessage","code":-32700,"data":{"code":"PARSE_ERROR","httpStatus":400,"path":null,"field":null,"retryAfterSeconds":null}},"meta":{"values":{"data.path":["undefined"],"data.field":["undefined"],"data.retryAfterSeconds":["undefined"]},"v":1}}}',
      '«close 1005 »',
    ],
    reason:
      'tRPC builds its context from the connection params, and a malformed params message fails it (and closes the socket); ' +
      'ours built the context from the upgrade and reads no params, so it drops the message and serves the socket on',
  },
  {
    step: 'a call after malformed connection params',
    socket: 'E',
    server: 'ours',
    frames: [ME],
    reason: 'the same: our socket is still open and answers',
  },
  {
    step: 'a stream past the cap',
    socket: 'H',
    server: 'ours',
    frames: [
      '{"id":"h5","error":{"json":{"message":"At most 4 live streams per connection.","code":-32029,"data":{"code":"TOO_MANY_REQUESTS","httpStatus":429,"path":"events.stream","field":null,"retryAfterSeconds":null}},"meta":{"values":{"data.field":["undefined"],"data.retryAfterSeconds":["undefined"]},"v":1}}}',
    ],
    reason:
      'each stream costs memory and a frame per event, and a tab needs one: ours refuses one past ' +
      'STREAM_SUBSCRIPTIONS_PER_SOCKET (DESIGN.md invariant 9); tRPC has no such bound and starts it',
  },
  {
    step: 'a stream past the cap',
    socket: 'H',
    server: 'reference',
    frames: [
      '{"id":"h5","result":{"type":"started"}}',
      '{"id":"h5","result":{"type":"data","data":{"json":{"id":"«event:4»","data":{"type":"stream.ready"}}},"id":"«event:4»"}}',
    ],
    reason: 'the same: tRPC starts the fifth stream',
  },
  {
    step: 'logout',
    socket: 'B',
    server: 'ours',
    frames: ['«close 4401 session ended»'],
    reason:
      'a socket whose session ends is closed (4401: do not retry with it), so a signed-out cookie keeps no socket; ' +
      'tRPC builds the context once and leaves the socket open (NOTES.md: logout must close the streams itself)',
  },
  {
    step: 'logout',
    socket: 'C',
    server: 'ours',
    frames: ['«close 4401 session ended»'],
    reason: 'the same, for the socket that carries the stream, after its `session.ended` item',
  },
  {
    step: 'logout',
    socket: 'C',
    server: 'reference',
    frames: ['{"id":"s1","result":{"type":"stopped"}}'],
    reason: "ours closes the socket instead (4401 above); tRPC ends the stream's iteration and says `stopped`",
  },
];

/** What one run creates, named: `normalise` writes each as `«name»`. */
type Vars = Record<
  'aliceId' | 'alice' | 'bobId' | 'bob' | 'chatId' | 'sessionRef' | 'm1' | 'm2' | 'm3' | 'm4' | 'm9' | 'nowhere',
  string
>;

const input = (value: unknown) => superjson.serialize(value);
const call = (id: number, method: 'query' | 'mutation', path: string, value?: unknown) => ({
  id,
  method,
  params: { path, input: input(value) },
});
/** What wsLink sends to (re)start a subscription: the original input, and the cursor beside it. */
const subscribe = (id: string, lastEventId?: string) => ({
  id,
  method: 'subscription',
  params: { path: 'events.stream', input: input({ lastEventId: null }), ...(lastEventId ? { lastEventId } : {}) },
});
const stop = (id: string) => ({ id, method: 'subscription.stop' });

/** The client script: what wsLink sends, and a few things it would not. */
async function script(d: Driver, v: Vars): Promise<void> {
  const send = (id: string, body: string) => ({ chatId: v.chatId, id, body });
  const a = await d.open('A');
  const b = await d.open('B');
  await d.run('query', () => a.send(call(1, 'query', 'auth.me')), { A: 1 });
  await d.run('mutation', () => a.send(call(2, 'mutation', 'message.send', send(v.m1, 'first'))), { A: 1 });
  await d.run(
    'batch',
    () =>
      a.send([
        call(3, 'query', 'auth.me'),
        { ...call(4, 'query', 'message.history', { chatId: v.chatId, from: new Date(0) }), jsonrpc: '2.0' },
        call(5, 'query', 'chats.list'),
      ]),
    { A: 3 },
  );
  await d.run('NOT_FOUND from the domain', () => a.send(call(6, 'query', 'message.history', { chatId: v.nowhere })), {
    A: 1,
  });
  await d.run(
    'BAD_REQUEST from zod, with the field',
    () => a.send(call(7, 'mutation', 'message.send', send(v.m9, 'x'.repeat(5000)))),
    { A: 1 },
  );
  await d.run('unknown procedure', () => a.send(call(8, 'query', 'no.such')), { A: 1 });
  await d.run('malformed JSON', () => a.send('{not json'), { A: 1 });
  await d.run('unknown method', () => a.send({ id: 9, method: 'drop.tables', params: { path: 'auth.me' } }), { A: 1 });
  await d.run('no id', () => a.send({ ...call(0, 'query', 'auth.me'), id: null }), { A: 1 });
  await d.run('client PING', () => a.send('PING'), { A: 1 });

  // started, stream.ready, and alice's own presence (online: her first stream), which comes by NOTIFY.
  await d.run('subscribe', () => a.send(subscribe('s1')), { A: 3 });
  await d.run('event from another socket', () => b.send(call(10, 'mutation', 'message.send', send(v.m2, 'two'))), {
    B: 1,
    A: 1,
  });
  await d.run('second subscription', () => a.send(subscribe('s2')), { A: 2 });
  await d.run('duplicate id', () => a.send(subscribe('s1')), { A: 1 });
  await d.run('event to both', () => b.send(call(11, 'mutation', 'message.send', send(v.m3, 'three'))), {
    B: 1,
    A: 2,
  });
  await d.run('stop', () => a.send(stop('s1')), { A: 1 });
  await d.run('stop of an unknown id', () => a.send(stop('s7')), { A: 0 });
  await d.run('event after a stop', () => b.send(call(12, 'mutation', 'message.send', send(v.m4, 'four'))), {
    B: 1,
    A: 1,
  });
  await d.run('stop the second', () => a.send(stop('s2')), { A: 1 });
  a.close();

  // A new socket resumes after the first message's event: the two it missed, then `stream.ready`.
  const c = await d.open('C');
  const cursor = d.trackedId('A', 'message.created', (text) => text.includes(v.m2));
  await d.run('reconnect with lastEventId', () => c.send(subscribe('s1', cursor)), { C: 4 });
  await d.run('a cursor never handed out', () => c.send(subscribe('s9', 'garbage')), { C: 3 });
  // Up to the cap of streams per socket (4 by default), then one more: our limit (DIFFERENCES).
  const h = await d.open('H');
  for (const id of ['h1', 'h2', 'h3', 'h4']) await d.run(`stream ${id}`, () => h.send(subscribe(id)), { H: 2 });
  await d.run('a stream past the cap', () => h.send(subscribe('h5')), { H: 0 });
  h.close();
  const many = Array.from({ length: 51 }, (_, i) => call(100 + i, 'query', 'auth.me'));
  await d.run('batch over the limit', () => c.send(many), { C: 51 });

  const withParams = await d.open('D', { query: '?connectionParams=1' });
  await d.run(
    'connection params',
    () => {
      withParams.send({ method: 'connectionParams', data: { token: 'anything' } });
      withParams.send(call(20, 'query', 'auth.me'));
    },
    { D: 1 },
  );
  withParams.close();
  const badParams = await d.open('E', { query: '?connectionParams=1' });
  await d.run('malformed connection params', () => badParams.send('{not json'), { E: 0 });
  await d.run('a call after malformed connection params', () => badParams.send(call(21, 'query', 'auth.me')), {
    E: 0,
  });
  badParams.close();

  // Keep-alive: both quiet sockets are pinged; G answers and is served on, F does not and is cut.
  await d.open('F', { pings: 'record' }); // never sends anything
  const g = await d.open('G', { pings: 'record' });
  await d.run('keep-alive: a quiet socket is pinged', () => {}, { F: 1, G: 1 });
  await d.run(
    'keep-alive: answered',
    () => {
      g.send('PONG');
      g.send(call(22, 'query', 'auth.me'));
    },
    { G: 1 },
  );
  g.close();
  await d.run('keep-alive: not answered', () => {}, { F: 1 });

  await d.run('logout', () => b.send(call(40, 'mutation', 'auth.logout')), { B: 1, C: 1 });
  await d.settle(300);
  b.close();
  c.close();
}

/** Runs the script against one server, as a fresh pair of contacts with a direct chat. */
async function record(server: ServerKind, url: string) {
  const alice = await makeUser(t.url, { prefix: 'alice' });
  const bob = await makeUser(t.url, { prefix: 'bob' });
  const chatId = await makeDirect(alice, bob);
  const cookie = alice.client.cookie() ?? '';
  const session = await authenticate(t.server.deps, cookie);
  const vars: Vars = {
    aliceId: alice.id,
    alice: alice.username,
    bobId: bob.id,
    bob: bob.username,
    chatId,
    sessionRef: session?.session.ref ?? 'none',
    m1: crypto.randomUUID(),
    m2: crypto.randomUUID(),
    m3: crypto.randomUUID(),
    m4: crypto.randomUUID(),
    m9: crypto.randomUUID(),
    nowhere: crypto.randomUUID(),
  };
  const driver = new Driver(server, url, cookie, DIFFERENCES);
  await script(driver, vars);
  return normalise(driver.frames, vars);
}

/** Takes each listed difference out of its server's frames; returns those listed but not found. */
function takeDifferences(frames: Map<string, string[]>, server: ServerKind): string[] {
  const unseen: string[] = [];
  for (const d of DIFFERENCES.filter((x) => x.server === server)) {
    const list = frames.get(`${d.socket} / ${d.step}`) ?? [];
    for (const frame of d.frames) {
      const at = list.indexOf(frame);
      if (at < 0) unseen.push(`${server} ${d.socket} / ${d.step}: ${frame}`);
      else list.splice(at, 1);
    }
  }
  for (const [key, list] of frames) {
    if (list.length === 0) frames.delete(key);
    else if (UNORDERED.has(key.slice(key.indexOf(' / ') + 3))) list.sort();
  }
  return unseen;
}

describe('our WebSocket transport against tRPC applyWSSHandler', () => {
  it('sends the frames tRPC sends, for one client script', async () => {
    const ref = await record('reference', reference.url);
    const ours = await record('ours', t.url);
    if (process.env.CONFORMANCE_PRINT) console.log(JSON.stringify({ ref: [...ref], ours: [...ours] }, null, 1));
    const unseen = [...takeDifferences(ref, 'reference'), ...takeDifferences(ours, 'ours')];
    expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(ref));
    // A listed difference that went away is a change too: update the list.
    expect(unseen).toEqual([]);
    // The script reached every step on both (a step that timed out differs above, unless both did).
    expect([...ref.values()].flat().filter((f) => f.startsWith('«timed out'))).toEqual([]);
  });
});

/** A subscription call as wsLink sends it, on the generic router. */
const subscribeTo = (id: string, path: string, value?: unknown, lastEventId?: string) => ({
  id,
  method: 'subscription',
  params: { path, input: input(value), ...(lastEventId ? { lastEventId } : {}) },
});

/** The generic script: plain async generators, `tracked` ids, stops, failures, bad input. */
async function genericScript(d: Driver): Promise<void> {
  const a = await d.open('A');
  await d.run('query', () => a.send(call(1, 'query', 'hello', { name: 'you' })), { A: 1 });
  await d.run('a query that returns an iterable', () => a.send(call(2, 'query', 'iterableQuery')), { A: 1 });
  await d.run('data, then stopped', () => a.send(subscribeTo('n1', 'numbers', { from: 1, count: 3 })), { A: 5 });
  await d.run('input validation error', () => a.send(subscribeTo('n2', 'numbers', { from: 1, count: 99 })), {
    A: 1,
  });
  await d.run('tracked items', () => a.send(subscribeTo('t1', 'tracked', { lastEventId: null })), { A: 4 });
  await d.run('duplicate id', () => a.send(subscribeTo('t1', 'tracked', { lastEventId: null })), { A: 1 });
  await d.run('stop', () => a.send(stop('t1')), { A: 1 });
  await d.run('stop of an unknown id', () => a.send(stop('t7')), { A: 0 });
  await d.run('resume after lastEventId', () => a.send(subscribeTo('t2', 'tracked', { lastEventId: null }, '1')), {
    A: 3,
  });
  await d.run('stop the resumed', () => a.send(stop('t2')), { A: 1 });
  await d.run('error thrown mid-stream', () => a.send(subscribeTo('f1', 'failing')), { A: 4 });
  await d.run('plain Error thrown mid-stream', () => a.send(subscribeTo('c1', 'crashing')), { A: 4 });
  await d.run('not an iterable', () => a.send(subscribeTo('x1', 'notIterable')), { A: 1 });
  await d.run('unknown subscription', () => a.send(subscribeTo('u1', 'no.such')), { A: 1 });
  a.close();
  // A socket that closes under a stream: the stream's signal is aborted (checked in `ends`).
  const b = await d.open('B');
  await d.run('a stream on a socket that closes', () => b.send(subscribeTo('w1', 'tracked', { lastEventId: null })), {
    B: 4,
  });
  b.close();
  await d.settle(300);
}

describe('our WebSocket transport against tRPC applyWSSHandler, on a router of plain async generators', () => {
  let ours: GenericServer;
  let ref: GenericServer;
  beforeAll(async () => {
    ours = await startGenericOurs();
    ref = await startGenericReference();
  });
  afterAll(async () => {
    await ours?.close();
    await ref?.close();
  });

  it('sends the frames tRPC sends, and aborts the same signals', async () => {
    const run = async (server: ServerKind, url: string) => {
      const driver = new Driver(server, url, '', []);
      await genericScript(driver);
      return normalise(driver.frames, {});
    };
    const theirs = await run('reference', ref.url);
    const mine = await run('ours', ours.url);
    if (process.env.CONFORMANCE_PRINT) console.log(JSON.stringify({ ref: [...theirs], ours: [...mine] }, null, 1));
    expect(Object.fromEntries(mine)).toEqual(Object.fromEntries(theirs));
    expect([...theirs.values()].flat().filter((f) => f.startsWith('«timed out'))).toEqual([]);
    // Every `tracked` stream ended by its signal: two stops and a closed socket.
    expect(ours.ctx.ends).toEqual(ref.ctx.ends);
    expect(ref.ctx.ends).toEqual(['tracked: aborted', 'tracked: aborted', 'tracked: aborted']);
  });
});
