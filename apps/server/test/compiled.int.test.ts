/**
 * The compiled server (apps/server/build.ts), started as `pnpm start` and the
 * image start it: plain `node --enable-source-maps main.js`, no tsx. It must
 * find what it reads from disk at run time without the source tree beside it
 * (the migrations, the SPA), and serve the API end to end through the typed
 * client, on PGlite and PostgreSQL alike.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@chat/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receive, until } from './burst';
import { makeUser, type Person } from './clients';
import { makeDirect } from './people';
import { type ServerProcess, spawnServer } from './process';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
// Under apps/server, so the bundle's imports resolve from apps/server/node_modules
// as they do from dist/; a directory of its own, so parallel runs do not collide.
const outDir = join(serverDir, 'dist', `.test-${randomBytes(4).toString('hex')}`);
const webDist = join(outDir, 'web');
const INDEX = '<!doctype html><title>compiled test</title>';

let database: TestDatabase;
let server: ServerProcess;
const people: Person[] = [];

beforeAll(async () => {
  execFileSync(process.execPath, ['--import', 'tsx', 'build.ts', outDir], { cwd: serverDir, stdio: 'pipe' });
  mkdirSync(webDist);
  writeFileSync(join(webDist, 'index.html'), INDEX);
  database = await createTestDatabase({ migrated: false });
  server = await spawnServer(database, undefined, { WEB_DIST: webDist }, { main: join(outDir, 'main.js') });
}, 120_000);

afterAll(async () => {
  for (const p of people) p.client.close();
  await server?.kill('SIGTERM');
  await database?.drop();
  rmSync(outDir, { recursive: true, force: true });
});

describe('the compiled server', () => {
  it('is one file with the workspace packages inlined, a source map and the migrations beside it', () => {
    const bundle = readFileSync(join(outDir, 'main.js'), 'utf8');
    expect(bundle).not.toMatch(/from\s*["']@chat\//);
    expect(bundle).toMatch(/from\s*["']drizzle-orm["']/);
    expect(existsSync(join(outDir, 'main.js.map'))).toBe(true);
    expect(existsSync(join(outDir, 'migrations', 'meta', '_journal.json'))).toBe(true);
    expect(server.child.spawnargs.join(' ')).not.toContain('tsx');
  });

  it('is healthy with the database migrated, and serves the SPA from WEB_DIST', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'up' });
    const page = await fetch(`${server.url}/chats/@someone`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(INDEX);
  });

  it('registers users and delivers a message through the typed client', async () => {
    const alice = await makeUser(server.url, { prefix: 'alice' });
    const bob = await makeUser(server.url, { prefix: 'bob' });
    people.push(alice, bob);
    const chatId = await makeDirect(alice, bob);
    const onBob = receive(bob.client);
    await until(() => onBob.state.ready, "bob's stream");
    const sent = await alice.client.api.message.send.mutate({ id: randomUUID(), chatId, body: 'hello **compiled**' });
    await until(() => onBob.state.ids.includes(sent.id), 'the message on bob’s stream', 10_000);
    onBob.stop();
    const page = await bob.client.api.message.history.query({ chatId });
    expect(page.messages.map((m) => m.body)).toContain('hello **compiled**');
  });

  it('reports a bad request as a tRPC error, as from source', async () => {
    const [alice] = people as [Person];
    await expect(
      alice.client.api.message.send.mutate({ id: randomUUID(), chatId: randomUUID(), body: 'to nowhere' }),
    ).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
  });
});
