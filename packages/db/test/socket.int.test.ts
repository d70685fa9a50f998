/**
 * A PostgreSQL URL with libpq's `host` parameter (client.ts, `connectPostgres`):
 * a directory there is a Unix socket's, and the server is reached through it,
 * not over TCP. PostgreSQL only, and only where its socket is (Debian's
 * packages put it in /var/run/postgresql, as on our machines and in CI).
 */
import { existsSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { connectPostgres, openDatabase, splitHost } from '../src/client';
import { createTestDatabase, type TestDatabase, testAdminUrl } from '../src/testing';

const SOCKET_DIR = '/var/run/postgresql';
const onPostgres = process.env.TEST_DB === 'postgres';
const port = new URL(testAdminUrl).port || '5432';
const socketHere = existsSync(`${SOCKET_DIR}/.s.PGSQL.${port}`);

describe('splitHost', () => {
  it('takes the host parameter out of the URL, keeping the rest', () => {
    expect(splitHost('postgres://u:p@localhost:5433/db?host=/var/run/postgresql&sslmode=disable')).toEqual({
      url: 'postgres://u:p@localhost:5433/db?sslmode=disable',
      host: '/var/run/postgresql',
    });
    expect(splitHost('postgres://u@localhost/db?host=%2Ftmp')).toEqual({
      url: 'postgres://u@localhost/db',
      host: '/tmp',
    });
    expect(splitHost('postgres://u@db.internal/db')).toEqual({ url: 'postgres://u@db.internal/db', host: undefined });
  });
});

describe.runIf(onPostgres && socketHere)('a URL naming a Unix socket directory', () => {
  let target: TestDatabase | undefined;
  afterAll(async () => {
    await target?.drop();
  });

  it('reaches PostgreSQL through the socket (no client address), for a client and for openDatabase', async () => {
    const viaSocket = new URL(testAdminUrl);
    viaSocket.searchParams.set('host', SOCKET_DIR);
    const client = connectPostgres(viaSocket.toString(), { max: 1, onnotice: () => {} });
    try {
      const [row] = await client`select inet_client_addr() as addr`;
      expect(row?.addr).toBeNull();
    } finally {
      await client.end();
    }
    // Over TCP the same server gives the client's address: the check above tells the two apart.
    const tcp = connectPostgres(testAdminUrl, { max: 1, onnotice: () => {} });
    try {
      const [row] = await tcp`select inet_client_addr()::text as addr`;
      expect(row?.addr).toMatch(/^(127\.0\.0\.1|::1)/);
    } finally {
      await tcp.end();
    }

    target = await createTestDatabase();
    const url = new URL(target.url ?? '');
    url.searchParams.set('host', SOCKET_DIR);
    const handle = await openDatabase({ databaseUrl: url.toString() });
    try {
      const rows = await handle.db.execute(sql`select inet_client_addr() as addr, count(*)::int as users from users`);
      expect([...rows]).toEqual([{ addr: null, users: 0 }]);
    } finally {
      await handle.close();
    }
  });
});
