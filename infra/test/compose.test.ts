// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL and compose expressions, not JS templates
/**
 * docker-compose.yml, checked without a Docker engine: it parses, every
 * setting has a default (no .env needed), the services are wired as the
 * deployment guide says, and the app's environment is a valid server config.
 *
 * What this cannot check here: that the images can be pulled (no registry but
 * npm and Debian is reachable). It checks that each image is pinned to a
 * version tag; the tags were chosen from the images' published releases.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DCLinter } from 'dclint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../apps/server/src/config';
import { composePath, repoRoot, runtimeStage, serverEnvNames } from './support';

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string } | string;
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string>;
  env_file?: unknown;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  user?: string;
  restart?: string;
  configs?: { source: string; target: string }[];
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  configs?: Record<string, { content?: string; file?: string }>;
}

const raw = readFileSync(composePath, 'utf8');

/**
 * Compose's interpolation, as `docker compose` does it: `$$` is a literal `$`,
 * `${VAR:-default}` / `${VAR-default}` take the default when VAR is unset (or
 * empty, for `:-`). A reference without a default is an error here.
 */
function interpolate(text: string, env: Record<string, string>, strict = true): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g, (match, name, op, fallback) => {
    if (match === '$$') return '$';
    const value = env[name];
    if (op === ':-') return value ? value : fallback;
    if (op === '-') return value ?? fallback;
    if (value === undefined && strict) throw new Error(`\${${name}} has no default: it would need a .env file`);
    return value ?? '';
  });
}

