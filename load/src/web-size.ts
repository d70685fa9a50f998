/**
 * What a cold load of the SPA fetches as JavaScript, gzipped: builds
 * apps/web with Vite's manifest into a temporary directory, then for each
 * kind of address adds up the entry script with its static imports, the
 * chunk of the page that address opens (fetched at start, lib/lazy-part.ts)
 * and, in builds where the message formatter was a chunk of its own (before
 * issue 28 §2 put lib/markdown.ts in the entry), that chunk (fetched at start,
 * and the chat list and a chat's first page waited for it). Other chunks load
 * when first used, or in idle time after the first paint.
 *
 *   pnpm --filter @chat/load bench:web-size [--dist DIR]   (an existing build made with --manifest)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { dist: { type: 'string' } },
});

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

const webDir = fileURLToPath(new URL('../../apps/web/', import.meta.url));
const dist = values.dist ?? mkdtempSync(join(tmpdir(), 'web-size-'));
if (!values.dist) {
  execFileSync('npx', ['vite', 'build', '--outDir', dist, '--emptyOutDir', '--manifest', '--logLevel', 'warn'], {
    cwd: webDir,
    stdio: 'inherit',
  });
}
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<
  string,
  ManifestChunk
>;

/** kB as Vite prints them (1,000 bytes). */
const gzipKb = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length / 1000;

/** The chunk and everything it imports statically (what the browser fetches with it). */
function closure(key: string, into = new Set<string>()): Set<string> {
  if (into.has(key)) return into;
  into.add(key);
  for (const dep of manifest[key]?.imports ?? []) closure(dep, into);
  return into;
}
const findKey = (src: string) => Object.keys(manifest).find((k) => manifest[k]?.src === src);
const keyOf = (src: string): string => {
  const key = findKey(src);
  if (!key) throw new Error(`${src} is not a chunk of its own in this build`);
  return key;
};
const sum = (keys: Set<string>) => [...keys].reduce((total, k) => total + gzipKb(manifest[k]?.file ?? ''), 0);

const entryKey = Object.keys(manifest).find((k) => manifest[k]?.isEntry) ?? 'index.html';
const entry = closure(entryKey);
const markdownKey = findKey('src/lib/markdown.ts');
const markdown = markdownKey ? closure(markdownKey) : new Set<string>();
for (const k of entry) markdown.delete(k);

console.log('| address | entry script | + the page | + markdown | all JS before the first messages paint |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [address, page] of [
  ['/ (chat list)', null],
  ['/groups/<id>', 'src/pages/group.tsx'],
  ['/chats/@<name>', 'src/pages/chat.tsx'],
] as const) {
  const pageKeys = page ? closure(keyOf(page)) : new Set<string>();
  for (const k of entry) pageKeys.delete(k);
  // The chat list's previews wait for the markdown chunk too (stores/chats.ts).
  const [e, p, m] = [sum(entry), sum(pageKeys), sum(markdown)];
  console.log(
    `| ${address} | ${e.toFixed(1)} kB | ${p.toFixed(1)} kB | ${m.toFixed(1)} kB | ${(e + p + m).toFixed(1)} kB |`,
  );
}
const all = Object.values(manifest)
  .filter((c) => c.file.endsWith('.js'))
  .reduce((t, c) => t + gzipKb(c.file), 0);
console.log(`\nall JS chunks together: ${all.toFixed(1)} kB gzipped (level 9)`);
if (!values.dist) rmSync(dist, { recursive: true, force: true });
