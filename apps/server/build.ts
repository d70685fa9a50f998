/**
 * Builds the server to JavaScript once, so production runs plain `node`
 * (`node --enable-source-maps dist/main.js`) instead of compiling TypeScript
 * through tsx at every start (apps/server/README.md).
 *
 *   node --import tsx build.ts [OUT_DIR]     (default: dist, beside this file)
 *
 * OUT_DIR/main.js       src/main.ts with the workspace packages (@chat/api,
 *                       @chat/db) inlined; every other package stays an import,
 *                       resolved from the node_modules above OUT_DIR at run time
 * OUT_DIR/main.js.map   source map back to the .ts files
 * OUT_DIR/migrations/   packages/db/migrations, which @chat/db looks for beside
 *                       the bundle when it is not in its own package
 *
 * An imported package that @chat/server does not list in `dependencies` fails
 * the build: `pnpm deploy --prod` (infra/docker/bundle.sh) installs only those.
 */
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(process.argv[2] ?? join(here, 'dist'));
const manifest = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
const packageName = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

const external = new Set<string>();
/** Workspace packages are bundled from source; every other bare import is left to node_modules. */
const dependenciesExternal: Plugin = {
  name: 'dependencies-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || builtinModules.includes(args.path)) return { external: true };
      const name = packageName(args.path);
      if (name.startsWith('@chat/')) return undefined;
      external.add(name);
      return { path: args.path, external: true };
    });
  },
};

rmSync(outDir, { recursive: true, force: true });
const started = performance.now();
await build({
  entryPoints: [join(here, 'src', 'main.ts')],
  outfile: join(outDir, 'main.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // Relative paths in the map resolve from OUT_DIR; the sources themselves are
  // not embedded (the image need not carry them for stack traces to name them).
  sourcesContent: false,
  plugins: [dependenciesExternal],
  logLevel: 'warning',
});
cpSync(join(here, '..', '..', 'packages', 'db', 'migrations'), join(outDir, 'migrations'), { recursive: true });

const undeclared = [...external].filter((name) => !(name in manifest.dependencies)).sort();
if (undeclared.length > 0) {
  rmSync(outDir, { recursive: true, force: true });
  console.error(
    `build.ts: the bundle imports ${undeclared.join(', ')}, which apps/server/package.json does not list in ` +
      '`dependencies` (the production install would miss them). Add them at the version @chat/api or @chat/db pins.',
  );
  process.exit(1);
}
console.log(`build.ts: ${join(outDir, 'main.js')} in ${Math.round(performance.now() - started)} ms`);
