import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectPostgres, type DatabaseHandle, migrationsFolder, openDatabase } from './client';

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
 * whoever opens it (the server under test or `openTestDatabase`); a PGlite
 * directory starts already migrated unless `migrated: false` (a first start
 * from nothing, as an operator's).
 */
export async function createTestDatabase({ migrated = true } = {}): Promise<TestDatabase> {
  const kind = testDatabaseKind();
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  if (kind === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), `chat-${name}-`));
    if (migrated) cpSync(await pgliteTemplate(), dataDir, { recursive: true });
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

/**
 * A migrated, empty PGlite data directory that test databases start as a copy
 * of: PGlite's initdb and the migrations cost seconds of CPU, a copy a tenth
 * of one. Named by the migrations and PGlite's build, so a change to either
 * makes a new one; made once per machine, whichever test file gets there first
 * (built aside, then renamed into place, so no one copies half of one).
 */
async function pgliteTemplate(): Promise<string> {
  const hash = createHash('sha256').update(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  for (const file of readdirSync(migrationsFolder, { recursive: true, encoding: 'utf8' }).sort()) {
    const path = join(migrationsFolder, file);
    if (file.endsWith('.sql') || file.endsWith('.json')) hash.update(file).update(readFileSync(path));
  }
  const template = join(tmpdir(), `chat-pglite-template-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(template)) return template;
  const building = mkdtempSync(join(tmpdir(), 'chat-pglite-building-'));
  const handle = await openDatabase({ databaseUrl: undefined, dataDir: building });
  await handle.close();
  try {
    renameSync(building, template);
  } catch (error) {
    // Another test file made it first; theirs is the same.
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(template)) throw error;
  }
  return template;
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
