/**
 * The production start, as the image does it: assemble the bundle with the
 * same script the Dockerfile runs (infra/docker/bundle.sh), then start the
 * Dockerfile's CMD in its WORKDIR with its ENV (paths under /app mapped to the
 * bundle), against a fresh database (TEST_DB=postgres: the local PostgreSQL;
 * pglite: a directory). Then a smoke test through the typed client, the image's
 * own HEALTHCHECK command, and SIGTERM, which must end the process with 0.
 *
 * What differs from the container: Node here is the machine's (20), the image's
 * is newer; and there is no tini in front (the server handles SIGTERM itself).
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChatClient } from '@chat/api/client';
import { createTestDatabase, type TestDatabase } from '@chat/db/testing';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleScript, repoRoot, runtimeStage } from './support';

const image = runtimeStage();
const webDist = join(repoRoot, 'apps', 'web', 'dist');

let workdir: string;
let bundleRoot: string;
let database: TestDatabase;
let child: ChildProcess;
let url: string;
let port: number;
let output = '';
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
let s3: S3rver;
let s3Dir: string;

/** A 4×3 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAEElEQVQImWMwTjsDRww4OQA/XBC9rAe9TAAAAABJRU5ErkJggg==',
  'base64',
);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The image's ENV with paths under its WORKDIR moved to where the bundle is here. */
function imageEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(image.env).map(([key, value]) => [
      key,
      value === image.workdir || value.startsWith(`${image.workdir}/`)
        ? join(workdir, value.slice(image.workdir.length))
        : value,
    ]),
  );
}

