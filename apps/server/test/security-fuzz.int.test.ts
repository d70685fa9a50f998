/**
 * Security suite, fuzzing: every procedure of the router (walked, so a new
 * one is fuzzed without anyone listing it) gets arbitrary JSON-ish input
 * over HTTP — shaped like its input object half the time, anything at all
 * otherwise, and now and then with a forged superjson `meta`. No answer may
 * be a 500 / INTERNAL_SERVER_ERROR, and a refused call must change nothing
 * (a fingerprint of every table's rows is compared). Bounded: a few dozen
 * runs per procedure.
 */
import { randomUUID } from 'node:crypto';
import { appRouter } from '@chat/api/server';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { makeUser, PASSWORD, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';
import { solid, upload } from './images';
import { makeGroup } from './people';
import { cookieOf } from './raw';

const RUNS = Number(process.env.FUZZ_RUNS ?? 15);

let t: TestServer;
let alice: Person;
let bob: Person;
let ids: string[];

beforeAll(async () => {
  t = await startTestServer();
  [alice, bob] = [await makeUser(t.url, { prefix: 'fuzz' }), await makeUser(t.url, { prefix: 'fuzz' })];
  const chatId = await makeGroup(alice, [bob]);
  const imageId = (await upload(t.url, alice, chatId, await solid(8, 8).png().toBuffer())).body.id;
  const message = await alice.client.api.message.send.mutate({ id: randomUUID(), chatId, body: 'hello *there*' });
  ids = [chatId, imageId, message.id, alice.id, bob.id];
});
afterAll(async () => {
  alice?.client.close();
  bob?.client.close();
  await t?.stop();
});

type Procedure = { _def: { type: 'query' | 'mutation' | 'subscription'; inputs: unknown[] } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>);

/** The keys of a procedure's input object, so generated inputs often look right. */
function inputKeys(procedure: Procedure): string[] {
  const schema = procedure._def.inputs[0];
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

const nasty = fc.constantFrom(
  '',
  ' ',
  '@',
  '\u0000',
  '\ud800',
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '"; drop table users; --',
  'x'.repeat(5_000),
  '😀'.repeat(1_000),
  '1e309',
  '-1',
  'NaN',
  'in:',
  'from:@',
  'before:9999-99-99',
  '"unclosed',
  '-',
  '*',
  ':*',
  '!',
  '&|',
);

function scalars() {
  return fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 10 }),
    nasty,
    fc.constantFrom(...ids, randomUUID(), '00000000-0000-0000-0000-000000000000'),
    fc.integer(),
    fc.constantFrom(0, -1, -0, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER + 2, 1e308, 0.5),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
  );
}

/** Built after the fixtures exist (their ids are among the values). */
function arbitraries() {
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalars(),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 4 }),
    ),
  }));
  const forgedMeta = fc.oneof(
    fc.constant(undefined),
    fc.record({
      values: fc.dictionary(
        fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', 'a', 'a.b', '__proto__', 'constructor.prototype')),
        fc.oneof(
          fc.constantFrom(['Date'], ['bigint'], ['set'], ['map'], ['regexp'], ['class', 'X'], ['custom', 'Y']),
          value,
        ),
        { maxKeys: 3 },
      ),
    }),
    value,
  );
  return { value, forgedMeta };
}

function inputFor(procedure: Procedure) {
  const { value, forgedMeta } = arbitraries();
  const keys = inputKeys(procedure);
  const shaped = keys.length
    ? fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] })
    : fc.constant({});
  return fc.record({ json: fc.oneof(shaped, value, fc.constant(undefined)), meta: forgedMeta });
}

const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];

let fingerprintQuery: ReturnType<typeof sql.raw> | undefined;

