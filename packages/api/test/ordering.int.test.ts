/**
 * DESIGN.md invariant 3: transactions commit in any order, and the stream
 * still skips nothing. Two real transactions on two connections are forced to
 * commit out of order, while a live stream and a polling reader watch.
 *
 * PostgreSQL only: PGlite is one connection, where transactions cannot
 * interleave at all (so the case cannot arise there).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePosition } from '../src/domain/events/cursor';
import { pollEvents } from '../src/domain/events/poll';
import { insertUserEvent, readHead } from '../src/domain/events/store';
import { makeDeps, makeUser, type TestDeps, type TestUser } from './deps';
import { recordStream } from './events';

const onPostgres = process.env.TEST_DB === 'postgres';
let deps: TestDeps;
let user: TestUser;

beforeAll(async () => {
  deps = await makeDeps();
  user = await makeUser(deps);
});
afterAll(async () => {
  await deps?.close();
});

function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

/** Writes a marker event for `user` inside a transaction whose steps the test controls. */
function writer(label: string, options: { takeXidFirst: boolean }) {
  const started = gate();
  const write = gate();
  const written = gate();
  const commit = gate();
  const done = deps.db
    .transaction(async (tx) => {
      if (options.takeXidFirst) await tx.execute(sql`select pg_current_xact_id()`);
      started.open();
      await write.opened;
      await insertUserEvent(tx, user.id, 'contact.removed', { userId: label });
      written.open();
      await commit.opened;
    })
    .then(() => deps.hub.announce()); // as domain code does after commit
  return { started: started.opened, written: written.opened, write: write.open, commit: commit.open, done };
}

const labels = (items: { type: string; payload?: unknown }[]) =>
  items.flatMap((i) => (i.type === 'contact.removed' ? [(i.payload as { userId: string }).userId] : []));

describe.skipIf(!onPostgres)('out-of-order commits', () => {
  it('a later writer cannot commit its event before an earlier one has committed', async () => {
    const stream = await recordStream(deps, user.id);
    const from = encodePosition(await readHead(deps.db));
    const first = writer('first', { takeXidFirst: false });
    first.write();
    await first.written; // holds the lower event id, not committed
    const second = writer('second', { takeXidFirst: false });
    second.write();
    second.commit();
    let secondDone = false;
    void second.done.then(() => {
      secondDone = true;
    });

    await new Promise((r) => setTimeout(r, 300));
    // The second waits for the first (cursor.ts): nothing is visible, nothing handed out.
    expect(secondDone).toBe(false);
    const early = await pollEvents(deps.db, { userId: user.id, sessionRef: 't' }, from, 100);
    expect(labels(early.items.map((i) => i.item))).toEqual([]);
    expect(labels(stream.items)).toEqual([]);

    first.commit();
    await Promise.all([first.done, second.done]);
    await stream.until((items) => labels(items).length === 2);
    expect(labels(stream.items)).toEqual(['first', 'second']);
    const late = await pollEvents(deps.db, { userId: user.id, sessionRef: 't' }, from, 100);
    expect(labels(late.items.map((i) => i.item))).toEqual(['first', 'second']);
    stream.stop();
  });

  it('a transaction that began first but writes last is neither skipped nor repeated', async () => {
    const stream = await recordStream(deps, user.id);
    const from = encodePosition(await readHead(deps.db));
    const early = writer('began-first', { takeXidFirst: true });
    await early.started; // has the lower transaction id, has written nothing
    const late = writer('began-second', { takeXidFirst: true });
    late.write();
    late.commit();
    await late.done;
    // A long transaction that has not written events holds nothing up.
    await stream.until((items) => labels(items).length === 1);
    const mid = await pollEvents(deps.db, { userId: user.id, sessionRef: 't' }, from, 100);
    expect(labels(mid.items.map((i) => i.item))).toEqual(['began-second']);

    early.write();
    early.commit();
    await early.done;
    await stream.until((items) => labels(items).length === 2);
    expect(labels(stream.items)).toEqual(['began-second', 'began-first']);
    // A client resuming from the middle gets exactly the rest.
    const rest = await pollEvents(
      deps.db,
      { userId: user.id, sessionRef: 't' },
      mid.items.at(-1)?.position ? encodePosition(mid.cursor) : from,
      100,
    );
    expect(labels(rest.items.map((i) => i.item))).toEqual(['began-first']);
    stream.stop();
  });
});
