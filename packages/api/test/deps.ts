/** Domain tests: real deps over a fresh database, and people by role. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contacts, users } from '@chat/db';
import { openTestDatabase } from '@chat/db/testing';
import { LocalBlobStore } from '../src/blobs';
import { composeDeps } from '../src/compose';
import type { Deps } from '../src/deps';
import { hashPassword } from '../src/domain/auth/password-hash';
import { silentLogger } from '../src/logger';

export interface TestDeps extends Deps {
  /** The test database's URL (on PostgreSQL), for a second process's connection. */
  databaseUrl: string | undefined;
  close(): Promise<void>;
}

export async function makeDeps(): Promise<TestDeps> {
  const database = await openTestDatabase();
  const blobDir = mkdtempSync(join(tmpdir(), 'chat-blobs-'));
  const services = await composeDeps({
    database,
    blobs: new LocalBlobStore(blobDir),
    log: silentLogger,
    sessions: { secureCookies: false },
    // Offline at once: these tests watch presence change, not the grace (apps/server/test/presence.int.test.ts does).
    presence: { offlineGraceMs: 0 },
  });
  return {
    ...services.deps,
    databaseUrl: database.url,
    async close() {
      await services.stop();
      await database.drop();
      rmSync(blobDir, { recursive: true, force: true });
    },
  };
}

let sharedHash: Promise<string> | undefined;

export interface TestUser {
  id: string;
  username: string;
}

/** Inserts users directly (one shared password hash: argon2 per user would dominate the tests). */
export async function makeUsers(deps: Pick<Deps, 'db'>, count: number, prefix = 'u'): Promise<TestUser[]> {
  sharedHash ??= hashPassword('correct horse battery');
  const passwordHash = await sharedHash;
  const rows = Array.from({ length: count }, () => {
    const username = `${prefix}_${randomBytes(5).toString('hex')}`;
    return { username, displayName: username, passwordHash };
  });
  const out: TestUser[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const inserted = await deps.db
      .insert(users)
      .values(rows.slice(i, i + 500))
      .returning({ id: users.id, username: users.username });
    out.push(...inserted);
  }
  return out;
}

export async function makeUser(deps: Pick<Deps, 'db'>, prefix = 'u'): Promise<TestUser> {
  const [u] = await makeUsers(deps, 1, prefix);
  if (!u) throw new Error('no user made');
  return u;
}

/** Makes `owner` a mutual contact of each of `others`, directly. */
export async function makeContacts(deps: Pick<Deps, 'db'>, owner: TestUser, others: TestUser[]): Promise<void> {
  for (let i = 0; i < others.length; i += 500) {
    const slice = others.slice(i, i + 500);
    await deps.db.insert(contacts).values(
      slice.flatMap((o) => [
        { userId: owner.id, contactId: o.id },
        { userId: o.id, contactId: owner.id },
      ]),
    );
  }
}