/** Every table's rows, hashed, in one round trip (volatile bookkeeping left out). */
async function fingerprint(): Promise<Record<string, string>> {
  if (!fingerprintQuery) {
    const tables = rowsOf<{ name: string }>(
      await t.server.deps.db.execute(sql`
        select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE'
          and table_name not in ('rate_limits', 'sessions', 'presence', 'server_processes', 'users')
        order by table_name`),
    );
    const parts = tables.map(
      ({ name }) =>
        `(select md5(coalesce(string_agg(x::text, ',' order by x::text), '')) from "${name}" x) as "${name}"`,
    );
    parts.push(
      `(select md5(coalesce(string_agg(concat_ws('|', id, username, display_name, about, password_hash), ',' order by id), '')) from users) as users`,
      '(select count(*)::text from sessions) as sessions',
    );
    fingerprintQuery = sql.raw(`select ${parts.join(', ')}`);
  }
  return rowsOf<Record<string, string>>(await t.server.deps.db.execute(fingerprintQuery))[0] ?? {};
}

interface Answer {
  status: number;
  text: string;
}

async function call(path: string, type: Procedure['_def']['type'], body: unknown, cookie: string): Promise<Answer> {
  const payload = JSON.stringify(body);
  if (type === 'mutation') {
    const res = await fetch(`${t.url}/trpc/${path}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: payload,
    });
    return { status: res.status, text: await res.text() };
  }
  const controller = new AbortController();
  const res = await fetch(`${t.url}/trpc/${path}?input=${encodeURIComponent(payload)}`, {
    headers: { cookie },
    signal: controller.signal,
  });
  if (type === 'query') return { status: res.status, text: await res.text() };
  // A subscription: read its first events, then hang up.
  let text = '';
  const reader = res.body?.getReader();
  const stop = setTimeout(() => controller.abort(), 150);
  try {
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
  } catch {
    // aborted: what came is enough
  } finally {
    clearTimeout(stop);
  }
  return { status: res.status, text };
}

/** Procedures that end the caller's sessions when they succeed: called by someone else, on a fresh session. */
const ENDS_SESSION = new Set(['auth.logout', 'account.signOutOthers']);

async function throwawaySession(): Promise<string> {
  const res = await fetch(`${t.url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { username: bob.username, password: PASSWORD } }),
  });
  return (res.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
}

describe('fuzzing every procedure over HTTP', () => {
  it('walks the whole router', () => {
    expect(procedures.length).toBeGreaterThanOrEqual(40);
  });

  // Found by the fuzzer on PostgreSQL (whose text cannot hold U+0000): a 500 from deep in a query.
  it.each([
    ['chats.direct', 'mutation', () => ({ username: `${bob.username}\u0000` })],
    ['message.send', 'mutation', () => ({ id: randomUUID(), chatId: ids[0], body: 'hi\u0000there' })],
    ['search.messages', 'query', () => ({ q: 'hello\u0000' })],
    ['profiles.update', 'mutation', () => ({ displayName: 'Al\u0000ice' })],
  ] as const)('%s refuses a NUL character with BAD_REQUEST, changing nothing', async (path, type, input) => {
    const before = await fingerprint();
    const answer = await call(path, type, { json: input() }, cookieOf(alice.client));
    expect(answer.status, answer.text).toBe(400);
    expect(answer.text).toContain('NUL character');
    expect(await fingerprint()).toEqual(before);
  });

  it.each(procedures.map(([path, p]) => [path, p] as const))(
    '%s: no 500, and a refusal changes nothing',
    async (path, procedure) => {
      await fc.assert(
        fc.asyncProperty(inputFor(procedure), fc.boolean(), async (body, signedIn) => {
          const cookie = !signedIn ? '' : ENDS_SESSION.has(path) ? await throwawaySession() : cookieOf(alice.client);
          const before = await fingerprint();
          const answer = await call(path, procedure._def.type, body, cookie);
          expect(answer.status, answer.text).not.toBe(500);
          expect(answer.text).not.toContain('INTERNAL_SERVER_ERROR');
          const refused = answer.status >= 400 || /"error"/.test(answer.text.slice(0, 200));
          if (refused) expect(await fingerprint()).toEqual(before);
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
      // Alice's own session survived whatever was thrown at it.
      expect(await alice.client.api.auth.me.query()).toMatchObject({ id: alice.id });
    },
  );
});
