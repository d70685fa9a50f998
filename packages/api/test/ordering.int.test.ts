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
import { insertUserEvent } from '../src/domain/events/store';
import { pollEvents, startPosition } from '../src/domain/events/stream';
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
  it('an older transaction committing after a newer one is not skipped (ids in order, commits reversed)', async () => {
    const stream = await recordStream(deps, user.id);
    const from = encodePosition((await startPosition(deps.db, null)).cursor);
    const first = writer('first', { takeXidFirst: false });
    first.write();
    await first.written; // holds the lower event id
    const second = writer('second', { takeXidFirst: false });
    second.write();
    second.commit();
    await second.done; // the higher id is committed, the lower one is not

    await new Promise((r) => setTimeout(r, 300));
    const early = await pollEvents(deps.db, { userId: user.id, sessionRef: 't' }, from, 100);
    // Nothing may be handed out past the running transaction's event.
    expect(labels(early.items.map((i) => i.item))).toEqual([]);
    expect(labels(stream.items)).toEqual([]);

    first.commit();
    await first.done;
    await stream.until((items) => labels(items).length === 2);
    expect(labels(stream.items)).toEqual(['first', 'second']);
    const late = await pollEvents(deps.db, { userId: user.id, sessionRef: 't' }, from, 100);
    expect(labels(late.items.map((i) => i.item))).toEqual(['first', 'second']);
    stream.stop();
  });

  it('a transaction that began first but writes last is not skipped (transaction ids reversed)', async () => {
    const stream = await recordStream(deps, user.id);
    const from = encodePosition((await startPosition(deps.db, null)).cursor);
    const early = writer('began-first', { takeXidFirst: true });
    await early.started; // has the lower transaction id, has written nothing
    const late = writer('began-second', { takeXidFirst: true });
    late.write();
    late.commit();
    await late.done;
    await new Promise((r) => setTimeout(r, 300));
    expect(labels(stream.items)).toEqual([]);

    early.write();
    early.commit();
    await early.done;
    await stream.until((items) => labels(items).length === 2);
    expect(labels(stream.items)).toEqual(['began-first', 'began-second']);
    const page = await pollEvents(deps.db, { userId: user.id, sessionRef: 't' }, from, 100);
    expect(labels(page.items.map((i) => i.item))).toEqual(['began-first', 'began-second']);
    stream.stop();
  });
});