const load = (env: Record<string, string> = {}, strict = false) => parse(interpolate(raw, env, strict)) as Compose;
const compose = load();
const { services } = compose;
const asList = (v: string[] | string | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

describe('docker-compose.yml', () => {
  it('parses, and every variable has a default, so no .env is needed', () => {
    expect(parse(raw)).toBeTypeOf('object');
    // Unbraced `$VAR` would bypass the default rule: only `$$` (escape) and `${...}` appear.
    expect(raw.replace(/\$\$/g, '')).not.toMatch(/\$[A-Za-z_]/);
    expect(() => load({}, true)).not.toThrow();
    for (const [name, service] of Object.entries(services)) {
      expect(service.env_file, `${name} must not need an env file`).toBeUndefined();
      // Quoted, so YAML does not turn `0` into a number or an empty default into null.
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        expect(typeof value, `${name}.environment.${key} should be a string`).toBe('string');
      }
    }
  });

  it('is valid against the Compose Specification schema, and passes the linter rules that matter', () => {
    // dclint bundles compose-spec's JSON schema; its style rules (key order, sorting) are off.
    const off = [
      'service-keys-order',
      'services-alphabetical-order',
      'top-level-properties-order',
      'service-dependencies-alphabetical-order',
      'service-ports-alphabetical-order',
      // The app is meant to be reached from the network; db and store are not published at all.
      'no-unbound-port-interfaces',
    ];
    const linter = new DCLinter({
      rules: { ...Object.fromEntries(off.map((r) => [r, 0])), 'require-quotes-in-ports': [2, { quoteType: 'double' }] },
      quiet: false,
      debug: false,
      exclude: [],
    });
    const [result] = linter.lintFiles([composePath], false);
    expect(result?.messages.map((msg) => `${msg.rule}: ${msg.message}`)).toEqual([]);
  });

  it('runs postgres, an S3-compatible store, its bucket set-up and the app', () => {
    expect(Object.keys(services).sort()).toEqual(['app', 'postgres', 'store', 'store-init']);
  });

  it('pins every pulled image to a version tag, and uses no MinIO image (gone from Docker Hub)', () => {
    for (const [name, service] of Object.entries(services)) {
      if (!service.image) continue;
      const match = /^([a-z0-9]+(?:[._/-][a-z0-9]+)*):([A-Za-z0-9._-]+)$/.exec(service.image);
      expect(match, `${name}: ${service.image} needs an explicit tag`).not.toBeNull();
      expect(match?.[2]).not.toBe('latest');
      expect(match?.[2]).toMatch(/^\d/);
      expect(service.image).not.toMatch(/minio/i);
    }
    expect(services.postgres?.image).toMatch(/^postgres:1[5-9]\b/);
    expect(services.store?.image).toMatch(/^chrislusf\/seaweedfs:\d+\.\d+$/);
    expect(services['store-init']?.image).toBe(services.store?.image);
  });

  it('keeps PostgreSQL on a named volume, with a health check, unpublished', () => {
    const pg = services.postgres as Service;
    const [volume, target] = (pg.volumes?.[0] ?? '').split(':');
    expect(target).toBe('/var/lib/postgresql');
    expect(Object.keys(compose.volumes ?? {})).toContain(volume);
    expect(asList(pg.healthcheck?.test).join(' ')).toContain('pg_isready');
    expect(pg.ports).toBeUndefined();
  });

  it('runs the store with its S3 API on 8333, a named volume and a health check, unpublished', () => {
    const store = services.store as Service;
    const command = asList(store.command);
    expect(command[0]).toBe('server');
    expect(command).toContain('-s3');
    expect(command).toContain('-s3.port=8333');
    const [volume, target] = (store.volumes?.[0] ?? '').split(':');
    expect(target).toBe('/data');
    expect(Object.keys(compose.volumes ?? {})).toContain(volume);
    expect(asList(store.healthcheck?.test).join(' ')).toContain('http://127.0.0.1:8333/healthz');
    expect(store.ports).toBeUndefined();
  });

  it('gives the store exactly the key pair the app uses', () => {
    const store = services.store as Service;
    const configTarget = asList(store.command)
      .find((c) => c.startsWith('-s3.config='))
      ?.slice('-s3.config='.length);
    const mounted = store.configs?.find((c) => c.target === configTarget);
    expect(mounted, 'the -s3.config file is mounted from a compose config').toBeDefined();
    const identities = JSON.parse(compose.configs?.[mounted?.source ?? '']?.content ?? '{}') as {
      identities: { credentials: { accessKey: string; secretKey: string }[]; actions: string[] }[];
    };
    const env = services.app?.environment ?? {};
    expect(identities.identities[0]?.credentials[0]).toEqual({
      accessKey: env.S3_ACCESS_KEY_ID,
      secretKey: env.S3_SECRET_ACCESS_KEY,
    });
    expect(identities.identities[0]?.actions).toEqual(expect.arrayContaining(['Read', 'Write', 'List']));
  });

  it('creates the bucket the app uses once the store is healthy, with a valid script', () => {
    const init = services['store-init'] as Service;
    expect(init.depends_on?.store?.condition).toBe('service_healthy');
    expect(init.restart).toBe('no');
    expect(init.environment?.S3_BUCKET).toBe(services.app?.environment?.S3_BUCKET);
    expect(asList(init.entrypoint)).toEqual(['/bin/sh', '-c']);
    const script = asList(init.command)[0] ?? '';
    expect(script).toContain('s3.bucket.create -name ${S3_BUCKET}');
    expect(script).toMatch(/exit 0/);
    const dir = mkdtempSync(join(tmpdir(), 'compose-'));
    try {
      writeFileSync(join(dir, 'init.sh'), script);
      execFileSync('sh', ['-n', join(dir, 'init.sh')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds the app from this repository and starts it once the database, store and bucket are ready', () => {
    const app = services.app as Service;
    const build = typeof app.build === 'string' ? { context: app.build } : app.build;
    expect(build?.context).toBe('.');
    expect(existsSync(join(repoRoot, build?.context ?? '', build?.dockerfile ?? 'Dockerfile'))).toBe(true);
    expect(app.image).toBeUndefined();
    expect(app.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      store: { condition: 'service_healthy' },
      'store-init': { condition: 'service_completed_successfully' },
    });
  });

  it('publishes only the app, on port 3000 by default', () => {
    expect(services.app?.ports).toEqual(['3000:3000']);
    expect(load({ APP_PORT: '8080' }).services.app?.ports).toEqual(['8080:3000']);
    for (const [name, service] of Object.entries(services)) {
      if (name !== 'app') expect(service.ports, `${name} must not be published`).toBeUndefined();
    }
  });

  it('does not run the app as root', () => {
    const user = services.app?.user ?? runtimeStage().user;
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(runtimeStage().user).toBe('node');
  });

  it('points the app at the postgres and store services, with their credentials', () => {
    const env = services.app?.environment ?? {};
    expect(env.DATABASE_URL).toBe('postgres://chat:chat@postgres:5432/chat');
    expect(env.S3_ENDPOINT).toBe('http://store:8333');
    const pg = services.postgres?.environment ?? {};
    const url = new URL(env.DATABASE_URL ?? '');
    expect([url.username, url.password, url.pathname.slice(1)]).toEqual([
      pg.POSTGRES_USER,
      pg.POSTGRES_PASSWORD,
      pg.POSTGRES_DB,
    ]);
  });

  it('lets every setting be overridden from the environment', () => {
    const custom = load({
      POSTGRES_PASSWORD: 's3cret',
      PUBLIC_ORIGIN: 'https://chat.example.com',
      S3_BUCKET: 'pictures',
      S3_SECRET_ACCESS_KEY: 'another-key',
      LOG_LEVEL: 'debug',
    });
    const env = custom.services.app?.environment ?? {};
    expect(env.DATABASE_URL).toBe('postgres://chat:s3cret@postgres:5432/chat');
    expect(custom.services.postgres?.environment?.POSTGRES_PASSWORD).toBe('s3cret');
    expect(env.PUBLIC_ORIGIN).toBe('https://chat.example.com');
    expect(custom.services['store-init']?.environment?.S3_BUCKET).toBe('pictures');
    expect(custom.configs?.['s3-identities']?.content).toContain('"another-key"');
    expect(env.LOG_LEVEL).toBe('debug');
  });

  it("gives the app only variables the server reads, and they pass the server's own config check", () => {
    // As compose passes them: values become strings; a null value is not set at all.
    const env = Object.fromEntries(
      Object.entries(services.app?.environment ?? {})
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
    const known = serverEnvNames();
    for (const name of Object.keys(env)) expect(known, `${name} is not read by the server`).toContain(name);
    const config = loadConfig({ ...runtimeStage().env, ...env });
    expect(config.DATABASE_URL).toBe(env.DATABASE_URL);
    expect(config.PORT).toBe(3000);
    expect(config.S3_ENDPOINT).toBe('http://store:8333');
    expect(config.PUBLIC_ORIGIN).toBeUndefined();
  });
});
