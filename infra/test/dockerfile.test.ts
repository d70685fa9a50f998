/**
 * The image, checked without a Docker engine: the Dockerfile's structure and
 * what the runtime stage promises (non-root, health check, signals, one port).
 * production-start.int.test.ts then runs the bundle exactly as CMD does.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bundleScript,
  dockerfilePath,
  dockerignorePath,
  execForm,
  parseDockerfile,
  repoRoot,
  runtimeStage,
  serverEnvNames,
} from './support';

const stages = parseDockerfile(readFileSync(dockerfilePath, 'utf8'));
const build = stages[0];
const runtime = runtimeStage();
const runs = (stage: typeof build) => stage?.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args) ?? [];

describe('Dockerfile', () => {
  it('has a build stage and a runtime stage on the same current Node LTS (22 or newer), slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      const match = /^node:(\d+)(?:\.\d+)*-[a-z]+-slim$|^node:(\d+)(?:\.\d+)*-slim$/.exec(stage.image);
      expect(match, `${stage.image} should be node:<LTS>[-<debian>]-slim`).not.toBeNull();
      const major = Number(match?.[1] ?? match?.[2]);
      expect(major).toBeGreaterThanOrEqual(22);
      expect(major % 2, 'even majors are the LTS lines').toBe(0);
    }
    expect(new Set(stages.map((s) => s.image)).size, 'build and run on the same Node').toBe(1);
  });

  it('installs from the lockfile, builds the SPA and the server and assembles the bundle in the build stage', () => {
    const commands = runs(build).join('\n');
    expect(commands).toMatch(/npm install -g "?pnpm@/);
    expect(commands).toMatch(/pnpm install --frozen-lockfile/);
    expect(commands).toMatch(/pnpm build/);
    expect(commands).toContain('infra/docker/bundle.sh /out');
    expect(existsSync(bundleScript)).toBe(true);
    execFileSync('sh', ['-n', bundleScript]);
  });

  it('copies only the bundle into the runtime stage, nothing from the build context', () => {
    const copies = runtime.stage.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD');
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      expect(copy.keyword).toBe('COPY');
      expect(copy.args, 'runtime COPY must come from the build stage').toMatch(/^--from=build\s/);
    }
    expect(runs(runtime.stage).join('\n')).not.toMatch(/pnpm install|npm install/);
  });

  it('runs as a non-root user, with tini as PID 1 and SIGTERM as the stop signal', () => {
    expect(runtime.user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(runtime.user);
    const last = (k: string) => runtime.stage.instructions.filter((i) => i.keyword === k).at(-1)?.args;
    expect(last('STOPSIGNAL')).toBe('SIGTERM');
    const entrypoint = execForm(last('ENTRYPOINT') ?? '[]');
    expect(entrypoint[0]).toMatch(/\/tini$/);
    expect(entrypoint).toContain('--');
    expect(runs(runtime.stage).join('\n')).toMatch(/apt-get install .*\btini\b/);
  });

  it('starts the compiled server with plain node (no tsx), in production mode on port 3000', () => {
    expect(runtime.cmd).toEqual(['node', '--enable-source-maps', '--max-semi-space-size=32', 'dist/main.js']);
    // The same command as `pnpm start` runs, flags included.
    const start = JSON.parse(readFileSync(new URL('../../apps/server/package.json', import.meta.url), 'utf8')).scripts
      .start;
    expect(start).toBe(runtime.cmd.join(' '));
    expect(runtime.cmd.join(' ')).not.toMatch(/tsx|\.ts\b/);
    expect(runtime.workdir).toBe('/app');
    expect(runtime.env).toMatchObject({ NODE_ENV: 'production', PORT: '3000', HOST: '0.0.0.0' });
    expect(runtime.env.WEB_DIST).toBe('/app/web');
    const expose = runtime.stage.instructions.filter((i) => i.keyword === 'EXPOSE').map((i) => i.args);
    expect(expose).toEqual(['3000']);
    const known = serverEnvNames();
    for (const name of Object.keys(runtime.env)) expect(known, `ENV ${name} is not read by the server`).toContain(name);
  });

  it('has a HEALTHCHECK that asks /healthz with node (the slim image has no curl)', () => {
    const [program, flag, script, extra] = runtime.healthcheck;
    expect(program).toBe('node');
    expect(flag).toBe('-e');
    expect(script).toContain('/healthz');
    expect(script).toContain('process.env.PORT');
    expect(extra).toBeUndefined();
    const health = runtime.stage.instructions.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '';
    expect(health).toMatch(/--interval=\d+s/);
    expect(health).toMatch(/--timeout=\d+s/);
  });
});

describe('.dockerignore', () => {
  const ignored = readFileSync(dockerignorePath, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('keeps host installs and builds, git, secrets and cloud state out of the build context', () => {
    for (const pattern of ['**/node_modules', '**/dist', '.git', '.env', '**/.terraform', '**/*.tfstate']) {
      expect(ignored).toContain(pattern);
    }
  });

  it('does not exclude anything the build needs', () => {
    const needed = ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'apps', 'packages', 'infra/docker'];
    for (const path of needed) {
      expect(existsSync(join(repoRoot, path)), `${path} exists`).toBe(true);
      expect(ignored).not.toContain(path);
    }
  });
});
