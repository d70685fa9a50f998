import { randomBytes } from 'node:crypto';
import { connectPostgres, type DatabaseHandle, openDatabase } from './client';

export type TestDatabaseKind = 'postgres' | 'pglite';

export function testDatabaseKind(): TestDatabaseKind {
  const kind = process.env.TEST_DB ?? 'pglite';
  if (kind !== 'postgres' && kind !== 'pglite') throw new Error(`TEST_DB must be postgres or pglite, not ${kind}`);
  return kind;
}

/** The server the postgres test runs create their databases on. */
export const testAdminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  kind: TestDatabaseKind;
  /** Set for PostgreSQL: a database of its own, so runs never see each other's rows. */
  url: string | undefined;
  /** Set for PGlite: a directory of its own. */
  dataDir: string | undefined;
  drop(): Promise<void>;
}

/**
 * Creates an empty database for one test file: a fresh PostgreSQL database on
 * the local server, or a fresh PGlite directory. Migrations are applied by
 * whoever opens it (the server under test or `openTestDatabase`).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const kind = testDatabaseKind();
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  if (kind === 'pglite') {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dataDir = mkdtempSync(join(tmpdir(), `chat-${name}-`));
    return {
      kind,
      url: undefined,
      dataDir,
      async drop() {
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const admin = connectPostgres(testAdminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(testAdminUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    dataDir: undefined,
    async drop() {
      const a = connectPostgres(testAdminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** A fresh, migrated database handle for domain tests. */
export async function openTestDatabase(): Promise<
  DatabaseHandle & { drop(): Promise<void> /** PostgreSQL's URL (undefined on PGlite). */; url: string | undefined }
> {
  const target = await createTestDatabase();
  const handle = await openDatabase({ databaseUrl: target.url, dataDir: target.dataDir });
  return {
    ...handle,
    db: handle.db,
    kind: handle.kind,
    url: target.url,
    async drop() {
      await handle.close();
      await target.drop();
    },
  };
}
