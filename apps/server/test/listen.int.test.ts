/**
 * DESIGN.md invariant 4: NOTIFY is only a hint, and a LISTEN connection can
 * drop. Here an event is committed with no NOTIFY at all, the server's LISTEN
 * connection is then killed, and the event must still arrive: reconnecting
 * the LISTEN triggers a catch-up read. The fallback poll is set to a minute so
 * it cannot be what delivers it. PostgreSQL only (PGlite has no connections).
 */
import { openDatabase } from '@chat/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStream, makeUser, type Person } from './clients';
import { startTestServer, type TestServer } from './harness';

const onPostgres = process.env.TEST_DB === 'postgres';

describe.skipIf(!onPostgres)('a lost LISTEN connection', () => {
  let t: TestServer;
  let user: Person;
  beforeAll(async () => {
    t = await startTestServer({ safetyPollMs: 60_000 });
    user = await makeUser(t.url);
  });
  afterAll(async () => {
    user?.client.close();
    await t?.stop();
  });

  it('is re-established and followed by a catch-up read', async () => {
    const stream = collectStream(user.client);
    await stream.until((i) => i.some((x) => x.type === 'stream.ready'));
    const other = await openDatabase({ databaseUrl: t.database.url, dataDir: '' });
    try {
      // Committed behind the server's back: no NOTIFY, nothing wakes it.
      await other.db.execute(sql`insert into events (user_id, type, payload)
        values (${user.id}, 'contact.removed', ${JSON.stringify({ json: { userId: 'silent' } })}::jsonb)`);
      await new Promise((r) => setTimeout(r, 500));
      expect(stream.items.map((i) => i.type)).not.toContain('contact.removed');

      const killed = await other.db.execute(
        sql`select pg_terminate_backend(pid) from pg_stat_activity
            where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`,
      );
      expect(Array.from(killed as unknown as unknown[]).length).toBeGreaterThan(0);
      await stream.until((i) => i.some((x) => x.type === 'contact.removed'), 15_000);
    } finally {
      await other.close();
      stream.unsubscribe();
    }
  });
});