async function waitForHealth(timeoutMs: number): Promise<void> {
  const start = Date.now();
  let exitedEarly = false;
  void exited.then(() => {
    exitedEarly = true;
  });
  while (Date.now() - start < timeoutMs) {
    if (exitedEarly) throw new Error(`the server exited during start-up:\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no healthy /healthz within ${timeoutMs} ms:\n${output}`);
}

beforeAll(async () => {
  // The SPA is part of the bundle: build it if this checkout has not (`pnpm build` does the same).
  if (!existsSync(join(webDist, 'index.html'))) {
    execFileSync('pnpm', ['--filter', '@chat/web', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  }
  bundleRoot = mkdtempSync(join(tmpdir(), 'chat-bundle-'));
  // The Dockerfile copies the bundle (/out) to its WORKDIR (/app): here both are `workdir`.
  workdir = join(bundleRoot, 'app');
  execFileSync('sh', [bundleScript, workdir], { cwd: repoRoot, stdio: 'pipe' });

  database = await createTestDatabase({ migrated: false });
  // The image store, as compose runs one: an S3-compatible server with the bucket made.
  s3Dir = mkdtempSync(join(tmpdir(), 'chat-s3-'));
  const s3Port = await freePort();
  s3 = new S3rver({
    port: s3Port,
    address: '127.0.0.1',
    silent: true,
    directory: s3Dir,
    configureBuckets: [{ name: 'chat', configs: [] }],
  });
  await s3.run();
  port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    // What a container has besides the image's ENV: a PATH and a HOME.
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: bundleRoot,
    ...imageEnv(),
    PORT: String(port),
    LOG_LEVEL: 'info',
    ...(database.url ? { DATABASE_URL: database.url } : { DATA_DIR: database.dataDir as string }),
    S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
    S3_BUCKET: 'chat',
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
  };
  const [command, ...args] = image.cmd as [string, ...string[]];
  child = spawn(command, args, { cwd: workdir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  await waitForHealth(45_000);
}, 240_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
  await database?.drop();
  await s3?.close();
  if (s3Dir) rmSync(s3Dir, { recursive: true, force: true });
  if (bundleRoot) rmSync(bundleRoot, { recursive: true, force: true });
});

describe('the production bundle, started as the image starts it', () => {
  it('contains only the compiled server, its production dependencies and the built SPA', () => {
    expect(existsSync(join(workdir, 'dist', 'main.js'))).toBe(true);
    expect(existsSync(join(workdir, 'dist', 'main.js.map'))).toBe(true);
    expect(existsSync(join(workdir, 'dist', 'migrations', 'meta', '_journal.json'))).toBe(true);
    expect(existsSync(join(workdir, 'web', 'index.html'))).toBe(true);
    // No TypeScript at run time: no sources, no tsx; the workspace packages are inlined in main.js.
    expect(existsSync(join(workdir, 'src'))).toBe(false);
    expect(existsSync(join(workdir, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(join(workdir, 'node_modules', '@chat'))).toBe(false);
    // Development tools stay out.
    expect(existsSync(join(workdir, 'node_modules', 'vitest'))).toBe(false);
    expect(existsSync(join(workdir, 'node_modules', 'esbuild'))).toBe(false);
    expect(existsSync(join(workdir, 'node_modules', '@biomejs'))).toBe(false);
  });

  it('is healthy, with the database up, and passes the image HEALTHCHECK command', async () => {
    const res = await fetch(`${url}/healthz`);
    expect(await res.json()).toEqual({ status: 'ok', database: 'up' });
    const [command, ...args] = image.healthcheck as [string, ...string[]];
    const check = spawnSync(command, args, { env: { PATH: process.env.PATH, PORT: String(port) }, timeout: 10_000 });
    expect(check.status).toBe(0);
    const wrongPort = spawnSync(command, args, { env: { PATH: process.env.PATH, PORT: '1' }, timeout: 10_000 });
    expect(wrongPort.status).toBe(1);
  });

  it('serves the built SPA at /', async () => {
    const res = await fetch(`${url}/`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(readFileSync(join(workdir, 'web', 'index.html'), 'utf8'));
  });

  it('registers a user and knows them through the typed client (smoke test)', async () => {
    const username = `smoke_${Date.now().toString(36)}`;
    const password = 'correct horse battery';
    const alice = createChatClient({ url, origin: url });
    try {
      const user = await alice.api.auth.register.mutate({ username, password, passwordRepeat: password });
      expect(user.username).toBe(username);
      const me = await alice.api.auth.me.query();
      expect(me?.username).toBe(username);
    } finally {
      alice.close();
    }
  });

  it('sends a message with an image (stored on S3), and the other user receives both', async () => {
    const password = 'correct horse battery';
    const [alice, bob] = [createChatClient({ url, origin: url }), createChatClient({ url, origin: url })];
    try {
      const a = await alice.api.auth.register.mutate({
        username: `a_${Date.now().toString(36)}`,
        password,
        passwordRepeat: password,
      });
      const b = await bob.api.auth.register.mutate({
        username: `b_${Date.now().toString(36)}`,
        password,
        passwordRepeat: password,
      });
      await alice.api.contacts.request.mutate({ username: b.username });
      await bob.api.contacts.accept.mutate({ userId: a.id });
      const chat = await alice.api.chats.direct.mutate({ username: b.username });

      const received: string[] = [];
      let live = false;
      const stream = bob.events((item) => {
        if (item.type === 'stream.ready') live = true;
        if (item.type === 'message.created') received.push(item.payload.message.id);
      });
      const up = await fetch(`${url}/api/uploads?chatId=${chat.id}&name=dot.png`, {
        method: 'POST',
        headers: { cookie: alice.cookie() ?? '', origin: url },
        body: new Uint8Array(PNG),
      });
      expect(up.status).toBe(201);
      const upload = (await up.json()) as { id: string };
      for (let i = 0; i < 200 && !live; i++) await new Promise((r) => setTimeout(r, 50));
      expect(live).toBe(true);
      const sent = await alice.api.message.send.mutate({
        id: randomUUID(),
        chatId: chat.id,
        body: 'hello',
        attachmentIds: [upload.id],
      });
      const deadline = Date.now() + 10_000;
      while (!received.includes(sent.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      stream.stop();
      expect(received).toEqual([sent.id]);
      const image = await fetch(`${url}/api/images/${upload.id}`, { headers: { cookie: bob.cookie() ?? '' } });
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/png');
      expect(readdirSync(s3Dir, { recursive: true }).join(' ')).toContain(upload.id);
    } finally {
      alice.close();
      bob.close();
    }
  });

  it('stops with exit code 0 within a few seconds of SIGTERM', async () => {
    const start = Date.now();
    child.kill('SIGTERM');
    const result = await Promise.race([
      exited,
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 8_000)),
    ]);
    expect(result, `still running 8 s after SIGTERM:\n${output}`).not.toBe('timeout');
    expect(result).toEqual({ code: 0, signal: null });
    expect(Date.now() - start).toBeLessThan(8_000);
    expect(output).toContain('shutting down');
  });
});
